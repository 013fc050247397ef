"""make grade's batch: which submissions it finds, and how it stages them."""

import json

import pytest

from course_grader.batch.grade import STAGING, Submission, _stage, find_submissions

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
    assert sub.problems == ["01_a.ipynb is not a valid notebook (graded as blank)"]
    assert json.loads((dest / "01_a.ipynb").read_text()) == RELEASED
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode())


def test_stage_reports_a_missing_notebook(course):
    sub = Submission("ada", "01_a")
    dest = _stage(course, sub)
    assert sub.problems == ["01_a.ipynb is missing (graded as blank)"]
    assert json.loads((dest / "01_a.ipynb").read_text()) == RELEASED
