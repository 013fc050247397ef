"""The course's conventions that grading reads: where its notebooks are, what a source
notebook sets, and how a problem for a person is written in a log.

- :func:`source_notebook_path`, :func:`release_notebook_path`: the instructor's and the
  student's version of the notebook being graded, as nbgrader's course directory formats them;
- :func:`course_settings`, :func:`cell_timeout`, :func:`submission_budget`: a source
  notebook's ``metadata.course`` (``cell_timeout``, ``budget``, ``taught``) and the limits
  that apply;
- :func:`megabytes`: a size limit from the environment;
- :data:`STUDENT_ID`: what a student id may be (it becomes a path);
- :data:`FLAG`, :func:`flagged_lines`: a log line that starts with ``course-flag:`` is a
  problem for a person; ``make grade`` lists them after grading.
"""

import json
import os
import re
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

__all__ = ["FLAG", "STUDENT_ID", "flagged_lines", "source_notebook_path", "release_notebook_path",
           "course_settings", "cell_timeout", "submission_budget", "megabytes"]

FLAG = "course-flag:"  # log lines a person must read start with this (make grade lists them)
# a student id becomes a folder name: letters, digits and ._@- (no leading dot, "/" or "+")
STUDENT_ID = re.compile(r"[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,63}")


def flagged_lines(log):
    """The problems a grading log reports (``course-flag: [student S, A/N: ]text`` lines).

    Parameters
    ----------
    log : str
        nbgrader's log of one autograde.

    Returns
    -------
    list of str
        The text after each flag, without the ``student S, A/N:`` prefix.

    Examples
    --------
    >>> flagged_lines("INFO ok\\nWARNING course-flag: student ada, 01/01: cell 'x' was deleted")
    ["cell 'x' was deleted"]
    """
    return [re.sub(r"^student [^,]*, [^:]*: ", "", line.split(FLAG, 1)[1].strip())
            for line in log.splitlines() if FLAG in line]


def release_notebook_path(coursedir, assignment, notebook):
    """``release/ASSIGNMENT/NOTEBOOK.ipynb`` of the course.

    Parameters
    ----------
    coursedir : nbgrader.coursedir.CourseDirectory
    assignment, notebook : str

    Returns
    -------
    pathlib.Path
    """
    folder = coursedir.format_path(coursedir.release_directory, ".", assignment)
    return Path(folder) / f"{notebook}.ipynb"


def source_notebook_path(config, resources):
    """The instructor's source notebook of the notebook being graded.

    Parameters
    ----------
    config : traitlets.config.Config
        nbgrader's configuration (its ``CourseDirectory``).
    resources : dict
        The preprocessor's resources; ``resources["nbgrader"]`` names the assignment and
        the notebook.

    Returns
    -------
    pathlib.Path
        ``source/ASSIGNMENT/NOTEBOOK.ipynb`` as the course directory formats it.
    """
    info = resources["nbgrader"]
    coursedir = CourseDirectory(config=config)
    folder = coursedir.format_path(coursedir.source_directory, ".", info["assignment"])
    return Path(folder) / f"{info['notebook']}.ipynb"


def cell_timeout(settings, default, environ=None):
    """Seconds each cell (and each request of the judge) may take: ``COURSE_CELL_TIMEOUT``
    when set, else the source notebook's ``metadata.course.cell_timeout``, else ``default``.

    Parameters
    ----------
    settings : dict
        The source notebook's ``metadata.course``.
    default : int
        nbgrader's ``Execute.timeout``.
    environ : mapping, optional
        Where ``COURSE_CELL_TIMEOUT`` is looked up (default: the process's environment).

    Examples
    --------
    >>> cell_timeout({"cell_timeout": 250}, 30, environ={}), cell_timeout({}, 30, environ={})
    (250, 30)
    >>> cell_timeout({"cell_timeout": 250}, 30, environ={"COURSE_CELL_TIMEOUT": "5"})
    5
    """
    environ = os.environ if environ is None else environ
    value = environ.get("COURSE_CELL_TIMEOUT") or settings.get("cell_timeout") or default
    return int(value)


def submission_budget(settings, default, environ=None):
    """Seconds of wall clock one submission's notebook may take, execution and judge together:
    ``COURSE_SUBMISSION_BUDGET`` when set, else ``metadata.course.budget``, else five cell
    timeouts (:func:`cell_timeout`).

    Parameters
    ----------
    settings : dict
        The source notebook's ``metadata.course``.
    default : int
        nbgrader's ``Execute.timeout`` (for :func:`cell_timeout`).
    environ : mapping, optional
        Where the variables are looked up (default: the process's environment).

    Examples
    --------
    >>> submission_budget({"cell_timeout": 60}, 30, environ={})
    300
    >>> submission_budget({"budget": 90}, 30, environ={"COURSE_SUBMISSION_BUDGET": "40"})
    40
    """
    environ = os.environ if environ is None else environ
    value = environ.get("COURSE_SUBMISSION_BUDGET") or settings.get("budget")
    return int(value) if value else 5 * cell_timeout(settings, default, environ)


def course_settings(path):
    """``metadata.course`` of a source notebook (cell timeout, functions taught).

    Parameters
    ----------
    path : path
        The source notebook.

    Returns
    -------
    dict
        Empty when the notebook has none.
    """
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("metadata", {}).get("course", {})


def megabytes(name, default, environ=None):
    """A size in bytes from the environment variable ``name`` (whole MiB), else ``default`` MiB.

    Parameters
    ----------
    name : str
    default : int
        MiB.
    environ : mapping, optional
        Where ``name`` is looked up (default: the process's environment).

    Returns
    -------
    int
        Bytes.

    Raises
    ------
    ValueError
        If the value is not a positive whole number.

    Examples
    --------
    >>> megabytes("COURSE_SUBMISSION_MB", 200, environ={"COURSE_SUBMISSION_MB": "2"})
    2097152
    """
    environ = os.environ if environ is None else environ
    value = environ.get(name, str(default))
    try:
        mb = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of MiB, got {value!r}.") from None
    if mb <= 0:
        raise ValueError(f"{name} must be positive, got {mb}.")
    return mb * 2**20
