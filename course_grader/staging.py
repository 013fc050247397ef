"""A submission folder read as data, never as paths: what ``make grade`` copies to grade.

A student controls everything in ``submitted/STUDENT/ASSIGNMENT/``: names, links, FIFOs,
devices, sparse files, a notebook whose JSON nests 100,000 lists. :func:`stage_folder` copies
it with :mod:`course_grader.untrusted_copy` (the copy ``nbgrader collect`` uses too):

- regular files and folders are copied; symbolic links, FIFOs, sockets and devices are
  skipped and reported (a link is never followed, so no file of the grader's can be copied in);
- sizes are capped per file (``COURSE_SUBMISSION_FILE_MB``, default 50) and per submission
  (``COURSE_SUBMISSION_MB``, default 200), by the length ``lstat`` gives, so a sparse file
  counts at its full length however little disk it uses; a submission over its cap, or with
  more than :data:`~.untrusted_copy.MAX_ENTRIES` entries, is refused whole (and graded as
  blank); folders nest at most :data:`~.untrusted_copy.MAX_DEPTH` deep (the limits
  ``nbgrader collect`` applies too); ``.ipynb_checkpoints`` is left out.

:func:`read_notebook` parses a notebook with a size cap and a nesting cap checked before the
JSON parser runs, so deep nesting is a clear :class:`NotebookUnreadable`, never a
``RecursionError``.
"""

import json
import os
import re
import shutil
import stat
from itertools import accumulate
from pathlib import Path

from .course import megabytes
from .untrusted_copy import (
    MAX_DEPTH,
    MAX_ENTRIES,
    Rules,
    SubmissionRefused,
    copy_submission,
    measure,
    open_folder,
)

__all__ = ["NotebookUnreadable", "read_notebook", "stage_folder", "MAX_NESTING"]

MAX_NESTING = 100  # nbformat needs about 10; application/json outputs a few more
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


class NotebookUnreadable(ValueError):
    """A submitted notebook that is not a notebook: too big, too deep, not JSON, no cells."""


def _nesting(text):
    """The deepest nesting of ``[`` and ``{`` in JSON text (brackets in strings ignored)."""
    brackets = re.sub(r"[^\[\]{}]", "", _STRINGS.sub("", text))
    steps = (1 if ch in "[{" else -1 for ch in brackets)
    return max(accumulate(steps, initial=0))


def read_notebook(path, max_bytes=None, max_nesting=MAX_NESTING):
    """A submitted notebook as a dict, read without following a link and with caps.

    Parameters
    ----------
    path : path
        The notebook file.
    max_bytes : int, optional
        Largest accepted file (default ``COURSE_SUBMISSION_FILE_MB``, 50 MiB).
    max_nesting : int, default MAX_NESTING
        Deepest accepted nesting of lists and objects.

    Returns
    -------
    dict
        The notebook, with a ``cells`` list.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    NotebookUnreadable
        If it is not a regular file, is larger than ``max_bytes``, nests deeper than
        ``max_nesting``, is not UTF-8 JSON, or has no list of cells.
    """
    max_bytes = max_bytes or megabytes("COURSE_SUBMISSION_FILE_MB", 50)
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotebookUnreadable(f"{Path(path).name} is not a regular file")
    if info.st_size > max_bytes:
        raise NotebookUnreadable(f"{Path(path).name} has {info.st_size} bytes, more than the "
                                 f"{max_bytes} a notebook may have")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        data = f.read(max_bytes + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookUnreadable(f"{Path(path).name} is not UTF-8 text") from None
    depth = _nesting(text)
    if depth > max_nesting:
        raise NotebookUnreadable(f"{Path(path).name} nests {depth} levels deep, more than "
                                 f"the {max_nesting} a notebook may")
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise NotebookUnreadable(f"{Path(path).name} is not JSON ({err})"[:300]) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookUnreadable(f"{Path(path).name} has no list of cells")
    return nb


def stage_folder(src, dest, max_file=None, max_total=None):
    """Copy a submission folder as data; return what a person should know.

    Parameters
    ----------
    src : path
        The student's folder (never changed, never followed if it is a link).
    dest : path
        Where the copy goes (must not exist; created, empty if the submission is refused).
    max_file, max_total : int, optional
        Largest file and largest submission in bytes (defaults ``COURSE_SUBMISSION_FILE_MB``
        = 50 and ``COURSE_SUBMISSION_MB`` = 200 MiB), by length, sparse files included.

    Returns
    -------
    list of str
        One line per entry skipped, or the reason the whole submission was refused.
    """
    rules = Rules(max_file or megabytes("COURSE_SUBMISSION_FILE_MB", 50),
                  max_total or megabytes("COURSE_SUBMISSION_MB", 200),
                  MAX_ENTRIES, MAX_DEPTH, [".ipynb_checkpoints"], ["*"])
    problems = []
    os.mkdir(dest)
    fd = open_folder(os.fspath(src), None, os.lstat(src))
    try:
        measure(fd, rules, lambda entry: problems.append(f"skipped {entry.path}: "
                                                         f"{entry.problem}"))
        copy_submission(fd, os.fspath(dest), rules)
    except SubmissionRefused as err:
        problems.append(f"the whole submission was refused: {err}")
        shutil.rmtree(dest)
        os.mkdir(dest)
    finally:
        os.close(fd)
    return problems
