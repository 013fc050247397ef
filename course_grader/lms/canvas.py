"""``exports/canvas.csv``: the gradebook in Canvas's gradebook import format.

Canvas imports the same CSV it exports: a header ``Student,ID,SIS User ID,SIS Login ID,
Section,<assignment> (<canvas id>)...``, a second row ``    Points Possible,,,,,<points>...``
(four leading spaces), then one row per student, names as "Last, First". A column without a
Canvas id creates a new assignment; an upload overwrites the scores it holds, and a blank cell
changes nothing. So a student who did not hand in gets a blank, never a 0, unless the
instructor asks (``missing_zero``).
"""

import csv
from dataclasses import dataclass, field

from .roster import CANVAS_COLUMNS, match_students
from .scores import points_text

__all__ = ["CanvasExport", "canvas_export", "write_canvas_csv", "POINTS_POSSIBLE"]

POINTS_POSSIBLE = "    Points Possible"


@dataclass
class CanvasExport:
    """What :func:`canvas_export` found.

    Attributes
    ----------
    header : list of str
    rows : list of list of str
        The Points Possible row, then one row per roster student, in the roster's order.
    assignments : list of str
        The nbgrader assignments, in column order.
    canvas_ids : dict of str to str
        The Canvas id of each assignment that has one.
    scores : dict of str to dict of str to float
        ``{Canvas user id: {assignment: points}}`` of the students with an ID (what a push
        sends; a missing submission is absent, or 0 with ``missing_zero``).
    not_in_roster : list of str
        Gradebook students that no roster row names: not in the CSV.
    not_in_gradebook : list of str
        Roster students the gradebook does not know: blank rows in the CSV.
    """

    header: list
    rows: list
    assignments: list
    canvas_ids: dict
    scores: dict = field(default_factory=dict)
    not_in_roster: list = field(default_factory=list)
    not_in_gradebook: list = field(default_factory=list)

    def unmatched_lines(self):
        """The two lists of unmatched students as lines for a person to read."""
        lines = []
        if self.not_in_roster:
            lines.append(f"{len(self.not_in_roster)} student(s) in the gradebook but not in "
                         f"the roster (not exported): {', '.join(self.not_in_roster)}")
        if self.not_in_gradebook:
            lines.append(f"{len(self.not_in_gradebook)} student(s) in the roster but not in "
                         f"the gradebook (blank): {', '.join(self.not_in_gradebook)}")
        return lines


def _column_ids(scores, roster, assignments, canvas_ids):
    ids = {a: roster.canvas_ids[a] for a in assignments if a in roster.canvas_ids}
    for name, cid in (canvas_ids or {}).items():
        scores.check_assignments([name], where="canvas_export (a Canvas id given)")
        if not str(cid).strip().isdigit():
            raise ValueError(f"canvas_export: the Canvas id of {name!r} must be a number "
                             f"(the digits in the assignment's URL), not {cid!r}.")
        ids[name] = str(cid).strip()
    return ids


def canvas_export(scores, roster, assignments=None, canvas_ids=None, missing_zero=False):
    """Build Canvas's import table from the gradebook's points and a roster.

    Parameters
    ----------
    scores : ClassScores
        :func:`~.scores.read_scores`'s result.
    roster : Roster
        :func:`~.roster.read_roster`'s result.
    assignments : list of str, optional
        Which assignments, in this order (default: all, in the gradebook's order).
    canvas_ids : dict of str to str, optional
        ``{assignment: Canvas id}``, over the ids read from the roster's header.
    missing_zero : bool, default False
        Write 0 instead of a blank for a student without a submission.

    Returns
    -------
    CanvasExport

    Raises
    ------
    ValueError
        For an assignment the gradebook does not have, a Canvas id that is not a number, or
        two gradebook students matching one roster row.
    """
    assignments = scores.check_assignments(assignments, where="canvas_export")
    ids = _column_ids(scores, roster, assignments, canvas_ids)
    matched, not_in_roster, unmatched_rows = match_students(roster, scores.students)
    student_of = {id(row): sid for sid, row in matched.items()}
    header = list(CANVAS_COLUMNS) + [f"{a} ({ids[a]})" if a in ids else a for a in assignments]
    rows = [[POINTS_POSSIBLE, "", "", "", ""] +
            [points_text(scores.assignments[a].max_points) for a in assignments]]
    export = CanvasExport(header, rows, assignments, ids, not_in_roster=not_in_roster,
                          not_in_gradebook=[r.values[0] or r.key or f"line {r.line}"
                                            for r in unmatched_rows])
    for row in roster.rows:
        sid = student_of.get(id(row))
        points = {a: scores.totals.get((a, sid)) for a in assignments}
        if missing_zero:
            points = {a: 0.0 if p is None else p for a, p in points.items()}
        name = row.values[0] or (scores.students[sid].name if sid else "")
        rows.append([name, *row.values[1:]] + [points_text(points[a]) for a in assignments])
        if row.values[1]:
            export.scores[row.values[1]] = {a: p for a, p in points.items() if p is not None}
    return export


def write_canvas_csv(path, export):
    """Write ``export`` (a :class:`CanvasExport`) as Canvas's CSV at ``path``."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(export.header)
        writer.writerows(export.rows)
