"""Each student's own numbers: a variant of every value exercise, drawn from the student's id.

A notebook's first cell says ``V = variant("03_architectures_params")``. The variant's seed is
derived from the assignment and the student id, so it is the same on the student's machine and
at grading:

- the student id is ``COURSE_STUDENT`` when set (the grader sets it to nbgrader's student id
  for every submission it grades), else ``JUPYTERHUB_USER`` (a student on the course's
  JupyterHub); with neither (a laptop, Binder) the notebook uses the **default variant**, the
  numbers of the lecture, and says so;
- ``V.show(exercise)`` prints the exercise's statement with the student's numbers,
  ``V[exercise]`` holds those numbers (``V["networks"].a1``), ``V.check(exercise, name=value)``
  is the instant check;
- the judge recomputes the expected answers in the grader's process
  (``course_grader.variants.expected``). The instant check must compute them too, here, so
  a determined student can read them off this package's source; at grading the exercises'
  answer functions are switched off in the sandbox's copy of course_lib, and an answer cell
  that reaches into this package is flagged for a person (``course_grader.review``).

The exercises themselves (how their numbers are drawn, their statements, answers and common
mistakes) live in :mod:`.variants_dense` (01, 03) and :mod:`.variants_conv` (04, 05, 06).

``python -m course_grader variant STUDENT ASSIGNMENT`` shows an instructor any student's
numbers and answers.
"""

import hashlib
import os
import types

import numpy as np

from . import variants_conv, variants_dense
from .blanks import is_blank
from .checks import say
from .reveal import mark_checked

__all__ = ["variant", "student_id", "seed_of", "Variant", "EXERCISES"]

EXERCISES = {**variants_dense.EXERCISES, **variants_conv.EXERCISES}

DEFAULT_NOTE = (
    "*Default variant*: no student id is set, so these are the default numbers. If your "
    "notebook is graded, work on your own numbers: on the course's JupyterHub they come from "
    "your user name; elsewhere start JupyterLab with `COURSE_STUDENT=<your nbgrader id>` "
    "(or run `%env COURSE_STUDENT=<your id>` here, then the first cell again).")


def student_id(environ=None):
    """The student id the variant is drawn from: ``COURSE_STUDENT``, else
    ``JUPYTERHUB_USER``, else None (the default variant).

    Examples
    --------
    >>> student_id({"JUPYTERHUB_USER": "ada"}), student_id({}) is None
    ('ada', True)
    """
    environ = os.environ if environ is None else environ
    for key in ("COURSE_STUDENT", "JUPYTERHUB_USER"):
        value = str(environ.get(key, "")).strip()
        if value:
            return value
    return None


def seed_of(student, assignment):
    """The seed of a student's variant: 64 bits of SHA-256 of ``assignment/student``.

    Examples
    --------
    >>> seed_of("ada", "01_perceptron") == seed_of("ada", "01_perceptron")
    True
    >>> seed_of("ada", "01_perceptron") == seed_of("bob", "01_perceptron")
    False
    """
    digest = hashlib.sha256(f"{assignment}/{student}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


class Variant:
    """One student's numbers for every value exercise of one assignment.

    Parameters
    ----------
    assignment : str
        The assignment's folder name (``"03_architectures_params"``).
    student : str or None
        The student id; None gives the default variant (the default numbers, the lecture's
        where it has them).
    """

    def __init__(self, assignment, student=None):
        if assignment not in EXERCISES:
            raise ValueError(f"variant: no exercises with variants in {assignment!r}; "
                             f"known: {sorted(EXERCISES)}")
        self.assignment, self.student = assignment, student
        self._exercises = EXERCISES[assignment]
        rng = np.random.default_rng(seed_of(student, assignment))
        self._numbers = {name: (ex.default() if student is None else ex.draw(rng))
                         for name, ex in self._exercises.items()}

    @property
    def is_default(self):
        """True when no student id was found."""
        return self.student is None

    @property
    def who(self):
        """Whose numbers these are, in words."""
        return "the default variant" if self.is_default else f"student {self.student!r}"

    def __repr__(self):
        return f"Variant({self.assignment!r}, {self.who})"

    def __getitem__(self, exercise):
        return types.SimpleNamespace(**self._exercise(exercise)[1])

    def _exercise(self, exercise):
        if exercise not in self._exercises:
            raise KeyError(f"{self.assignment} has no exercise {exercise!r} with variants; "
                           f"it has {sorted(self._exercises)}")
        return self._exercises[exercise], dict(self._numbers[exercise])

    def numbers(self):
        """``{exercise: {name: number}}``: every number of this variant, as plain data."""
        return {name: dict(nums) for name, nums in self._numbers.items()}

    def text(self, exercise):
        """The exercise's statement with these numbers (Markdown)."""
        ex, nums = self._exercise(exercise)
        return ex.text(nums) + ("\n\n" + DEFAULT_NOTE if self.is_default else
                                f"\n\n*These numbers are yours ({self.who}).*")

    def show(self, exercise):
        """Display the statement (rendered Markdown in a notebook, printed elsewhere)."""
        try:  # IPython only in a notebook: printed plain elsewhere
            from IPython import get_ipython
            from IPython.display import Markdown, display
        except ImportError:
            get_ipython = None
        if get_ipython is not None and get_ipython() is not None:
            display(Markdown(self.text(exercise)))
        else:
            print(self.text(exercise))

    def mine(self, exercise):
        """One line for feedback: which numbers were this student's."""
        ex, nums = self._exercise(exercise)
        return f"Your numbers ({self.who}): {ex.summary(nums)}."

    def mistakes(self, exercise):
        """``{answer name: [(wrong value, hint), ...]}``: the common mistakes that give a wrong
        answer for these numbers (a mistake can give the right one: no pad to forget)."""
        ex, nums = self._exercise(exercise)
        return _wrong_only(ex, nums, ex.answers(nums))

    def check(self, exercise, **answers):
        """The instant check: print right or not yet (with a hint) for each answer given.

        Returns
        -------
        bool
            True when every answer given is right.
        """
        ex, nums = self._exercise(exercise)
        want = ex.answers(nums)
        hints = _wrong_only(ex, nums, want)
        ok = True
        for name, value in answers.items():
            ok &= _say(name, value, want[name], hints.get(name, ()), ex.same)
        return ok


def _wrong_only(ex, nums, want):
    """The exercise's common mistakes, without those that give the right answer here; two
    mistakes that give the same wrong number share one hint that names both."""
    out = {}
    for name, hints in ex.mistakes(nums).items():
        kept = []
        for wrong, hint in hints:
            if ex.same(name, wrong, want[name]):
                continue
            twin = next((i for i, (seen, _) in enumerate(kept) if ex.same(name, wrong, seen)),
                        None)
            if twin is None:
                kept.append((wrong, hint))
            else:
                kept[twin] = (wrong, f"Two slips give this number. {kept[twin][1]} Or: {hint}")
        out[name] = kept
    return out


def _say(name, value, want, hints, same):
    if is_blank(value):
        return say(False, name, blank=True)
    mark_checked(name)  # a worked answer that waits for this one may now be shown (.reveal)
    if same(name, value, want):
        return say(True, name)
    return say(False, name, hint=next((text for wrong, text in hints if same(name, value, wrong)),
                                      None))


def variant(assignment, student=None):
    """This student's :class:`Variant` of ``assignment`` (the id from :func:`student_id`)."""
    return Variant(assignment, student if student is not None else student_id())

