"""A grading unit: the gradebook template a worker starts from, and the payload it gets."""

import os
import sqlite3
import sys
import warnings
from pathlib import Path

import pytest

from course_grader.batch.unit import make_payload, make_template


@pytest.fixture
def course(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    # nbgrader runs alembic from PATH: the venv's bin, as make grade sets it
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment("01_a")
        gb.update_or_create_assignment("02_b")
        for student in ("ada", "bob"):
            gb.update_or_create_student(student)
            with warnings.catch_warnings():  # nbgrader's add_submission warns about its session
                warnings.simplefilter("ignore")
                gb.add_submission("01_a", student)
    return tmp_path


def _count(db, table):
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
    finally:
        con.close()


def test_make_template_keeps_assignments_and_drops_students(course, tmp_path):
    assert _count(course / "gradebook.db", "submitted_assignment") == 2
    data = make_template(course, tmp_path / "template.db")
    assert data == (tmp_path / "template.db").read_bytes()
    for table in ("student", "submitted_assignment", "submitted_notebook", "grade", "comment"):
        assert _count(tmp_path / "template.db", table) == 0, table
    assert _count(tmp_path / "template.db", "assignment") == 2
    # the course's own gradebook is untouched
    assert _count(course / "gradebook.db", "student") == 2


def test_make_payload_packs_the_folders_a_worker_needs(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    for rel in ("notebooks/01_a/01_a.ipynb", "release/01_a/01_a.ipynb",
                "release/01_a/.ipynb_checkpoints/01_a-checkpoint.ipynb", "mine/01_a.ipynb",
                "mine/sub/data.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    payload = make_payload(tmp_path, "ada", "01_a", tmp_path / "mine", b"template")
    assert payload["student"] == "ada" and payload["assignment"] == "01_a"
    assert payload["files"] == {
        "nbgrader_config.py": b"c = get_config()\n", "gradebook.db": b"template",
        "notebooks/01_a/01_a.ipynb": b"notebooks/01_a/01_a.ipynb",
        "release/01_a/01_a.ipynb": b"release/01_a/01_a.ipynb",
        "submitted/ada/01_a/01_a.ipynb": b"mine/01_a.ipynb",
        "submitted/ada/01_a/sub/data.csv": b"mine/sub/data.csv"}
