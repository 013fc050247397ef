"""Instant checks for the exercises: right or wrong at once, without giving the answer away.

A visible check cell in a student's notebook calls :func:`check_answer` with the student's
value and a *salted hash* of the expected value, never the value itself (:mod:`.hashing`).
Common mistakes get their own hint, keyed by the hash of the wrong value (7,840 instead of
7,850: "did you forget the biases?") and sealed with it. The real values live only in the
hidden tests of the grade cells, which nbgrader strips from the released notebooks. Authors
compute hashes and sealed hints with ``python -m course_lib.checking.hashing`` (:mod:`.hashing`).

Function exercises are checked with :func:`check_function` against a reference from
``course_lib`` on random inputs, or, where the reference would be the answer itself, with
:func:`check_outputs` against salted hashes of the right outputs on fixed inputs (authors get
them from :func:`output_hashes`). :func:`check_raises` checks the error a function must raise.
Grade cells stop on a blank exercise with :func:`require_answer` and :func:`require_function`
(:mod:`.blanks`).

Every verdict, here and in a variant's check (:mod:`.variants`), is printed by :func:`say`:
one line, ``✔ Correct.``, or ``✘ Not yet.`` with what is wrong and a ``Hint:``.
"""

import numpy as np

from .blanks import BLANK_MESSAGE, is_blank
from .errors import error_text
from .hashing import answer_hash, open_hint
from .reveal import mark_checked

__all__ = ["check_answer", "check_function", "check_outputs", "check_raises", "say", "CORRECT",
           "NOT_YET"]

CORRECT = "\u2714 Correct."
NOT_YET = "\u2718 Not yet."


def say(right, name=None, why=None, hint=None, blank=False):
    """Print one verdict line of an instant check (the course's one format) and return it.

    Parameters
    ----------
    right : bool
        The verdict.
    name : str, optional
        The answer's name, printed first (a check of several answers).
    why : str, optional
        What is wrong, in words ("Case 2: the result has shape (3,), not (4,).").
    hint : str, optional
        The common mistake this wrong answer points to.
    blank : bool, default False
        The answer is still blank: the blank message instead of a verdict.

    Returns
    -------
    bool
        ``right`` (and False for a blank answer).

    Examples
    --------
    >>> say(False, "size_a", hint="forgot the +1?")
    size_a: ✘ Not yet. Hint: forgot the +1?
    False
    """
    if blank:
        text, right = BLANK_MESSAGE, False
    elif right:
        text = CORRECT
    else:
        parts = [NOT_YET, why, f"Hint: {hint}" if hint else None]
        if not why and not hint:
            parts.append("Check your working and try again.")
        text = " ".join(p for p in parts if p)
    print(f"{name}: {text}" if name else text)
    return bool(right)


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
        ``{answer_hash(name, wrong_answer): hint}``, the hint plain or, so that the cell's
        source gives nothing away, sealed (``seal_hint(name, wrong_answer, text)``).
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
    if is_blank(value):
        return say(False, blank=True)
    mark_checked(name)  # a predict-first's worked answer may now be shown (.reveal)
    try:
        got = answer_hash(name, value, decimals)
    except TypeError as err:
        return say(False, why=str(err))
    hint = (hints or {}).get(got)
    return say(got == expected, hint=hint and open_hint(name, value, hint, decimals))


def _call_student(func, args, case):
    """Call a student's function; on an error print the verdict and return ``(False, None)``."""
    try:
        return True, func(*args)
    except NotImplementedError:
        say(False, blank=True)
    except Exception as err:  # the student's code: report, do not crash the check
        say(False, why=f"Case {case} raised {error_text(type(err).__name__, str(err))}")
    return False, None


def _check_cases(func, cases, judge_case):
    """Call ``func`` on each case, stop at the first that fails and print the verdict.

    ``judge_case(i, args, got)`` returns what is wrong with case ``i``'s result (printed as
    ``Case i: ...``), or None when it is right. Returns True when every case is right.
    """
    for i, args in enumerate(cases, 1):
        done, got = _call_student(func, args, i)
        if not done:
            return False
        wrong = judge_case(i, args, got)
        if wrong is not None:
            return say(False, why=f"Case {i}: {wrong}")
    return say(True)


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
    def judge_case(_i, args, got):
        got_arr, want_arr = np.asarray(got), np.asarray(reference(*args))
        if got_arr.shape != want_arr.shape:
            return (f"your result has shape {got_arr.shape}, "
                    f"expected shape {want_arr.shape}.")
        try:
            ok = np.allclose(got_arr, want_arr, rtol=rtol, atol=atol)
        except TypeError:
            ok = False
        if ok:
            return None
        for test, message in hints or []:
            if test(args, got_arr, want_arr):
                return message
        return "the values differ from the expected ones."

    return _check_cases(func, cases, judge_case)


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
        True when every case's output has the expected hash.

    Examples
    --------
    >>> from course_lib.checking.hashing import output_hashes
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

    def judge_case(i, _args, got):
        try:
            got_hash = answer_hash(f"{name}#{i}", got, decimals)
        except TypeError:
            return (f"your function returned a {type(got).__name__}; "
                    "return a number or a NumPy array.")
        if got_hash == expected[i - 1]:
            return None
        hint = (hints or {}).get(got_hash)
        shape = np.shape(got) if isinstance(got, (list, tuple, np.ndarray)) else None
        return hint or ("the values differ from the expected ones"
                        + (f" (your result has shape {shape})" if shape else "") + ".")

    return _check_cases(func, cases, judge_case)


def check_raises(func, args, exception=ValueError, contains=None):
    """Check that ``func(*args)`` raises ``exception`` whose message contains ``contains``.

    Parameters
    ----------
    func : callable
        The student's function.
    args : tuple
        Positional arguments of the call that must fail.
    exception : type, default ValueError
        The exception class expected (a subclass counts too).
    contains : str, optional
        Text the error message must contain (e.g. the function's name).

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
        return say(False, blank=True)
    except exception as err:
        if contains is not None and contains not in str(err):
            return say(False, why=f"Right error type, but its message should contain "
                                  f"{contains!r}; it is: {err}")
        return say(True)
    except Exception as err:
        return say(False, why=f"The call raised {error_text(type(err).__name__, str(err))}; "
                              f"expected {exception.__name__}.")
    text = repr(got)
    text = text if len(text) <= 60 else text[:57] + "..."
    return say(False, why=f"The call returned {text} instead of raising {exception.__name__}.")
