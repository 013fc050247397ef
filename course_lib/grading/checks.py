"""Instant checks for the exercises: right or wrong at once, without giving the answer away.

A visible check cell in a student's notebook calls :func:`check_answer` with the student's
value and a *salted hash* of the expected value, never the value itself. Common mistakes get
their own hint, keyed by the hash of the wrong value (7,840 instead of 7,850: "did you forget
the biases?"). The real values live only in the hidden tests of the grade cells, which nbgrader
strips from the released notebooks.

Why hashes: the released notebook and ``course_lib`` then hold no plain answer for a student
to read. The check is still an oracle a determined student could query by trial (so is any
instant feedback); the grade comes from the hidden tests at grading time.

Authors compute hashes with::

    python -m course_lib.grading.checks NAME VALUE [VALUE ...] [--decimals D]

Function exercises are checked with :func:`check_function` against a reference from
``course_lib`` on random inputs, or, where the reference would be the answer itself, with
:func:`check_outputs` against salted hashes of the right outputs on fixed inputs (authors get
them from :func:`output_hashes`). :func:`check_raises` checks the error a function must raise.
"""

import argparse
import hashlib
import math
from numbers import Integral, Real

import numpy as np

__all__ = [
    "answer_hash",
    "check_answer",
    "check_function",
    "check_outputs",
    "check_raises",
    "output_hashes",
    "require_answer",
    "require_function",
    "CORRECT",
    "NOT_YET",
]

_SALT = "nn-course/2026"
CORRECT = "\u2714 Correct."
NOT_YET = "\u2718 Not yet."
_BLANK = ("Not answered yet: replace the None (or the NotImplementedError) in the exercise cell "
          "with your answer, run that cell, then run this check again.")


def _canonical(value, decimals):
    """Text form of an answer that does not depend on its Python type (7 == 7.0 == np.int64(7))."""
    if isinstance(value, str):
        return "s:" + " ".join(value.strip().lower().split())
    if isinstance(value, (bool, np.bool_)):
        return "b:" + str(bool(value))
    if isinstance(value, (Integral, np.integer)):
        return "n:" + str(int(value))
    if isinstance(value, (Real, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return "f:" + str(x)
        if decimals is None and x == round(x):
            return "n:" + str(int(round(x)))
        x = round(x, 6 if decimals is None else decimals) + 0.0  # + 0.0 maps -0.0 to 0.0
        return "n:" + str(int(x)) if x == int(x) else "f:" + repr(x)
    if isinstance(value, dict):
        items = sorted((str(k), _canonical(v, decimals)) for k, v in value.items())
        return "d:{" + ",".join(f"{k}={v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value
        shape = "x".join(map(str, np.shape(arr)))
        return f"a[{shape}]:" + ",".join(_canonical(v, decimals) for v in np.ravel(arr).tolist())
    raise TypeError(f"check_answer: cannot check an answer of type {type(value).__name__}; "
                    "give a number, a string, or a list/tuple/array of numbers.")


def answer_hash(name, value, decimals=None):
    """Salted SHA-256 of an answer, as stored in a visible check cell.

    Parameters
    ----------
    name : str
        The exercise's name; it is part of the salt, so equal answers to different
        exercises have different hashes.
    value : int, float, str, or sequence of them
        The answer. Integers and whole floats hash alike (7 and 7.0); arrays hash their shape
        and their values.
    decimals : int, optional
        Round floats to this many decimals first (for answers such as a loss value).

    Returns
    -------
    str
        16 hexadecimal characters.

    Examples
    --------
    >>> answer_hash("demo", 7) == answer_hash("demo", 7.0)
    True
    >>> answer_hash("demo", 7) == answer_hash("other", 7)
    False
    """
    text = f"{_SALT}|{name}|{_canonical(value, decimals)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_blank(value):
    return value is None or value is Ellipsis


def check_answer(name, value, expected, hints=None, decimals=None):
    """Tell the student at once whether ``value`` is right, with a hint for common mistakes.

    Parameters
    ----------
    name : str
        The exercise's name, as used to compute ``expected``.
    value : object
        The student's answer; ``None`` means not answered yet.
    expected : str
        ``answer_hash(name, right_answer, decimals)``.
    hints : dict of str to str, optional
        ``{answer_hash(name, wrong_answer): "what that mistake usually is"}``.
    decimals : int, optional
        Rounding used when ``expected`` was computed.

    Returns
    -------
    bool
        True when the answer is right. Prints the verdict.

    Examples
    --------
    >>> h = answer_hash("params_784_10", 7850)
    >>> check_answer("params_784_10", 7850, h)
    ✔ Correct.
    True
    >>> hints = {answer_hash("params_784_10", 7840): "784 x 10 weights... and the biases?"}
    >>> check_answer("params_784_10", 7840, h, hints)
    ✘ Not yet. Hint: 784 x 10 weights... and the biases?
    False
    """
    if _is_blank(value):
        print(_BLANK)
        return False
    try:
        got = answer_hash(name, value, decimals)
    except TypeError as err:
        print(f"{NOT_YET} {err}")
        return False
    if got == expected:
        print(CORRECT)
        return True
    hint = (hints or {}).get(got)
    print(f"{NOT_YET} Hint: {hint}" if hint else f"{NOT_YET} Check your working and try again.")
    return False


def require_answer(value, exercise):
    """Raise ``NotImplementedError`` when an exercise is still blank (used in grade cells).

    A blank exercise then shows the same error in every cell that depends on it, which the
    student and the autograder both read as "not done yet".

    Examples
    --------
    >>> require_answer(3, "Exercise 1")
    >>> require_answer(None, "Exercise 1")
    Traceback (most recent call last):
    ...
    NotImplementedError: Exercise 1 is not answered yet: write your answer in its cell and run it.
    """
    if _is_blank(value):
        raise _Blank(f"{exercise} is not answered yet: write your answer in its cell and run it.")


class _Blank(NotImplementedError):
    """A blank exercise: Jupyter shows one line naming it, no library frames."""

    def _render_traceback_(self):  # IPython's hook for an exception's own traceback
        return [f"NotImplementedError: {self}"]


_Blank.__name__ = _Blank.__qualname__ = "NotImplementedError"  # what nbgrader and tests read
_Blank.__module__ = "builtins"


def require_function(func, exercise, *args):
    """Raise ``NotImplementedError`` (one line) when ``func(*args)`` is still blank.

    For grade cells of function exercises: a written function's result and its own errors are
    the hidden tests' business, so nothing is printed.

    Examples
    --------
    >>> require_function(abs, "Exercise 3", -1)
    >>> def blank(x):
    ...     raise NotImplementedError()
    >>> require_function(blank, "Exercise 3", 1)
    Traceback (most recent call last):
    ...
    NotImplementedError: Exercise 3 is not answered yet: write your answer in its cell and run it.
    """
    try:
        func(*args)
    except NotImplementedError:
        raise _Blank(f"{exercise} is not answered yet: write your answer in its cell and run "
                     "it.") from None
    except Exception:  # noqa: BLE001, S110 (answered: the hidden tests judge its errors)
        pass


def _call_student(func, args, case):
    """Call a student's function; on an error print the verdict and return ``(False, None)``."""
    try:
        return True, func(*args)
    except NotImplementedError:
        print(_BLANK)
    except Exception as err:  # the student's code: report, do not crash the check
        print(f"{NOT_YET} Case {case} raised {type(err).__name__}: {err}")
    return False, None


def check_function(func, reference, cases, rtol=1e-6, atol=1e-8, hints=None):
    """Compare a student's function with a reference on a list of inputs; print the verdict.

    Parameters
    ----------
    func : callable
        The student's function.
    reference : callable
        The trusted version (from ``course_lib``).
    cases : list of tuple
        Positional arguments for each call.
    rtol, atol : float
        Tolerances of ``np.allclose``.
    hints : list of (callable, str), optional
        ``(test, message)`` pairs: when a case fails and ``test(args, got, want)`` is true,
        the message is shown (e.g. "your softmax overflows for large logits").

    Returns
    -------
    bool
        True when every case agrees.

    Examples
    --------
    >>> check_function(lambda x: 2 * x, lambda x: x + x, [(1.0,), (np.arange(3.0),)])
    ✔ Correct.
    True
    """
    for i, args in enumerate(cases, 1):
        done, got = _call_student(func, args, i)
        if not done:
            return False
        want = reference(*args)
        got_arr, want_arr = np.asarray(got), np.asarray(want)
        if got_arr.shape != want_arr.shape:
            print(f"{NOT_YET} Case {i}: your result has shape {got_arr.shape}, "
                  f"expected shape {want_arr.shape}.")
            return False
        try:
            ok = np.allclose(got_arr, want_arr, rtol=rtol, atol=atol)
        except TypeError:
            ok = False
        if not ok:
            for test, message in hints or []:
                if test(args, got_arr, want_arr):
                    print(f"{NOT_YET} Case {i}: {message}")
                    return False
            print(f"{NOT_YET} Case {i}: the values differ from the expected ones.")
            return False
    print(CORRECT)
    return True


def output_hashes(name, func, cases, decimals=6):
    """Hashes of ``func(*case)`` for each case: what :func:`check_outputs` compares with.

    Authors call it once with a trusted implementation and paste the list into the check cell.

    Examples
    --------
    >>> hashes = output_hashes("double", lambda x: 2 * x, [(1,), (2.5,)])
    >>> [len(h) for h in hashes]
    [16, 16]
    """
    return [answer_hash(f"{name}#{i}", func(*args), decimals) for i, args in enumerate(cases, 1)]


def check_outputs(name, func, cases, expected, hints=None, decimals=6):
    """Compare a student's function with salted hashes of the right outputs; print the verdict.

    Use it when the reference implementation would itself be the answer (``W @ x + b``):
    neither the notebook nor ``course_lib`` then holds it. Choose cases whose outputs are
    exact (small integers) so that rounding to ``decimals`` cannot flip a digit.

    Parameters
    ----------
    name : str
        The exercise's name, as given to :func:`output_hashes`.
    func : callable
        The student's function.
    cases : list of tuple
        Positional arguments for each call.
    expected : list of str
        ``output_hashes(name, reference, cases, decimals)``.
    hints : dict of str to str, optional
        ``{hash of a wrong output: message}``, hashes from :func:`output_hashes` applied to a
        typical wrong implementation (e.g. one that forgets the bias).
    decimals : int, default 6
        Rounding of float outputs before hashing.

    Returns
    -------
    bool
        True when every case agrees.

    Examples
    --------
    >>> cases = [(np.array([1, 2]),), (np.array([3]),)]
    >>> right = output_hashes("double", lambda x: 2 * x, cases)
    >>> check_outputs("double", lambda x: x + x, cases, right)
    ✔ Correct.
    True
    >>> hint = dict.fromkeys(output_hashes("double", lambda x: x * x, cases), "Twice, not squared.")
    >>> check_outputs("double", lambda x: x ** 2, cases, right, hints=hint)
    ✘ Not yet. Case 1: Twice, not squared.
    False
    """
    if len(expected) != len(cases):
        raise ValueError(f"check_outputs: {len(cases)} cases but {len(expected)} expected "
                         "hashes; compute them with output_hashes(name, reference, cases).")
    for i, (args, want) in enumerate(zip(cases, expected, strict=True), 1):
        done, got = _call_student(func, args, i)
        if not done:
            return False
        try:
            got_hash = answer_hash(f"{name}#{i}", got, decimals)
        except TypeError:
            print(f"{NOT_YET} Case {i}: your function returned a {type(got).__name__}; "
                  "return a number or a NumPy array.")
            return False
        if got_hash != want:
            hint = (hints or {}).get(got_hash)
            shape = np.shape(got) if isinstance(got, (list, tuple, np.ndarray)) else None
            detail = hint or ("the values differ from the expected ones"
                              + (f" (your result has shape {shape})" if shape else "") + ".")
            print(f"{NOT_YET} Case {i}: {detail}")
            return False
    print(CORRECT)
    return True


def check_raises(func, args, exception=ValueError, contains=None):
    """Check that ``func(*args)`` raises ``exception`` whose message contains ``contains``.

    Returns
    -------
    bool
        True when it does. Prints the verdict.

    Examples
    --------
    >>> def f(x):
    ...     raise ValueError(f"f: x must be positive, got {x}.")
    >>> check_raises(f, (-1,), ValueError, contains="f:")
    ✔ Correct.
    True
    >>> check_raises(abs, (-1,), ValueError)
    ✘ Not yet. The call returned 1 instead of raising ValueError.
    False
    """
    try:
        got = func(*args)
    except NotImplementedError:
        print(_BLANK)
        return False
    except exception as err:
        if contains is not None and contains not in str(err):
            print(f"{NOT_YET} Right error type, but its message should contain "
                  f"{contains!r}; it is: {err}")
            return False
        print(CORRECT)
        return True
    except Exception as err:
        print(f"{NOT_YET} The call raised {type(err).__name__} ({err}); "
              f"expected {exception.__name__}.")
        return False
    text = repr(got)
    text = text if len(text) <= 60 else text[:57] + "..."
    print(f"{NOT_YET} The call returned {text} instead of raising {exception.__name__}.")
    return False


def main(argv=None):
    """Command line for authors: print the hash of an answer."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.grading.checks",
                                     description="Print the salted hash of an answer.")
    parser.add_argument("name")
    parser.add_argument("value", nargs="+",
                        help="a number or a word; several values form a list")
    parser.add_argument("--decimals", type=int, default=None)
    args = parser.parse_args(argv)

    def parse(text):
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text

    values = [parse(v) for v in args.value]
    value = values[0] if len(values) == 1 else values
    print(answer_hash(args.name, value, args.decimals))


if __name__ == "__main__":
    main()
