"""exports/moodle.csv: one identifier column and one column of points per assignment."""

import pytest
from nbgrader.api import Gradebook, MissingEntry

from course_grader.lms.moodle import moodle_table
from course_grader.lms.scores import StudentInfo, read_scores


def test_the_table_matches_the_gradebook_cell_for_cell(graded_class):
    root, plan = graded_class
    url = f"sqlite:///{root / 'gradebook.db'}"
    table = moodle_table(read_scores(url))
    assert table[0] == ["ID number", "First name", "Last name", "01_perceptron",
                        "03_architectures_params"]
    assert sorted(r[0] for r in table[1:]) == sorted(plan)
    with Gradebook(url) as gb:
        for row in table[1:]:
            assert row[1:3] == [gb.find_student(row[0]).first_name,
                                gb.find_student(row[0]).last_name]
            for cell, assignment in zip(row[3:], table[0][3:], strict=True):
                try:
                    sub = gb.find_submission(assignment, row[0])
                except MissingEntry:
                    assert cell == ""
                    continue
                assert float(cell) == pytest.approx(
                    max(0.0, sub.score - sub.late_submission_penalty))


def test_email_identifier_and_its_refusal(graded_class):
    root, _plan = graded_class
    scores = read_scores(f"sqlite:///{root / 'gradebook.db'}")
    table = moodle_table(scores, ["03_architectures_params"], identifier="email")
    assert table[0] == ["Email address", "First name", "Last name", "03_architectures_params"]
    assert table[1][0].endswith("@uni.example")
    scores.students["noemail"] = StudentInfo("noemail")
    with pytest.raises(ValueError, match="1 student.*no email.*noemail"):
        moodle_table(scores, identifier="email")
    with pytest.raises(ValueError, match="identifier 'sis'"):
        moodle_table(scores, identifier="sis")
    with pytest.raises(ValueError, match="unknown assignment '99'"):
        moodle_table(scores, ["99"])
