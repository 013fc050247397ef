"""Judging a notebook: the source notebook's specs, run against a submission's answers.

The grader reads the *source* notebook (trusted): its setup cells (the first code cell and the
cells tagged ``judge-setup``) and, for each autograded cell, its hidden region, a
:func:`~.api.judge` spec. :func:`judge_notebook` runs every spec in this process against a
:class:`~.remote.RemoteStudent` holding the submission's answer cells, and lists what a person
should look at: an answer cell that hung or killed its process, and the answers that
:mod:`course_grader.review` flags.
"""

import contextlib
import io
import os
import sys
import time

from course_lib.checking.errors import error_text

from ..cells import BEGIN_HIDDEN, END_HIDDEN, cell_source, nbgrader_meta, split_regions
from ..review import review_reasons
from ..variants import answer_functions, own_variants
from .api import JudgeTimeout, NotAnswered, StudentError, recording
from .remote import RemoteStudent

__all__ = ["Verdict", "run_spec", "setup_cells", "hidden_specs", "answer_cells",
           "judge_notebook", "SETUP_TAG", "BUDGET_SPENT"]


class Verdict:
    """A grade cell's verdict: passed, and the message for the student."""

    def __init__(self, passed, message):
        self.passed, self.message = bool(passed), str(message)

    def __repr__(self):
        return f"Verdict({self.passed}, {self.message!r})"


def run_spec(spec_source, namespace, student):
    """Run one grade cell's hidden region (a :func:`judge` spec) against ``student``.

    Parameters
    ----------
    spec_source : str
        The hidden region: code that defines one or more ``@judge`` functions.
    namespace : dict
        The source notebook's setup names (imports, constants), copied for the spec.
    student : api.Student
        Whom the spec asks (a :class:`~.remote.RemoteStudent` when grading).

    Returns
    -------
    Verdict
        Passed, or failed with the message for the student: the spec's assertion message, a
        blank answer, a timeout, or the student's error.
    """
    ns = dict(namespace)
    try:
        with recording() as specs:
            exec(compile(spec_source, "<judge spec>", "exec"), ns)  # noqa: S102 (instructor's)
    except Exception as err:
        return Verdict(False, f"This test's judge specification is broken ({type(err).__name__})"
                              ": ask your instructor.")
    if not specs:
        return Verdict(False, "This test has no judge specification: ask your instructor.")
    try:
        for spec in specs:
            spec(student)
    except NotAnswered as err:
        return Verdict(False, f"Not answered yet: {err}")
    except JudgeTimeout as err:
        return Verdict(False, f"Stopped: {err}.")
    except AssertionError as err:
        return Verdict(False, str(err) or "A check of this exercise failed.")
    except StudentError as err:
        return Verdict(False, f"Your code raised {error_text(err.type_name, err.message)}")
    except Exception as err:  # the spec met an answer of the wrong kind
        return Verdict(False, "Your answer could not be checked "
                              f"({error_text(type(err).__name__, str(err)[:300])}).")
    return Verdict(True, "Passed.")


SETUP_TAG = "judge-setup"


def setup_cells(source_nb):
    """The source notebook's setup cells: the first code cell and those tagged judge-setup."""
    codes = [c for c in source_nb["cells"] if c.get("cell_type") == "code"]
    return [cell_source(c) for i, c in enumerate(codes)
            if i == 0 or SETUP_TAG in c.get("metadata", {}).get("tags", [])]


def hidden_specs(source_nb):
    """``{grade_id: hidden region}`` of the source notebook's autograded code cells."""
    specs = {}
    for cell in source_nb["cells"]:
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            regions = split_regions(cell_source(cell), BEGIN_HIDDEN, END_HIDDEN)[1]
            specs[meta["grade_id"]] = "\n".join("\n".join(r) for r in regions)
    return specs


def answer_cells(submission_nb):
    """The student's code answer cells (nbgrader solution cells), in notebook order."""
    return [cell_source(c) for c in submission_nb["cells"]
            if c.get("cell_type") == "code" and nbgrader_meta(c).get("solution")]


BUDGET_SPENT = ("Stopped: this submission used its time budget before this test was judged; "
                "a person will look at it.")


def judge_notebook(source_nb, submission_nb, student_id=None, timeout=60, deadline=None):
    """Judge every autograded cell of a submission against the source notebook's specs.

    Parameters
    ----------
    source_nb : dict
        The instructor's source notebook: setup cells, hidden specs, ``metadata.course``.
    submission_nb : dict
        The (rebuilt) submission: its solution cells are the answers.
    student_id : str, optional
        The student whose numbers the variants' exercises use (nbgrader's student id); None
        is the default variant.
    timeout : float, default 60
        Seconds for each answer cell and each request of a spec.
    deadline : float, optional
        ``time.monotonic()`` when the submission's budget ends (set by the execution): each
        spec gets what is left, and the specs after it fail with :data:`BUDGET_SPENT`.

    Returns
    -------
    verdicts : dict
        ``{grade_id: Verdict}`` for every autograded code cell of the source notebook.
    problems : list of str
        What a person should look at: an answer cell that hung or killed its process, and
        the reasons :func:`~course_grader.review.review_reasons` finds in the answers (the
        points stand until a person decides).
    """
    settings = source_nb.get("metadata", {}).get("course", {})
    taught = list(settings.get("taught", []))
    setup = setup_cells(source_nb)
    answers = answer_cells(submission_nb)
    namespace = {"__name__": "__judge__"}
    os.environ.setdefault("MPLBACKEND", "Agg")
    with contextlib.redirect_stdout(io.StringIO()):  # what setup prints is not the log's
        for source in setup:  # the instructor's imports and constants, in the grader
            exec(compile(source, "<setup>", "exec"), namespace)  # noqa: S102
            own_variants(namespace, student_id)  # before a later setup cell reads V
    if "matplotlib.pyplot" in sys.modules:  # a setup cell's figure, once per submission
        sys.modules["matplotlib.pyplot"].close("all")
    student = RemoteStudent(setup, answers, timeout, switched_off=taught + answer_functions(),
                            student_id=student_id)
    verdicts, spent = {}, False
    try:
        for gid, spec in hidden_specs(source_nb).items():
            left = timeout if deadline is None else deadline - time.monotonic()
            if left <= 0:
                verdicts[gid], spent = Verdict(False, BUDGET_SPENT), True
                continue
            student.timeout = min(float(timeout), left)
            verdicts[gid] = run_spec(spec, namespace, student)
    finally:
        student.close()
    problems = [reason for _cell, reason in student.problems]
    if spent:
        problems.append("the judge stopped: the submission used its time budget")
    return verdicts, problems + review_reasons(answers, taught)
