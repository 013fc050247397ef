"""exports/canvas.csv: Canvas's import format, cell for cell against the gradebook."""

import csv

import pytest
from nbgrader.api import Gradebook, MissingEntry

from course_grader.lms.canvas import POINTS_POSSIBLE, canvas_export, write_canvas_csv
from course_grader.lms.roster import read_roster
from course_grader.lms.scores import read_scores


def _export(graded_class, roster_path, tmp_path, **kw):
    root, _plan = graded_class
    scores = read_scores(f"sqlite:///{root / 'gradebook.db'}")
    export = canvas_export(scores, read_roster(roster_path), **kw)
    write_canvas_csv(tmp_path / "canvas.csv", export)
    return export, list(csv.reader(open(tmp_path / "canvas.csv", newline="")))


def test_the_csv_matches_the_gradebook_cell_for_cell(graded_class, roster, tmp_path):
    root, plan = graded_class
    export, rows = _export(graded_class, roster, tmp_path,
                           canvas_ids={"03_architectures_params": "502"})
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "01_perceptron (501)", "03_architectures_params (502)"]
    assert rows[1] == [POINTS_POSSIBLE, "", "", "", "", "5", "6"]
    assert rows[1][0] == "    Points Possible"
    roster_rows = list(csv.reader(open(roster, newline="")))[2:]
    assert len(rows) == 2 + len(roster_rows)
    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url) as gb:
        for theirs, ours in zip(roster_rows, rows[2:], strict=True):
            assert ours[:5] == theirs[:5]        # "Last, First", ID, SIS ids, section
            assert ", " in ours[0]
            student = theirs[3].lower()
            for cell, assignment in zip(ours[5:], ["01_perceptron", "03_architectures_params"],
                                        strict=True):
                try:
                    sub = gb.find_submission(assignment, student)
                except MissingEntry:
                    assert cell == ""           # no submission: blank, never 0
                    continue
                want = max(0.0, sub.score - sub.late_submission_penalty)
                assert float(cell) == pytest.approx(want), (student, assignment)
    by_login = {r[3]: r for r in rows[2:]}
    assert by_login["HONEST0"][5:] == ["5", "6"]           # matched without case
    assert by_login["late"][5] == "3.5" and by_login["regraded"][5] == "3.5"
    assert by_login["nosub03"][6] == "" and by_login["blank0"][5:] == ["0", "0"]
    assert by_login["ghost"][5:] == ["", ""]
    assert export.not_in_roster == ["notinroster"]
    assert export.not_in_gradebook == [roster_rows[-1][0]] and roster_rows[-1][3] == "ghost"
    assert any("notinroster" in line for line in export.unmatched_lines())


def test_missing_zero_writes_0_only_when_asked(graded_class, roster, tmp_path):
    export, rows = _export(graded_class, roster, tmp_path, missing_zero=True)
    by_login = {r[3]: r for r in rows[2:]}
    assert by_login["nosub03"][6] == "0" and by_login["ghost"][5:] == ["0", "0"]
    assert rows[0][6] == "03_architectures_params"     # no Canvas id: a new assignment
    assert export.scores["1000"] == {"01_perceptron": 5.0, "03_architectures_params": 6.0}


def test_one_assignment_and_unknown_ones(graded_class, roster, tmp_path):
    _export_, rows = _export(graded_class, roster, tmp_path, assignments=["01_perceptron"])
    assert rows[0][5:] == ["01_perceptron (501)"] and rows[1][5:] == ["5"]
    with pytest.raises(ValueError, match="unknown assignment '02_nope'.*01_perceptron"):
        _export(graded_class, roster, tmp_path, assignments=["02_nope"])
    with pytest.raises(ValueError, match="unknown assignment 'Quiz 9'"):
        _export(graded_class, roster, tmp_path, canvas_ids={"Quiz 9": "12"})
    with pytest.raises(ValueError, match="must be a number"):
        _export(graded_class, roster, tmp_path, canvas_ids={"01_perceptron": "abc"})
