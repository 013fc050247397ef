"""``exports/moodle.csv``: the gradebook in the form Moodle's grade import reads.

Moodle (Site administration or the course's Grades -> Import -> CSV file) matches a student by
one identifier column mapped to a user field (``Map from`` -> ``Map to``: "ID number",
"Username" or "Email address"), and each other column is mapped to a grade item. So the file
has the identifier first, the names for a person to read, and one column of points per
assignment; a missing submission is blank (Moodle leaves that grade alone).
"""

import csv

from .scores import points_text

__all__ = ["IDENTIFIERS", "moodle_table", "write_moodle_csv"]

# identifier -> (column header, what it holds); the header is Moodle's own name of the field
IDENTIFIERS = {"idnumber": "ID number", "username": "Username", "email": "Email address"}


def moodle_table(scores, assignments=None, identifier="idnumber", missing_zero=False):
    """Moodle's import table: one row per gradebook student.

    Parameters
    ----------
    scores : ClassScores
        :func:`~.scores.read_scores`'s result.
    assignments : list of str, optional
        Which assignments, in this order (default: all).
    identifier : {"idnumber", "username", "email"}, default "idnumber"
        What Moodle matches: nbgrader's student id as the user's ID number or username, or
        the email address the gradebook has for the student.
    missing_zero : bool, default False
        Write 0 instead of a blank for a student without a submission.

    Returns
    -------
    list of list of str
        The header, then the students sorted by id.

    Raises
    ------
    ValueError
        For an unknown assignment or identifier, or (``"email"``) students without an email
        in the gradebook, named.
    """
    assignments = scores.check_assignments(assignments, where="moodle_table")
    if identifier not in IDENTIFIERS:
        raise ValueError(f"moodle_table: identifier {identifier!r} is not one of "
                         f"{sorted(IDENTIFIERS)}.")
    students = [scores.students[s] for s in sorted(scores.students)]
    if identifier == "email":
        without = [s.id for s in students if not s.email]
        if without:
            raise ValueError(
                f"moodle_table: {len(without)} student(s) have no email in the gradebook: "
                f"{', '.join(without)}. Add them (nbgrader db student add ID --email=...) or "
                "match Moodle by ID number (--moodle-id idnumber).")
    table = [[IDENTIFIERS[identifier], "First name", "Last name", *assignments]]
    for student in students:
        key = student.email if identifier == "email" else student.id
        points = [scores.totals.get((a, student.id)) for a in assignments]
        if missing_zero:
            points = [0.0 if p is None else p for p in points]
        table.append([key, student.first_name, student.last_name,
                      *[points_text(p) for p in points]])
    return table


def write_moodle_csv(path, table):
    """Write :func:`moodle_table`'s rows as a UTF-8 CSV at ``path``."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
