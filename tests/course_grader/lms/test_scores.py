"""The gradebook read as plain data: the same points nbgrader's own API gives."""

import pytest
from nbgrader.api import Gradebook, MissingEntry

from course_grader.lms.scores import points_text, read_scores


def test_totals_and_cells_are_nbgraders_scores_minus_the_late_penalty(graded_class):
    root, plan = graded_class
    url = f"sqlite:///{root / 'gradebook.db'}"
    scores = read_scores(url)
    assert list(scores.assignments) == ["01_perceptron", "03_architectures_params"]
    assert scores.assignments["01_perceptron"].max_points == 5
    assert [i.grade_id for i in scores.assignments["03_architectures_params"].items] == [
        "predict_dense_784_10_test", "count_mlp_params_test", "design_network_test"]
    with Gradebook(url) as gb:
        for student in plan:
            for assignment in scores.assignments:
                try:
                    sub = gb.find_submission(assignment, student)
                except MissingEntry:
                    assert (assignment, student) not in scores.totals
                    continue
                want = max(0.0, sub.score - sub.late_submission_penalty)
                assert scores.totals[(assignment, student)] == pytest.approx(want)
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        assert scores.cells[(assignment, student)][(nb.name, grade.name)] == \
                            pytest.approx(grade.score)
    assert scores.totals[("01_perceptron", "late")] == 3.5      # 5 - 1.5
    assert scores.totals[("01_perceptron", "regraded")] == 3.5  # 1 + 0.5 (by hand) + 2
    assert ("03_architectures_params", "nosub03") not in scores.totals


def test_points_text_never_writes_a_float_artefact():
    assert [points_text(x) for x in (3.0, 0.1 + 0.2, 2.5, 0)] == ["3", "0.3", "2.5", "0"]
