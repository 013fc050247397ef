"""Blank exercises: how a check and a grade cell tell "not done yet" from a wrong answer.

An exercise is blank while its answer is still ``None`` (or ``...``), or while its function
still raises ``NotImplementedError``. Checks then print :data:`BLANK_MESSAGE`; grade cells call
:func:`require_answer` or :func:`require_function`, which raise a one-line
``NotImplementedError`` that the student and the autograder both read as "not done yet".

A released exercise cell holds :func:`your_answer_here` where the answer goes (nbgrader's
code stub, ``nbgrader_config.py``): at the top of a cell it does nothing, so a blank value
exercise shows one message (its check's) instead of a bare ``NotImplementedError`` too; in a
function's body it raises, so the function reads as blank.
"""

import inspect

__all__ = ["BLANK_MESSAGE", "is_blank", "require_answer", "require_function",
           "your_answer_here"]

BLANK_MESSAGE = ("Not answered yet: replace the None (or the NotImplementedError) in the "
                 "exercise cell with your answer, run that cell, then run this check again.")


def is_blank(value):
    """True for an answer that is not given yet: ``None`` or ``...``.

    Parameters
    ----------
    value : object
        The student's answer.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_blank(None), is_blank(...), is_blank(0)
    (True, True, False)
    """
    return value is None or value is Ellipsis


class _Blank(NotImplementedError):
    """A blank exercise: Jupyter shows one line naming it, no library frames."""

    def _render_traceback_(self):  # IPython's hook for an exception's own traceback
        return [f"NotImplementedError: {self}"]


_Blank.__name__ = _Blank.__qualname__ = "NotImplementedError"  # what nbgrader and tests read
_Blank.__module__ = "builtins"


def _not_answered(exercise):
    return _Blank(f"{exercise} is not answered yet: write your answer in its cell, run it, "
                  "then run this cell again (until then it keeps this message).")


def require_answer(value, exercise):
    """Raise ``NotImplementedError`` when an exercise is still blank (used in grade cells).

    A blank exercise then shows the same error in every cell that depends on it, which the
    student and the autograder both read as "not done yet".

    Parameters
    ----------
    value : object
        The student's answer.
    exercise : str
        The exercise's name as the student sees it ("Exercise 1").

    Raises
    ------
    NotImplementedError
        If ``value`` is blank (:func:`is_blank`); one line, naming ``exercise``.

    Examples
    --------
    >>> require_answer(3, "Exercise 1")
    >>> require_answer(None, "Exercise 1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    NotImplementedError: Exercise 1 is not answered yet: write your answer in its cell, run it, ...
    """
    if is_blank(value):
        raise _not_answered(exercise)


def require_function(func, exercise, *args):
    """Raise ``NotImplementedError`` (one line) when ``func(*args)`` is still blank.

    For grade cells of function exercises: a written function's result and its own errors are
    the hidden tests' business, so nothing is printed.

    Parameters
    ----------
    func : callable
        The student's function.
    exercise : str
        The exercise's name as the student sees it.
    *args
        Arguments of one trial call.

    Raises
    ------
    NotImplementedError
        If the call raises ``NotImplementedError``; any other error of the call is ignored.

    Examples
    --------
    >>> require_function(abs, "Exercise 3", -1)
    >>> def blank(x):
    ...     raise NotImplementedError()
    >>> require_function(blank, "Exercise 3", 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    NotImplementedError: Exercise 3 is not answered yet: write your answer in its cell, run it, ...
    """
    try:
        func(*args)
    except NotImplementedError:
        raise _not_answered(exercise) from None
    except Exception:  # noqa: BLE001, S110 (answered: the hidden tests judge its errors)
        pass


def your_answer_here():
    """The placeholder of a released exercise cell: replace this call with your answer.

    Returns
    -------
    None
        At the top of a cell (a value exercise: its answer stays ``None`` until you set it).

    Raises
    ------
    NotImplementedError
        In a function's body (a function exercise: calling it says it is not written yet).

    Examples
    --------
    >>> your_answer_here()  # at the top of a cell: nothing happens
    >>> def layer_forward(W, b, x):
    ...     your_answer_here()
    >>> layer_forward(1, 2, 3)
    Traceback (most recent call last):
    NotImplementedError: layer_forward is not written yet: replace your_answer_here() with its body.
    """
    caller = inspect.currentframe().f_back
    name = caller.f_code.co_name
    del caller
    if name == "<module>":
        return None
    raise _Blank(f"{name} is not written yet: replace your_answer_here() with its body.")
