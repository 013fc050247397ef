"""Predict first, then reveal: a worked answer appears only after the student's prediction.

A predict-first question (04's P1 and P2, 05's P1) asks for a number before the notebook
works it out. With *Run All* the cells after the question would print the answer before the
student had a go, so they ask :func:`reveal_after` first: it is true once the student's own
prediction of that name was checked by :func:`~course_lib.checking.checks.check_answer`
(right or wrong, but not blank), and otherwise prints one line saying what to do.
"""

__all__ = ["reveal_after", "mark_checked", "REVEAL_MESSAGE"]

REVEAL_MESSAGE = ("(The worked answer of {label} appears here once your prediction is in: set "
                  "`{name}` above, run its check, then run this cell again.)")
_checked = set()


def mark_checked(name):
    """Record that the student's answer ``name`` was checked (called by ``check_answer``)."""
    _checked.add(name)


def reveal_after(name, label):
    """True once the prediction ``name`` was checked; else print how to see the answer.

    Parameters
    ----------
    name : str
        The prediction's variable (``"predict_7_3_3_1"``).
    label : str
        The question, as the notebook names it (``"Predict first P1"``).

    Returns
    -------
    bool

    Examples
    --------
    >>> reveal_after("predict_doc", "Predict first P0")  # doctest: +ELLIPSIS
    (The worked answer of Predict first P0 appears here once your prediction is in: ...)
    False
    >>> mark_checked("predict_doc")
    >>> reveal_after("predict_doc", "Predict first P0")
    True
    """
    if name in _checked:
        return True
    print(REVEAL_MESSAGE.format(label=label, name=name))
    return False
