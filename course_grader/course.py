"""The course's conventions that grading reads: where its notebooks are, what a source
notebook sets, and how a problem for a person is written in a log.

- :func:`source_notebook_path`, :func:`release_notebook_path`: the instructor's and the
  student's version of the notebook being graded, as nbgrader's course directory formats them;
- :func:`course_settings`, :func:`cell_timeout`: a source notebook's ``metadata.course``
  (``cell_timeout``, ``taught``) and the timeout that applies;
- :data:`FLAG`, :func:`flagged_lines`: a log line that starts with ``course-flag:`` is a
  problem for a person; ``make grade`` lists them after grading.
"""

import json
import os
import re
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

__all__ = ["FLAG", "flagged_lines", "source_notebook_path", "release_notebook_path",
           "course_settings", "cell_timeout"]

FLAG = "course-flag:"  # log lines a person must read start with this (make grade lists them)


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
