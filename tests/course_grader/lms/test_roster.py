"""Rosters that cannot be used are refused, naming the file, the column or the student."""

import pytest

from course_grader.lms.roster import read_roster

HEADER = "Student,ID,SIS User ID,SIS Login ID,Section,01_perceptron (501),Quiz (7)\n"
POINTS = "    Points Possible,,,,,5,10\n"


def _write(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_canvas_export_is_read_without_its_points_row(tmp_path):
    path = _write(tmp_path, "\ufeff" + HEADER + POINTS + '"Lovelace, Ada",11,S1,ada,A,,\n\n')
    roster = read_roster(path)
    assert [(r.key, r.values) for r in roster.rows] == [
        ("ada", ("Lovelace, Ada", "11", "S1", "ada", "A"))]
    assert roster.canvas_ids == {"01_perceptron": "501", "Quiz": "7"}


def test_a_roster_without_canvas_columns_is_refused(tmp_path):
    path = _write(tmp_path, "name,email\nAda,ada@x\n")
    with pytest.raises(ValueError, match=r"roster.csv has no column 'Student'"):
        read_roster(path)


def test_an_id_column_that_is_not_there_is_named(tmp_path):
    path = _write(tmp_path, HEADER + POINTS)
    with pytest.raises(ValueError, match="no column 'Email'.*--id-column"):
        read_roster(path, id_column="Email")


def test_a_student_id_on_two_rows_is_refused(tmp_path):
    path = _write(tmp_path, HEADER + POINTS + '"A, A",1,S1,ada,A,,\n"B, B",2,S2,ADA,A,,\n')
    with pytest.raises(ValueError, match=r"SIS Login ID 'ADA' is on two rows \(lines 3 and 4\)"):
        read_roster(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match="is empty"):
        read_roster(_write(tmp_path, ""))


def test_another_id_column_can_be_chosen(tmp_path):
    path = _write(tmp_path, HEADER + POINTS + '"A, A",1,S1,ada,A,,\n')
    assert [r.key for r in read_roster(path, id_column="SIS User ID").rows] == ["S1"]
