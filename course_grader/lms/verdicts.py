"""The judge's verdicts, read back from the autograded notebooks, and the hint each one gave.

:class:`~course_grader.execute.JudgeGradeCells` makes the verdict every autograded grade
cell's only output: a stream ``✔ Passed.``, or an error output whose ``evalue`` is the message
for the student. That message is the hint that fired: a spec's assertion message ("7,840:
the biases are missing"), ``Not answered yet: ...`` for a blank answer, ``Your code raised
...``. :func:`hint_of` takes the numbers (and the student's own numbers, which
:meth:`course_lib.checking.variants.Variant.mine` appends) out of it, so that the same mistake
made on different numbers counts as one hint.
"""

import re
from pathlib import Path

from ..cells import nbgrader_meta
from ..staging import NotebookUnreadable, read_notebook

__all__ = ["PASSED", "BLANK", "WRONG", "cell_verdicts", "read_verdicts", "hint_of",
           "MINE_PREFIX"]

PASSED, BLANK, WRONG = "passed", "blank", "wrong"
BLANK_PREFIX = "Not answered yet"  # course_grader.judge.notebook.run_spec's blank verdict
MINE_PREFIX = "Your numbers ("  # Variant.mine: whose numbers these were, not the mistake
# 7,840 is one number (thousands), (3,4) two; a digit inside a name (w1, x2) is no number, nor
# is the formula's "+1" (the mistake "forgot the +1" is the same for everyone)
_NUMBER = re.compile(r"(?<![\w.+])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
                     r"(?![\w])")
_QUOTED = re.compile(r"'[^'\n]{0,80}'|\"[^\"\n]{0,80}\"")


def hint_of(message):
    """The hint of a failed verdict, with its numbers and quoted values replaced by ``#``.

    Parameters
    ----------
    message : str
        The verdict's message for the student.

    Returns
    -------
    str
        At most 200 characters; the student's own numbers (a trailing ``Your numbers (...)``
        sentence) removed.

    Examples
    --------
    >>> hint_of("You gave 7,840 for the 784-10 layer: the biases are missing.")
    'You gave # for the #-# layer: the biases are missing.'
    >>> hint_of("At least one row is wrong. Your numbers (student 'ada'): b = -3, w1 = 2.")
    'At least one row is wrong.'
    >>> hint_of("Your code raised ValueError: shapes (3,4) and (5,) not aligned")
    'Your code raised ValueError: shapes (#,#) and (#,) not aligned'
    >>> hint_of("An output size one too small (27): the +1 is missing.")
    'An output size one too small (#): the +1 is missing.'
    """
    text = str(message).split(MINE_PREFIX, 1)[0]
    text = _QUOTED.sub("#", text)
    text = _NUMBER.sub("#", text)
    return " ".join(text.split())[:200]


def _verdict(cell):
    """(kind, message) of one autograded grade cell from its outputs."""
    message = None
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            message = str(out.get("evalue", ""))
            break
    if message is None:
        return PASSED, ""
    return (BLANK if message.startswith(BLANK_PREFIX) else WRONG), message


def cell_verdicts(nb):
    """``{grade_id: (kind, message)}`` of an autograded notebook's grade cells.

    ``kind`` is :data:`PASSED`, :data:`BLANK` (the verdict starts with "Not answered yet")
    or :data:`WRONG`; ``message`` is the verdict's text ("" when passed).

    Examples
    --------
    >>> cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "grade_id": "t"}},
    ...         "outputs": [{"output_type": "error", "evalue": "Not answered yet: x"}]}
    >>> cell_verdicts({"cells": [cell]})
    {'t': ('blank', 'Not answered yet: x')}
    """
    found = {}
    for cell in nb.get("cells", []):
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            found[meta.get("grade_id")] = _verdict(cell)
    return found


def read_verdicts(root, scores, problems=None):
    """Every submission's verdicts from ``autograded/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb``.

    Parameters
    ----------
    root : path
        The course folder.
    scores : ClassScores
        Whose submissions to read (:func:`~.scores.read_scores`).
    problems : list, optional
        Gets one line per notebook that is missing or unreadable (its cells then have no
        verdict: no hint and no blank counted).

    Returns
    -------
    dict
        ``{(assignment, student): {(notebook, grade_id): (kind, message)}}``.
    """
    root = Path(root)
    problems = [] if problems is None else problems
    found = {}
    for (assignment, student) in scores.totals:
        notebooks = {item.notebook for item in scores.assignments[assignment].items}
        verdicts = found.setdefault((assignment, student), {})
        for notebook in sorted(notebooks):
            path = root / "autograded" / student / assignment / f"{notebook}.ipynb"
            try:
                nb = read_notebook(path)
            except (OSError, NotebookUnreadable) as err:
                problems.append(f"{student} {assignment}/{notebook}: no verdicts ({err})")
                continue
            for grade_id, verdict in cell_verdicts(nb).items():
                verdicts[(notebook, grade_id)] = verdict
    return found
