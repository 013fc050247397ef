"""``nbgrader collect`` for an exchange shared by students who may cheat: :class:`SafeCollect`.

``nbgrader submit`` hands a notebook in as a folder ``STUDENT+ASSIGNMENT+TIMESTAMP+RANDOM`` in
the exchange's ``COURSE/inbound/``, a folder of mode 2733 in which every student can create
folders of any name. nbgrader 0.9.6's collect believes those names: it collects a folder named
after a classmate as the classmate's (an owner that differs is only logged, "cheating
attempt?"), copies what a symbolic link inside points to (the instructor's source notebooks),
and stops for everyone at one timestamp that does not parse. :class:`SafeCollect`:

- refuses a folder that is not a folder (a link to one), and a folder not owned by the unix
  user its student id names (``pwd.getpwnam``). A student id that is no unix user on this
  machine (a course run on one laptop, handing in for made-up students) is accepted and named
  in one warning: there is no owner to check it against;
- copies with :mod:`course_grader.untrusted_copy` (grading's limits): no link followed; links,
  pipes, sockets, devices skipped; files and submission capped by length (``st_size``).
- skips, with a warning, a folder whose name or timestamp does not parse or whose student id
  is not :data:`~.course.STUDENT_ID` (it becomes a path), and goes on with the others;
- writes the collected ``timestamp.txt`` from the folder's name (the time collect chose it
  by), so a garbled ``timestamp.txt`` cannot stop a later ``collect --update`` or autograde.

Refusals and skipped entries are logged with :data:`~course_grader.course.FLAG`. Registered
in ``nbgrader_config.py``: ``c.ExchangeFactory.collect = "course_grader.exchange.SafeCollect"``.
"""

import fnmatch
import os
import pwd
import shutil
import stat
from collections import defaultdict

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default import ExchangeCollect
from nbgrader.utils import check_mode, parse_utc
from traitlets import Integer

from .course import FLAG, STUDENT_ID
from .untrusted_copy import (
    MAX_DEPTH,
    MAX_ENTRIES,
    Rules,
    SubmissionRefused,
    copy_submission,
    measure,
    open_folder,
)

__all__ = ["SafeCollect", "parse_submission_name"]

# what nbgrader's parse_utc raises on a bad timestamp (dateutil's ParserError is a ValueError)
UNPARSED_TIMESTAMP = (ValueError, OverflowError)


def parse_submission_name(name, assignment):
    """The student id and timestamp text of an ``inbound/`` folder's name.

    Parameters
    ----------
    name : str
        ``STUDENT+ASSIGNMENT+TIMESTAMP+RANDOM`` (or without ``+RANDOM``), as ``nbgrader submit``
        names it.
    assignment : str

    Returns
    -------
    (str, str) or None
        ``(student, timestamp)``; None when the folder is not a submission of ``assignment``.

    Raises
    ------
    ValueError
        If the student id is not :data:`~.course.STUDENT_ID`.

    Examples
    --------
    >>> parse_submission_name("ada+ps1+2024-05-01 10:00:00.000001 UTC+Xy_9", "ps1")
    ('ada', '2024-05-01 10:00:00.000001 UTC')
    >>> parse_submission_name("ada+ps2+2024-05-01 10:00:00 UTC+Xy_9", "ps1") is None
    True
    """
    student, marker, rest = name.partition(f"+{assignment}+")
    if not marker:
        return None
    if not STUDENT_ID.fullmatch(student):
        raise ValueError(f"student id {student!r} is not letters, digits and ._@- "
                         "(without a leading dot)")
    return student, rest.rsplit("+", 1)[0] if "+" in rest else rest


def user_name(uid):
    """The unix name of ``uid``, or ``uid N`` when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


class SafeCollect(ExchangeCollect):
    """nbgrader's collect that refuses what a student cannot have handed in honestly.

    Register it in ``nbgrader_config.py``::

        c.ExchangeFactory.collect = "course_grader.exchange.SafeCollect"

    ``check_owner = False`` (nbgrader's switch) turns the owner check off.
    """

    max_file_bytes = Integer(50_000_000, help=(
        "Longest file collected, in bytes (its st_size: a sparse file counts by its length); "
        "the smaller of this and CourseDirectory.max_file_size applies.")).tag(config=True)
    max_submission_bytes = Integer(200_000_000, help=(
        "Longest submission collected, its files' lengths added up, in bytes; a longer one "
        "is refused.")).tag(config=True)
    max_entries = Integer(MAX_ENTRIES, help="Most files and folders in a submission (as grading "
                          "allows: nothing collected is refused there).").tag(config=True)
    max_depth = Integer(MAX_DEPTH, help="Most folders nested in a submission.").tag(config=True)

    def rules(self):
        """The caps and the course's ignore/include globs, as :class:`Rules`."""
        coursedir = self.coursedir
        return Rules(min(self.max_file_bytes, 1000 * coursedir.max_file_size),
                     self.max_submission_bytes, self.max_entries, self.max_depth,
                     list(coursedir.ignore), list(coursedir.include))

    def init_src(self):
        """The newest acceptable submission of each student, in ``self.src_records``."""
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        self.not_users = set()
        records = [r for r in map(self.inbound_record, sorted(os.listdir(self.inbound_path)))
                   if r is not None]
        if self.not_users:
            self.log.warning("Owner not checked for %s: not a unix user on this machine",
                             ", ".join(sorted(self.not_users)))
        self.src_records = self.newest(records)

    def inbound_record(self, name):
        """The record of the folder ``inbound/name``, or None when it is not collected."""
        if name.startswith("."):  # hidden, as nbgrader's glob leaves it
            return None
        assignment = self.coursedir.assignment_id
        try:
            parsed = parse_submission_name(name, assignment)
        except ValueError as err:
            return self.skip(name, err)
        if parsed is None or not fnmatch.fnmatchcase(parsed[0], self.coursedir.student_id or "*"):
            return None
        student, text = parsed
        try:
            timestamp = parse_utc(text)
        except UNPARSED_TIMESTAMP:
            return self.skip(name, f"its timestamp {text!r} does not parse")
        try:
            st = os.lstat(os.path.join(self.inbound_path, name))
        except FileNotFoundError:
            return None
        problem = self.owner_problem(student, st)
        if problem:
            self.log.warning("%s student %s, %s: refused inbound folder %r: %s", FLAG, student,
                             assignment, name, problem)
            return None
        return {"username": student, "filename": name, "timestamp": timestamp,
                "timestamp_text": text, "stat": st}

    def skip(self, name, reason):
        """Log that the folder ``inbound/name`` is skipped, and return None."""
        self.log.warning("%s skipped inbound folder %r: %s", FLAG, name, reason)

    def owner_problem(self, student, st):
        """Why a folder (its lstat ``st``) cannot be ``student``'s submission, or None."""
        if not stat.S_ISDIR(st.st_mode):
            return "it is not a folder (a symbolic link?)"
        if not self.check_owner:
            return None
        try:
            uid = pwd.getpwnam(student).pw_uid
        except KeyError:
            self.not_users.add(student)
            return None
        if st.st_uid != uid:
            return f"it is owned by {user_name(st.st_uid)}, not by {student} (uid {uid})"
        return None

    def newest(self, records):
        """Each student's newest record (before the due date with ``--before-duedate``)."""
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        by_student = defaultdict(list)
        for record in records:
            by_student[record["username"]].append(record)
        chosen = []
        for student in sorted(by_student):
            ordered = sorted(by_student[student], key=lambda r: r["timestamp"], reverse=True)
            if self.before_duedate and self.duedate is not None:
                ordered = [r for r in ordered if r["timestamp"] <= self.duedate] or ordered
            chosen.append(ordered[0])
        return chosen

    def copy_files(self):
        """Collect each record of ``self.src_records`` into ``submitted/``."""
        assignment, course = self.coursedir.assignment_id, self.coursedir.course_id
        if not self.src_records:
            self.log.warning("No submissions of '%s' for course '%s' to collect", assignment,
                             course)
        else:
            self.log.info("Processing %d submissions of '%s' for course '%s'",
                          len(self.src_records), assignment, course)
        for record in self.src_records:
            self.collect(record)

    def collect(self, record):
        """Copy one submission unless a newer one is there; refused ones are flagged."""
        student, assignment = record["username"], self.coursedir.assignment_id
        dest = self.coursedir.format_path(self.coursedir.submitted_directory, student,
                                          assignment)
        if not self.should_copy(record, dest):
            return
        try:
            fd = open_folder(os.path.join(self.inbound_path, record["filename"]), None,
                             record["stat"])
            try:
                self.transfer(fd, record, dest)
            finally:
                os.close(fd)
        except SubmissionRefused as refused:
            self.log.warning("%s student %s, %s: refused inbound folder %r: %s", FLAG, student,
                             assignment, record["filename"], refused)

    def transfer(self, fd, record, dest):
        """Measure, then replace ``dest`` by a copy of the open submission folder ``fd``."""
        student, assignment = record["username"], self.coursedir.assignment_id
        rules = self.rules()

        def skipped(entry):
            self.log.warning("%s student %s, %s: skipped %r in %r: %s", FLAG, student,
                             assignment, entry.path, record["filename"], entry.problem)

        measure(fd, rules, skipped)
        if os.path.isdir(dest):
            shutil.rmtree(dest)
        os.makedirs(dest)
        try:
            copy_submission(fd, dest, rules)
        except SubmissionRefused:
            shutil.rmtree(dest)
            raise
        with open(os.path.join(dest, "timestamp.txt"), "w") as fh:
            fh.write(record["timestamp_text"])
        if self.coursedir.groupshared:
            share_with_group(dest)

    def should_copy(self, record, dest):
        """nbgrader's choice: a new submission, or a newer one with ``--update``."""
        student, assignment = record["username"], self.coursedir.assignment_id
        if not os.path.isdir(dest):
            self.log.info("Collecting submission: %s %s", student, assignment)
            return True
        existing = self.existing_timestamp(dest)
        new = record["timestamp"]
        if ((self.update and (existing is None or new > existing))
                or (self.before_duedate and existing != new)):
            self.log.info("Updating submission: %s %s", student, assignment)
            return True
        if self.update:
            self.log.info("No newer submission to collect: %s %s", student, assignment)
        else:
            self.log.info("Submission already exists, use --update to update: %s %s", student,
                          assignment)
        return False

    def existing_timestamp(self, dest):
        """The time of the submission already in ``dest``; None when it has none that parses."""
        path = os.path.join(dest, "timestamp.txt")
        if not os.path.isfile(path):
            return None
        with open(path) as fh:
            text = fh.read(200).strip()
        try:
            return parse_utc(text) if text else None
        except UNPARSED_TIMESTAMP:
            self.log.warning("Timestamp %r in %s does not parse: it will be replaced", text, path)
            return None


def share_with_group(dest):
    """Folders g+rwxs, files g+rw under ``dest``, as nbgrader's copy does when groupshared."""
    for folder, _, files in os.walk(dest):
        os.chmod(folder, os.stat(folder).st_mode & 0o7777 | 0o2770)
        for name in files:
            path = os.path.join(folder, name)
            os.chmod(path, os.stat(path).st_mode & 0o7777 | 0o660)
