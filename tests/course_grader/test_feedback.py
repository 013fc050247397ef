"""course_grader.feedback: a notebook that still holds a hidden test gets no feedback."""

import pytest

from course_grader.cells import BEGIN_HIDDEN, END_HIDDEN
from course_grader.feedback import HiddenTestsLeft, RefuseHiddenTests

GRADE = {"nbgrader": {"grade": True, "grade_id": "n_test", "locked": True, "points": 1,
                      "schema_version": 3, "solution": False, "task": False}}
SOLUTION = {"nbgrader": {"grade": False, "grade_id": "n", "locked": False,
                         "schema_version": 3, "solution": True, "task": False}}


def notebook(grade_source, answer="n_params = 7850"):
    return {"cells": [
        {"cell_type": "code", "metadata": SOLUTION, "outputs": [], "source": answer},
        {"cell_type": "code", "metadata": GRADE, "outputs": [], "source": grade_source}]}


def test_a_stripped_notebook_passes_unchanged():
    nb = notebook('require_answer(n_params, "Exercise 2")\n# (hidden tests: run at grading time)')
    out, _ = RefuseHiddenTests().preprocess(nb, {})
    assert out is nb


def test_a_hidden_region_left_in_a_grade_cell_stops_the_feedback():
    nb = notebook(f"{BEGIN_HIDDEN}\nassert n_params == 7850, 'biases?'\n{END_HIDDEN}")
    with pytest.raises(HiddenTestsLeft, match="cell 1 still holds a hidden-test region"):
        RefuseHiddenTests().preprocess(nb, {})


def test_a_marker_in_a_students_answer_does_not_stop_its_feedback():
    # a student who pastes the marker text into an answer cell must not lose the feedback
    nb = notebook("# (hidden tests: run at grading time)", answer=f"x = '{BEGIN_HIDDEN}'")
    RefuseHiddenTests().preprocess(nb, {})
