"""A synthetic graded class: a gradebook and autograded verdicts for the course's real grade
cells, without grading anything. The benchmark (``python -m benchmarks report``) times
``make report`` on 300 students x 7 assignments with it; an instructor can try the report on it.

Each student has an ability a ~ N(0, 1), each cell a difficulty b; a student answers a cell
right with probability 1 / (1 + exp(-1.7 (a - b))), leaves it blank with probability 0.05,
and otherwise gets one of three hints, on numbers of their own. The gradebook is written with
nbgrader's models in one transaction (one ``add_submission`` per submission would commit
2,100 times).
"""

import json
from pathlib import Path

import numpy as np
from nbgrader.api import (
    Grade,
    Gradebook,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)

from ..cells import is_grade_cell, nbgrader_meta

__all__ = ["course_cells", "make_class"]

HINTS = ["You gave {n}: the biases are missing.", "An output size one too small ({n}): "
         "the +1 is missing.", "Wrong shape ({n}, {m}): is W used as (units, inputs)?"]


def course_cells(source_root):
    """``{assignment: [(grade_id, points), ...]}`` of the source notebooks under
    ``source_root/notebooks`` (one notebook per assignment, named like its folder)."""
    found = {}
    for path in sorted(Path(source_root).glob("notebooks/*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        found[path.parent.name] = [(nbgrader_meta(c)["grade_id"], nbgrader_meta(c)["points"])
                                   for c in nb["cells"] if is_grade_cell(c)
                                   and not nbgrader_meta(c).get("solution")]
    return found


def _verdict_cell(grade_id, points, kind, message):
    if kind == "P":
        outputs = [{"output_type": "stream", "name": "stdout", "text": "\u2714 Passed.\n"}]
    else:
        outputs = [{"output_type": "error", "ename": "AssertionError", "evalue": message,
                    "traceback": []}]
    return {"cell_type": "code", "execution_count": 1, "id": grade_id, "source": "",
            "outputs": outputs, "metadata": {"nbgrader": {
                "grade": True, "solution": False, "grade_id": grade_id, "points": points}}}


def _answers(rng, ability, difficulty):
    """``kinds`` (N, K): "P" right, "B" blank, "W" wrong."""
    p = 1 / (1 + np.exp(-1.7 * (ability[:, None] - difficulty[None, :])))
    u = rng.random(p.shape)
    return np.where(u < p, "P", np.where(rng.random(p.shape) < 0.05, "B", "W"))


def _write_gradebook(db_url, cells, students, kinds):
    with Gradebook(db_url) as gb:
        for name, items in cells.items():
            gb.add_assignment(name)
            gb.add_notebook(name, name)
            for grade_id, points in items:
                gb.add_grade_cell(grade_id, name, name, max_score=points, cell_type="code")
        db = gb.db
        people = [Student(id=s, first_name=f"F{s}", last_name=f"L{s}") for s in students]
        db.add_all(people)
        for name, items in cells.items():
            notebook = gb.find_notebook(name, name)
            by_id = {c.name: c for c in notebook.grade_cells}
            assignment = gb.find_assignment(name)
            for i, person in enumerate(people):
                sub = SubmittedAssignment(assignment=assignment, student=person)
                nb = SubmittedNotebook(notebook=notebook, assignment=sub)
                for k, (grade_id, points) in enumerate(items):
                    right = kinds[name][i, k] == "P"
                    db.add(Grade(cell=by_id[grade_id], notebook=nb, needs_manual_grade=False,
                                 auto_score=float(points) if right else 0.0))
                db.add(sub)
        db.commit()


def make_class(root, source_root, students=300, seed=0):
    """Write ``gradebook.db``, ``autograded/`` and ``notebooks/`` of a synthetic class.

    Parameters
    ----------
    root : path
        An empty course folder.
    source_root : path
        A course whose ``notebooks/`` give the assignments and grade cells (copied, so the
        report finds the exercises with variants).
    students : int, default 300
    seed : int, default 0

    Returns
    -------
    dict
        ``{assignment: [(grade_id, points), ...]}``.
    """
    root, rng = Path(root), np.random.default_rng(seed)
    cells = course_cells(source_root)
    ids = [f"s{i:04d}" for i in range(students)]
    ability = rng.normal(size=students)
    kinds = {name: _answers(rng, ability, rng.normal(size=len(items)))
             for name, items in cells.items()}
    for name, items in cells.items():
        src = Path(source_root) / "notebooks" / name / f"{name}.ipynb"
        (root / "notebooks" / name).mkdir(parents=True, exist_ok=True)
        (root / "notebooks" / name / src.name).write_bytes(src.read_bytes())
        for i, student in enumerate(ids):
            nb_cells = []
            for k, (grade_id, points) in enumerate(items):
                kind = kinds[name][i, k]
                message = ("Not answered yet: this exercise is blank." if kind == "B" else
                           HINTS[(k + i % 2) % 3].format(n=rng.integers(10, 9999),
                                                         m=rng.integers(1, 99)))
                nb_cells.append(_verdict_cell(grade_id, points, kind, message))
            folder = root / "autograded" / student / name
            folder.mkdir(parents=True)
            (folder / f"{name}.ipynb").write_text(json.dumps(
                {"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    _write_gradebook(f"sqlite:///{root / 'gradebook.db'}", cells, ids, kinds)
    return cells
