"""One submission, graded on its own: the unit of work of `make grade`, local or on Dask.

:func:`make_payload` packs what grading one submission needs into plain bytes: the student's
folder, the assignment's source and release folders, ``nbgrader_config.py`` and a gradebook
that knows the assignment but no student. :func:`grade_unit` (in a worker process, on this
machine or on a Dask worker with the course environment and bubblewrap) unpacks it into a
temporary course, runs nbgrader's autograde and feedback in that process (the sandbox and the
judge are in the config), and returns the autograded notebooks, the feedback and the grades as
plain data. Only the coordinator writes the course's gradebook (:func:`merge_result`), so a
worker that dies writes nothing.
"""

import shutil
import sqlite3
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

from ..course import flagged_lines

__all__ = ["make_template", "make_payload", "grade_unit", "merge_result"]


def _pack(folder, prefix):
    files = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            files[f"{prefix}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return files


def make_template(root, dest):
    """A copy of the course's gradebook without students: what a worker's nbgrader needs.

    Parameters
    ----------
    root : path
        The course folder (its ``gradebook.db``).
    dest : path
        Where the copy is written.

    Returns
    -------
    bytes
        The copy's content: assignments, notebooks and grade cells, no student, submission,
        grade or comment.
    """
    shutil.copy(Path(root) / "gradebook.db", dest)
    db = sqlite3.connect(dest)
    with db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in ("grade", "comment", "submitted_notebook", "submitted_assignment",
                      "student"):
            if table in tables:
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    db.execute("VACUUM")
    db.close()
    return Path(dest).read_bytes()


def make_payload(root, student, assignment, submission_dir, template):
    """Everything a worker needs to grade ``submission_dir`` (plain bytes, picklable).

    Parameters
    ----------
    root : path
        The course folder.
    student, assignment : str
    submission_dir : path
        The staged copy of the submission.
    template : bytes
        :func:`make_template`'s gradebook.

    Returns
    -------
    dict
        ``{"student", "assignment", "files": {relative path: bytes}}``.
    """
    root = Path(root)
    files = {"nbgrader_config.py": (root / "nbgrader_config.py").read_bytes(),
             "gradebook.db": template}
    files.update(_pack(root / "notebooks" / assignment, f"notebooks/{assignment}"))
    files.update(_pack(root / "release" / assignment, f"release/{assignment}"))
    files.update(_pack(submission_dir, f"submitted/{student}/{assignment}"))
    return {"student": student, "assignment": assignment, "files": files}


def _grades(db_path, student, assignment):
    from nbgrader.api import Gradebook  # nbgrader (SQLAlchemy) in the worker, where it grades

    out = {"notebooks": {}}
    with Gradebook(f"sqlite:///{db_path}") as gb:
        sub = gb.find_submission(assignment, student)
        out["timestamp"] = sub.timestamp.isoformat() if sub.timestamp else None
        for nb in sub.notebooks:
            out["notebooks"][nb.name] = {
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: [g.auto_score, g.needs_manual_grade] for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments}}
        out["score"] = sub.score
    return out


def _api(root):
    # nbgrader.apps takes about 4 s to import: only in the worker that grades
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
    config.CourseDirectory.root = str(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def grade_unit(payload):
    """Grade one submission in a temporary course; return its results as plain data.

    Parameters
    ----------
    payload : dict
        :func:`make_payload`'s result.

    Returns
    -------
    dict
        ``student``, ``assignment``, ``ok``, ``problems``, ``log``, ``seconds`` and, when
        autograde succeeded, ``grades``, ``autograded`` and ``feedback`` (files as bytes).
    """
    start = time.perf_counter()
    student, assignment = payload["student"], payload["assignment"]
    root = Path(tempfile.mkdtemp(prefix="course-unit-"))
    try:
        for rel, data in payload["files"].items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        api = _api(root)
        with warnings.catch_warnings():  # nbgrader's add_submission warns about its session
            warnings.simplefilter("ignore")
            auto = api.autograde(assignment, student, force=True, create=True)
        log = auto.get("log", "") + auto.get("error", "")
        result = {"student": student, "assignment": assignment, "ok": bool(auto["success"]),
                  "problems": flagged_lines(log), "log": log[-3000:]}
        if result["ok"]:
            feedback = api.generate_feedback(assignment, student, force=True)
            if not feedback["success"]:
                result["problems"].append("generate_feedback failed")
            result["grades"] = _grades(root / "gradebook.db", student, assignment)
            result["autograded"] = _pack(root / "autograded" / student / assignment, ".")
            result["feedback"] = _pack(root / "feedback" / student / assignment, ".")
        result["seconds"] = time.perf_counter() - start
        return result
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _unpack(files, folder):
    shutil.rmtree(folder, ignore_errors=True)
    for rel, data in files.items():
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def merge_result(root, result):
    """Write one worker's result into the course (gradebook, autograded/, feedback/).

    Parameters
    ----------
    root : path
        The course folder.
    result : dict
        :func:`grade_unit`'s result, with ``ok`` true.

    Returns
    -------
    bool
        True when the submission already has manual grades (its feedback must be generated
        again here, where they are).
    """
    from nbgrader.api import Gradebook, MissingEntry  # the course's gradebook: the grader only

    root = Path(root)
    student, assignment = result["student"], result["assignment"]
    grades = result["grades"]
    stamp = grades.get("timestamp")
    stamp = datetime.fromisoformat(stamp) if stamp else None
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_student(student)
        try:
            sub = gb.find_submission(assignment, student)
            sub.timestamp = stamp
        except MissingEntry:
            sub = gb.add_submission(assignment, student, timestamp=stamp)
        for nb in sub.notebooks:
            theirs = grades["notebooks"].get(nb.name, {})
            nb.late_submission_penalty = theirs.get("late_submission_penalty")
            for grade in nb.grades:
                grade.auto_score, grade.needs_manual_grade = theirs.get("grades", {}).get(
                    grade.name, [0, False])
            for comment in nb.comments:
                comment.auto_comment = theirs.get("comments", {}).get(comment.name)
        gb.db.commit()
        manual = any(g.manual_score is not None for nb in sub.notebooks for g in nb.grades)
    _unpack(result["autograded"], root / "autograded" / student / assignment)
    _unpack(result["feedback"], root / "feedback" / student / assignment)
    return manual
