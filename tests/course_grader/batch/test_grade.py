"""make grade's batch: which submissions it finds, and how it stages them (as data: links,
FIFOs, devices, sparse files and deep JSON are a hostile student's, and fail only that
submission)."""

import json
import os
import threading

import pytest

from course_grader.batch.grade import STAGING, Submission, _stage, find_submissions
from course_grader.batch.pool import run_units
from course_grader.staging import NotebookUnreadable, read_notebook, stage_folder
from course_grader.untrusted_copy import SubmissionRefused

RELEASED = {"cells": [{"cell_type": "code", "metadata": {}, "source": "n = None",
                       "outputs": [], "execution_count": None}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def course(tmp_path):
    for name in ("01_a", "02_b"):
        (tmp_path / "notebooks" / name).mkdir(parents=True)
        (tmp_path / "release" / name).mkdir(parents=True)
        (tmp_path / "release" / name / f"{name}.ipynb").write_text(json.dumps(RELEASED))
    for student, names in {"ada": ["01_a", "02_b", "99_unknown"], "bob": ["02_b"],
                           "cy": []}.items():
        for name in names:
            (tmp_path / "submitted" / student / name).mkdir(parents=True)
    (tmp_path / "submitted" / "stray.txt").write_text("not a student")
    return tmp_path


def _keys(subs):
    return [(s.student, s.assignment) for s in subs]


def test_find_submissions_of_known_assignments(course):
    assert _keys(find_submissions(course)) == [("ada", "01_a"), ("ada", "02_b"), ("bob", "02_b")]
    assert _keys(find_submissions(course, ["02_b"])) == [("ada", "02_b"), ("bob", "02_b")]
    assert find_submissions(course, ["99_unknown"]) == []


def test_find_submissions_without_a_submitted_folder(tmp_path):
    (tmp_path / "notebooks" / "01_a").mkdir(parents=True)
    assert find_submissions(tmp_path) == []


def test_stage_copies_a_valid_notebook_unchanged(course):
    folder = course / "submitted" / "ada" / "01_a"
    mine = dict(RELEASED, cells=[dict(RELEASED["cells"][0], source="n = 3")])
    (folder / "01_a.ipynb").write_text(json.dumps(mine))
    (folder / "data.csv").write_text("1,2\n")
    sub = Submission("ada", "01_a")
    dest = _stage(course, sub)
    assert dest == course / STAGING / "ada" / "01_a"
    assert json.loads((dest / "01_a.ipynb").read_text()) == mine
    assert (dest / "data.csv").read_text() == "1,2\n" and sub.problems == []


@pytest.mark.parametrize("content", ["{not json", '{"no": "cells"}', "[1, 2]", b"\xff\xfe"])
def test_stage_replaces_an_invalid_notebook_by_the_release(course, content):
    path = course / "submitted" / "ada" / "01_a" / "01_a.ipynb"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    sub = Submission("ada", "01_a")
    dest = _stage(course, sub)
    assert len(sub.problems) == 1
    assert sub.problems[0].startswith("01_a.ipynb is not a valid notebook (graded as blank): ")
    assert json.loads((dest / "01_a.ipynb").read_text()) == RELEASED
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode())


def test_stage_reports_a_missing_notebook(course):
    sub = Submission("ada", "01_a")
    dest = _stage(course, sub)
    assert sub.problems == ["01_a.ipynb is missing (graded as blank)"]
    assert json.loads((dest / "01_a.ipynb").read_text()) == RELEASED


def _staged(course, build):
    """Stage ada's 01_a after ``build(folder)``, with a 20 s alarm (a FIFO would block)."""
    folder = course / "submitted" / "ada" / "01_a"
    (folder / "01_a.ipynb").write_text(json.dumps(RELEASED))
    build(folder)
    sub, result = Submission("ada", "01_a"), {}
    worker = threading.Thread(target=lambda: result.update(dest=_stage(course, sub)),
                              daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "staging blocked on the submission's folder"
    return sub, result["dest"]


def test_stage_never_follows_a_link(course, tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("every student's score")
    (tmp_path / "notebooks" / "01_a" / "01_a.ipynb").write_text("the solution")

    def links(folder):
        os.symlink(secret, folder / "grades.txt")
        os.symlink(tmp_path / "notebooks", folder / "notebooks")
        os.symlink("/etc/passwd", folder / "passwd")

    sub, dest = _staged(course, links)
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb"]
    assert sorted(sub.problems) == [f"skipped {name}: a symbolic link (not followed)"
                                    for name in ("grades.txt", "notebooks", "passwd")]


def test_stage_skips_fifos_and_devices(course):
    def specials(folder):
        os.mkfifo(folder / "pipe")
        os.symlink("/dev/zero", folder / "zero")

    sub, dest = _staged(course, specials)
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb"]
    assert sorted(sub.problems) == ["skipped pipe: a named pipe",
                                    "skipped zero: a symbolic link (not followed)"]


def test_stage_counts_a_sparse_file_by_its_length(course, monkeypatch):
    monkeypatch.setenv("COURSE_SUBMISSION_FILE_MB", "1")

    def sparse(folder):
        with open(folder / "big.bin", "wb") as f:
            f.truncate(2**30)  # 1 GiB that uses no disk

    sub, dest = _staged(course, sparse)
    assert not (dest / "big.bin").exists()
    assert sub.problems == ["skipped big.bin: 1073.7 MB, over the 1.0 MB cap"]


def test_a_submission_over_its_cap_is_refused_and_graded_as_blank(course, monkeypatch):
    monkeypatch.setenv("COURSE_SUBMISSION_MB", "1")

    def many(folder):
        for name in ("a.bin", "b.bin"):
            (folder / name).write_bytes(b"x" * 600_000)

    sub, dest = _staged(course, many)
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb"]
    assert sub.problems == [
        "the whole submission was refused: 1.2 MB of files, over the 1.0 MB cap of a submission",
        "01_a.ipynb is missing (graded as blank)"]
    assert json.loads((dest / "01_a.ipynb").read_text()) == RELEASED


def test_stage_skips_folders_nested_too_deep(course):
    def deep(folder):
        nested = folder.joinpath(*[f"d{i}" for i in range(10)])
        nested.mkdir(parents=True)
        (nested / "x.txt").write_text("x")

    sub, dest = _staged(course, deep)
    assert sub.problems == ["skipped d0/d1/d2/d3/d4/d5/d6/d7/d8: more than 8 folders deep"]
    assert (dest / "d0" / "d1").is_dir() and not list(dest.rglob("x.txt"))


def test_a_deeply_nested_notebook_is_graded_as_blank(course):
    def deep(folder):
        (folder / "01_a.ipynb").write_text('{"cells": [], "metadata": '
                                           + "[" * 100_000 + "]" * 100_000 + "}")

    sub, dest = _staged(course, deep)
    assert sub.problems == ["01_a.ipynb is not a valid notebook (graded as blank): 01_a.ipynb "
                            "nests 100001 levels deep, more than the 100 a notebook may"]
    assert (course / "submitted" / "ada" / "01_a" / "01_a.ipynb").stat().st_size > 200_000
    assert json.loads((dest / "01_a.ipynb").read_text()) == RELEASED


def test_read_notebook_ignores_brackets_in_strings(tmp_path):
    nb = dict(RELEASED, cells=[dict(RELEASED["cells"][0], source="[" * 500 + '\\"{')])
    (tmp_path / "x.ipynb").write_text(json.dumps(nb))
    assert read_notebook(tmp_path / "x.ipynb") == nb
    (tmp_path / "y.ipynb").write_text("[1]")
    with pytest.raises(NotebookUnreadable, match="y.ipynb has no list of cells"):
        read_notebook(tmp_path / "y.ipynb")


def test_stage_folder_never_changes_the_students_folder(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text("a")
    before = sorted(str(p) for p in src.rglob("*"))
    assert stage_folder(src, tmp_path / "dest") == []
    os.symlink(src, tmp_path / "link")
    with pytest.raises(SubmissionRefused):  # a folder that is a link is never read
        stage_folder(tmp_path / "link", tmp_path / "dest2")
    assert (tmp_path / "dest" / "sub" / "a.txt").read_text() == "a"
    assert sorted(str(p) for p in src.rglob("*")) == before


def test_folders_that_are_not_students_are_refused(course, tmp_path):
    (tmp_path / "elsewhere" / "01_a").mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere", course / "submitted" / "linked")
    (course / "submitted" / "<img onerror=x>" / "01_a").mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere" / "01_a", course / "submitted" / "bob" / "01_a")
    found = {(s.student, s.assignment): s.problems for s in find_submissions(course)}
    assert found[("linked", "01_a")] == ["not graded: the submission is a link, not a folder"]
    assert found[("bob", "01_a")] == ["not graded: the submission is a link, not a folder"]
    assert found[("<img onerror=x>", "01_a")] == [
        "not graded: the folder's name is not a student id (letters, digits and ._@- only)"]
    assert found[("ada", "01_a")] == []


def test_a_submission_whose_staging_fails_is_reported_and_the_others_go_on():
    results = []

    def payload(job):
        if job["student"] == "bad":
            raise RecursionError("maximum recursion depth exceeded")
        raise LookupError("never graded here")  # the good one: its own failure, reported too

    run_units([{"student": "bad", "assignment": "01"}, {"student": "good", "assignment": "01"}],
              payload, workers=1, on_result=results.append)
    assert [(r["student"], r["ok"], r["problems"]) for r in results] == [
        ("bad", False, ["staging failed: RecursionError: maximum recursion depth exceeded"]),
        ("good", False, ["staging failed: LookupError: never graded here"])]
