"""Every variant exercise's instant check accepts the right answers and gives each documented
mistake its hint, for the default variant and a sample of student ids (issue 27: 06's check
once rejected every right table, because its shapes are ragged)."""

import io
from contextlib import redirect_stdout

import pytest

from course_grader.variants import expected
from course_lib.checking.variants import EXERCISES, Variant

STUDENTS = [None, "ada", "s1234567", "grace.hopper@example.org", "7", "x" * 40]
CASES = [(a, e, s) for a, exercises in EXERCISES.items() for e in exercises for s in STUDENTS]


def _check(v, exercise, answers):
    out = io.StringIO()
    with redirect_stdout(out):
        ok = v.check(exercise, **answers)
    return ok, out.getvalue()


@pytest.mark.parametrize("assignment, exercise, student", CASES,
                         ids=[f"{a}-{e}-{s}" for a, e, s in CASES])
def test_the_right_answers_pass_and_each_mistake_gets_its_hint(assignment, exercise, student):
    v = Variant(assignment, student)
    want = expected(v, exercise)
    ok, printed = _check(v, exercise, want)
    assert ok, f"the right answers fail the instant check:\n{printed}"
    for name, mistakes in v.mistakes(exercise).items():
        for wrong, hint in mistakes:
            ok, printed = _check(v, exercise, {name: wrong})
            assert not ok, (name, wrong, printed)
            assert hint in printed or any(  # two mistakes with one value: the first one's hint
                h in printed for w, h in mistakes if EXERCISES[assignment][exercise].same(
                    name, w, wrong)), (name, wrong, hint, printed)
