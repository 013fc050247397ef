"""python -m course_grader export | report, run in a course folder (COURSE_ROOT)."""

import csv
import io

import pytest

from course_grader.lms.commands import export_main, report_main


@pytest.fixture
def course(graded_class, monkeypatch):
    root, _plan = graded_class
    monkeypatch.setenv("COURSE_ROOT", str(root))
    return root


def test_export_writes_both_files_and_lists_the_unmatched(course, roster, tmp_path):
    out = io.StringIO()
    code = export_main(["--roster", str(roster), "--canvas-id", "03_architectures_params=502",
                        "--out", str(tmp_path / "exports")], out=out)
    assert code == 0
    text = out.getvalue()
    assert "in the gradebook but not in the roster (not exported): notinroster" in text
    assert "in the roster but not in the gradebook (blank)" in text
    canvas = list(csv.reader(open(tmp_path / "exports" / "canvas.csv", newline="")))
    assert canvas[0][5:] == ["01_perceptron (501)", "03_architectures_params (502)"]
    moodle = list(csv.reader(open(tmp_path / "exports" / "moodle.csv", newline="")))
    assert moodle[0][0] == "ID number" and len(moodle) == 23


def test_export_without_a_roster_writes_moodle_and_says_why_not_canvas(course, tmp_path):
    out = io.StringIO()
    assert export_main(["--out", str(tmp_path / "e")], out=out) == 0
    assert "canvas.csv not written" in out.getvalue()
    assert not (tmp_path / "e" / "canvas.csv").exists()


@pytest.mark.parametrize("argv, words", [
    (["--assignment", "09_nope"], "unknown assignment '09_nope'"),
    (["--canvas-id", "501"], "--canvas-id takes ASSIGNMENT=ID, not '501'"),
    (["--id-column", "Email"], "roster.csv has no column 'Email'"),
    (["--dry-run"], "a push needs --course and --canvas-url"),
])
def test_export_refusals_are_one_clear_line(course, roster, tmp_path, capsys, argv, words,
                                            monkeypatch):
    monkeypatch.delenv("CANVAS_URL", raising=False)
    code = export_main(["--roster", str(roster), "--out", str(tmp_path / "e"), *argv],
                       out=io.StringIO())
    assert code == 2 and words in capsys.readouterr().err


def test_report_prints_the_flagged_exercise_and_its_hint(course, tmp_path, seeded_mistake):
    grade_id, hint = seeded_mistake
    out = io.StringIO()
    assert report_main(["--out", str(tmp_path / "r")], out=out) == 0
    assert f"03_architectures_params/{grade_id}: fail rate" in out.getvalue()
    assert f"most frequent hint (13x): {hint}" in out.getvalue()
    assert (tmp_path / "r" / "index.html").is_file()


def test_no_gradebook_is_a_clear_refusal(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    assert report_main([], out=io.StringIO()) == 2
    assert "no gradebook at" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()
