"""The class list as Canvas exports it, and who in it is whom in the gradebook.

The roster is Canvas's gradebook export (Grades -> Export -> CSV): a header
``Student,ID,SIS User ID,SIS Login ID,Section,<assignment> (<canvas id>)...``, a row
``    Points Possible,...`` (and, in some exports, other rows whose first cell starts with
spaces), then one row per student. One of its columns holds nbgrader's student id (the SIS
Login ID by default). The assignment columns give each Canvas assignment's id, so an export
reuses the assignments Canvas already has.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CANVAS_COLUMNS", "RosterRow", "Roster", "read_roster", "match_students"]

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_ASSIGNMENT_COLUMN = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")


@dataclass(frozen=True)
class RosterRow:
    """One student of the roster: ``line`` (in the file), ``key`` (the id column's value) and
    ``values`` (the five Canvas columns, in :data:`CANVAS_COLUMNS` order)."""

    line: int
    key: str
    values: tuple


@dataclass
class Roster:
    """A roster file read by :func:`read_roster`.

    Attributes
    ----------
    path : Path
    id_column : str
        The column that holds nbgrader's student ids.
    rows : list of RosterRow
        The students, in the file's order.
    canvas_ids : dict of str to str
        ``{assignment name: Canvas assignment id}`` from the header's ``Name (id)`` columns.
    """

    path: Path
    id_column: str
    rows: list = field(default_factory=list)
    canvas_ids: dict = field(default_factory=dict)


def _header(path, reader):
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValueError(f"read_roster: {path} is empty; export the gradebook from Canvas "
                         "(Grades -> Export -> Export Entire Gradebook).") from None
    return header


def read_roster(path, id_column="SIS Login ID"):
    """Read a Canvas gradebook export as a roster.

    Parameters
    ----------
    path : path
        The CSV file.
    id_column : str, default "SIS Login ID"
        The column whose values are nbgrader's student ids (compared without case).

    Returns
    -------
    Roster

    Raises
    ------
    ValueError
        If the file lacks one of Canvas's five columns or ``id_column``, or if two rows have
        the same id (naming the id and both lines).
    """
    path = Path(path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = _header(path, reader)
        missing = [c for c in (*CANVAS_COLUMNS, id_column) if c not in header]
        if missing:
            raise ValueError(
                f"read_roster: {path} has no column {missing[0]!r} (its columns: {header}). "
                "The roster must be Canvas's gradebook export, with the columns "
                f"{', '.join(CANVAS_COLUMNS)}; choose the id column with --id-column.")
        index = {name: header.index(name) for name in (*CANVAS_COLUMNS, id_column)}
        roster = Roster(path, id_column, canvas_ids=_canvas_ids(header))
        seen = {}
        for line, cells in enumerate(reader, start=2):
            cells = cells + [""] * (len(header) - len(cells))
            if not any(c.strip() for c in cells) or cells[0][:1].isspace():
                continue  # a blank line or Canvas's "    Points Possible" kind of row
            key = cells[index[id_column]].strip()
            if key and key.casefold() in seen:
                raise ValueError(
                    f"read_roster: {path}: the {id_column} {key!r} is on two rows (lines "
                    f"{seen[key.casefold()]} and {line}); each student must be on one row.")
            seen[key.casefold()] = line
            values = tuple(cells[index[c]].strip() for c in CANVAS_COLUMNS)
            roster.rows.append(RosterRow(line, key, values))
    return roster


def _canvas_ids(header):
    found = {}
    for column in header[len(CANVAS_COLUMNS):]:
        match = _ASSIGNMENT_COLUMN.match(column)
        if match:
            found[match["name"]] = match["id"]
    return found


def match_students(roster, student_ids):
    """Pair the gradebook's students with the roster's rows.

    Parameters
    ----------
    roster : Roster
    student_ids : iterable of str
        nbgrader's student ids.

    Returns
    -------
    matched : dict of str to RosterRow
        ``{student id: row}``.
    not_in_roster : list of str
        Gradebook students that no row names (sorted).
    not_in_gradebook : list of RosterRow
        Rows that name no gradebook student, or have no id (in the roster's order).

    Raises
    ------
    ValueError
        If two gradebook ids match one row (they differ only in case).

    Examples
    --------
    >>> r = Roster(Path("r.csv"), "SIS Login ID", [RosterRow(2, "Ada", ("L, A", "1", "", "Ada",
    ...            "")), RosterRow(3, "bob", ("B, B", "2", "", "bob", ""))])
    >>> m, extra, missing = match_students(r, ["ada", "eve"])
    >>> sorted(m), extra, [row.key for row in missing]
    (['ada'], ['eve'], ['bob'])
    """
    by_key = {row.key.casefold(): row for row in roster.rows if row.key}
    matched, not_in_roster = {}, []
    for sid in sorted(student_ids):
        row = by_key.get(sid.casefold())
        if row is None:
            not_in_roster.append(sid)
            continue
        twin = next((s for s, r in matched.items() if r is row), None)
        if twin is not None:
            raise ValueError(f"match_students: the gradebook's students {twin!r} and {sid!r} "
                             f"both match the row of {roster.id_column} {row.key!r} "
                             f"({roster.path}, line {row.line}).")
        matched[sid] = row
    used = {id(r) for r in matched.values()}
    return matched, not_in_roster, [r for r in roster.rows if id(r) not in used]
