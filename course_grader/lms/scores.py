"""A class's points read from nbgrader's gradebook, once, as plain data.

Every export and the item analysis start from :func:`read_scores`: a few SQL queries through
nbgrader's own models (``nbgrader.api``) instead of one ORM object per grade, so 300 students
x 7 assignments read in well under a second.
"""

from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import (
    Assignment,
    BaseCell,
    Grade,
    Gradebook,
    GradeCell,
    Notebook,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
    TaskCell,
)
from sqlalchemy import func, literal_column

__all__ = ["Item", "AssignmentInfo", "StudentInfo", "ClassScores", "read_scores",
           "points_text"]


@dataclass(frozen=True)
class Item:
    """One graded cell of an assignment: ``notebook``, ``grade_id`` and its ``max_points``."""

    notebook: str
    grade_id: str
    max_points: float


@dataclass
class AssignmentInfo:
    """An assignment: its name, graded cells (in notebook order) and maximum points."""

    name: str
    items: list = field(default_factory=list)

    @property
    def max_points(self):
        """The assignment's points possible: the sum of its cells' maximum points."""
        return float(sum(item.max_points for item in self.items))


@dataclass(frozen=True)
class StudentInfo:
    """A student as the gradebook knows them."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    @property
    def name(self):
        """``"Last, First"`` (Canvas's form), or the id when the gradebook has no name."""
        parts = [p for p in (self.last_name, self.first_name) if p]
        return ", ".join(parts) if parts else self.id


@dataclass
class ClassScores:
    """Everything the exports and the item analysis read from a gradebook.

    Attributes
    ----------
    assignments : dict of str to AssignmentInfo
        In the gradebook's order (by due date, then name).
    students : dict of str to StudentInfo
    totals : dict of (assignment, student) to float
        Points as nbgrader computes them for ``grades.csv``: the sum of the cells' scores
        (manual over automatic, plus extra credit) minus the late penalty, at least 0. A
        student without a submission has no entry (blank, never 0).
    cells : dict of (assignment, student) to dict of (notebook, grade_id) to float
        Each submitted cell's score.
    """

    assignments: dict
    students: dict
    totals: dict
    cells: dict

    def submitted(self, assignment):
        """The ids of the students with a submission of ``assignment``, sorted."""
        return sorted(s for a, s in self.totals if a == assignment)

    def check_assignments(self, names, where="export"):
        """``names`` (all assignments when None) after checking that each is in the gradebook.

        Raises
        ------
        ValueError
            Naming the unknown assignment and the known ones.
        """
        if names is None:
            return list(self.assignments)
        unknown = [n for n in names if n not in self.assignments]
        if unknown:
            raise ValueError(f"{where}: unknown assignment {unknown[0]!r}: the gradebook has "
                             f"{list(self.assignments)}. Check the name (or grade it first).")
        return list(names)


def _items(db):
    """``{assignment: [Item, ...]}`` in the order nbgrader created the cells (the notebook's)."""
    found = {}
    for kind in (GradeCell, TaskCell):
        rows = (db.query(Assignment.name, Notebook.name, kind.name, kind.max_score)
                .select_from(kind).join(Notebook, kind.notebook_id == Notebook.id)
                .join(Assignment, Notebook.assignment_id == Assignment.id)
                .order_by(Notebook.name, literal_column("base_cell.rowid")))
        for assignment, notebook, name, points in rows:
            found.setdefault(assignment, []).append(Item(notebook, name, float(points or 0)))
    return found


def _cell_scores(db):
    rows = (db.query(SubmittedAssignment.student_id, Assignment.name, Notebook.name,
                     BaseCell.name, Grade.score)
            .select_from(Grade)
            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
            .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
            .join(BaseCell, Grade.cell_id == BaseCell.id))
    cells = {}
    for student, assignment, notebook, cell, score in rows:
        cells.setdefault((assignment, student), {})[(notebook, cell)] = float(score or 0)
    return cells


def _penalties(db):
    rows = (db.query(SubmittedAssignment.student_id, Assignment.name,
                     func.sum(SubmittedNotebook.late_submission_penalty))
            .select_from(SubmittedAssignment)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .outerjoin(SubmittedNotebook,
                       SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .group_by(SubmittedAssignment.id))
    return {(assignment, student): float(p or 0) for student, assignment, p in rows}


def read_scores(db_url):
    """Read a gradebook's assignments, students and points.

    Parameters
    ----------
    db_url : str
        SQLAlchemy URL of the gradebook (``"sqlite:///gradebook.db"``).

    Returns
    -------
    ClassScores

    Raises
    ------
    FileNotFoundError
        If the URL names an SQLite file that does not exist (nbgrader would create it).
    """
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).is_file():
        raise FileNotFoundError(f"read_scores: no gradebook at {db_url[len('sqlite:///'):]}; "
                                "grade first (make grade) or run this in the course folder.")
    with Gradebook(db_url) as gb:
        db = gb.db
        order = [a.name for a in gb.assignments]
        items = _items(db)
        students = {sid: StudentInfo(sid, first or "", last or "", email or "")
                    for sid, first, last, email in db.query(
                        Student.id, Student.first_name, Student.last_name, Student.email)}
        cells = _cell_scores(db)
        penalties = _penalties(db)
    totals = {key: max(0.0, sum(cells.get(key, {}).values()) - penalty)
              for key, penalty in penalties.items()}
    for key in totals:
        cells.setdefault(key, {})
    assignments = {name: AssignmentInfo(name, items.get(name, [])) for name in order}
    return ClassScores(assignments, students, totals, cells)


def points_text(points):
    """Points as a CSV cell: a whole number without ``.0``, else up to four decimals.

    Examples
    --------
    >>> points_text(7.0), points_text(6.5), points_text(1/3), points_text(None)
    ('7', '6.5', '0.3333', '')
    """
    if points is None:
        return ""
    value = round(float(points), 4)
    return str(int(value)) if value.is_integer() else repr(value)
