"""Blank exercises: what counts as blank, and the one-line NotImplementedError of grade cells."""

import pytest

from course_lib.checking.blanks import BLANK_MESSAGE, is_blank, require_answer, require_function


@pytest.mark.parametrize("value, blank", [(None, True), (..., True), (0, False), ("", False),
                                          ([], False)])
def test_is_blank(value, blank):
    assert is_blank(value) is blank


def test_require_answer():
    require_answer(0, "Exercise 1")  # 0 is an answer
    with pytest.raises(NotImplementedError, match="Exercise 3 is not answered yet"):
        require_answer(None, "Exercise 3")


def test_require_function_stops_only_on_not_implemented():
    def blank(x):
        raise NotImplementedError

    def broken(x):
        raise ZeroDivisionError

    require_function(abs, "Exercise 2", -1)
    require_function(broken, "Exercise 2", 1)  # answered: its errors are the hidden tests'
    with pytest.raises(NotImplementedError, match="^Exercise 2 is not answered yet") as info:
        require_function(blank, "Exercise 2", 1)
    assert type(info.value).__name__ == "NotImplementedError"
    assert info.value._render_traceback_() == [f"NotImplementedError: {info.value}"]
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_the_blank_message_says_what_to_do():
    assert "replace the None" in BLANK_MESSAGE and "run this check again" in BLANK_MESSAGE


def test_a_stale_blank_message_says_how_it_goes_away():
    """A test cell keeps its red "not answered yet" after the answer is fixed, until it runs
    again (issue 27): the message itself says so."""
    with pytest.raises(NotImplementedError, match="then run this cell again"):
        require_answer(None, "Exercise 1")
