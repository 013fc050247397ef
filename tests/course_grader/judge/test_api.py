"""The judge's API: LocalStudent answers through plain data; student errors are re-raised."""

import numpy as np
import pytest

from course_grader.judge.api import (
    JudgeTimeout,
    LocalStudent,
    NotAnswered,
    Opaque,
    StudentError,
    judge,
    reraise,
)


class CustomError(Exception):
    pass


def _namespace():
    def double(x, factor=2):
        return np.asarray(x) * factor

    def blank():
        raise NotImplementedError

    def fails(kind):
        raise {"value": ValueError, "custom": CustomError}[kind]("bad input 3")

    return {"np": np, "counts": (10, 20), "blank_answer": None, "double": double,
            "blank": blank, "fails": fails, "gadget": object(), "n": 4}


@pytest.fixture
def student():
    return LocalStudent(_namespace())


def test_value_is_plain_data(student):
    assert student.value("counts") == [10, 20]  # a tuple arrives as a list
    assert student.value("gadget") == Opaque("object")


def test_a_none_value_is_not_answered(student):
    with pytest.raises(NotAnswered, match="blank_answer is not answered yet"):
        student.value("blank_answer")
    with pytest.raises(NotAnswered):
        student.value("missing_name")


def test_call_sends_and_returns_plain_data(student):
    got = student.call("double", np.arange(3.0), factor=3)
    assert isinstance(got, np.ndarray) and got.tolist() == [0.0, 3.0, 6.0]


def test_eval_runs_among_the_students_names(student):
    assert student.eval("n * 2 + len(counts)") == 10


def test_errors_of_the_students_code(student):
    with pytest.raises(NotAnswered, match="blank is not answered yet"):
        student.call("blank")
    with pytest.raises(ValueError, match="^bad input 3$"):
        student.call("fails", "value")
    with pytest.raises(StudentError, match="^CustomError: bad input 3$") as info:
        student.call("fails", "custom")
    assert info.value.type_name == "CustomError"
    with pytest.raises(NameError, match="gadget is not defined as a function"):
        student.call("gadget")
    with pytest.raises(ZeroDivisionError):
        student.eval("1 / 0")


@pytest.mark.parametrize("kind, expected", [
    ("ValueError", ValueError), ("TypeError", TypeError), ("IndexError", IndexError),
    ("KeyError", KeyError), ("NotImplementedError", NotAnswered),
    ("SystemExit", StudentError),  # not an Exception: never raised as itself
    ("Warning", Warning), ("LinAlgError", StudentError), ("open", StudentError),
    ("JudgeTimeout", StudentError),
])
def test_reraise_maps_built_in_types_only(kind, expected):
    with pytest.raises(expected) as info:
        reraise({"type": kind, "message": "msg"}, "Exercise 1")
    assert type(info.value) is expected


def test_reraise_of_a_blank_names_the_exercise():
    with pytest.raises(NotAnswered, match="^f is not answered yet"):
        reraise({"type": "NotImplementedError"}, "f")


def test_the_verdict_errors_are_assertion_errors():
    # a failing judge is a failing assert for nbgrader's points
    assert issubclass(NotAnswered, AssertionError) and issubclass(JudgeTimeout, AssertionError)


def test_judge_runs_the_spec_on_this_process_answers(monkeypatch):
    import __main__

    monkeypatch.setattr(__main__, "answer_for_the_judge", [1, 2], raising=False)
    seen = []

    @judge
    def spec(student):
        seen.append(student.value("answer_for_the_judge"))

    assert seen == [[1, 2]] and callable(spec)
