"""Grade what the student wrote, in the notebook the instructor released.

A submission is trusted for its answers only. :func:`rebuild_submission` takes the released
notebook (cells, locks, grade ids, checksums, kernelspec) and puts into it the student's answer
cells, matched by ``grade_id``; everything else the submission changed (a deleted, unlocked or
ungraded test cell, a duplicated ``grade_id``, cleared checksums, another kernelspec, edited
lecture cells, added cells) is dropped, and each change to a locked cell or to the notebook's
structure is reported for a person to look at. :class:`RebuildFromRelease` does this as the
first step of nbgrader's autograde (``make grade`` and the formgrader alike).
"""

import copy
import json

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from .cells import BEGIN_HIDDEN, END_HIDDEN, replace_regions
from .course import FLAG, release_notebook_path, source_notebook_path

__all__ = ["rebuild_submission", "RebuildFromRelease"]



def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _meta(cell):
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbg = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbg if isinstance(nbg, dict) else {}


def _visible(cell):
    """A locked cell's source without hidden tests (the source notebook still has them)."""

    try:
        return replace_regions(_source(cell), BEGIN_HIDDEN, END_HIDDEN, lambda *_: []).strip()
    except ValueError:
        return _source(cell)


def _locks(cell):
    meta = _meta(cell)
    return {k: meta.get(k) for k in ("grade", "solution", "locked", "points", "task")}


def rebuild_submission(release_nb, submitted_nb, source_nb=None):
    """The release with the student's answers, and what else the submission changed.

    Parameters
    ----------
    release_nb : dict
        The released notebook (trusted).
    submitted_nb : dict or None
        The student's notebook as parsed JSON (None if it was missing or not JSON).
    source_nb : dict, optional
        The source notebook: its locked cells (hidden tests included) replace the released
        ones, so that nbgrader finds the checksums it stored and warns only about real edits.

    Returns
    -------
    notebook : dict
        A copy of ``release_nb`` whose solution cells hold the student's sources.
    problems : list of str
        Changes that need a person: locked cells edited, cells missing, grade ids repeated.
    """
    notebook = copy.deepcopy(release_nb)
    problems = []
    if source_nb is not None:
        locked = {_meta(c).get("grade_id"): _source(c) for c in source_nb["cells"]
                  if _meta(c).get("locked") and not _meta(c).get("solution")}
        for cell in notebook["cells"]:
            gid = _meta(cell).get("grade_id")
            if gid in locked and not _meta(cell).get("solution"):
                cell["source"] = locked[gid]
    cells = submitted_nb.get("cells") if isinstance(submitted_nb, dict) else None
    if not isinstance(cells, list):
        return notebook, ["the notebook has no cells (graded as blank)"]
    by_id, seen = {}, set()
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        gid = _meta(cell).get("grade_id")
        if not gid:
            continue
        if gid in seen:
            problems.append(f"grade_id {gid!r} appears more than once (the first one counts)")
            continue
        seen.add(gid)
        by_id[gid] = cell
    for cell in notebook["cells"]:
        meta = _meta(cell)
        gid = meta.get("grade_id")
        if not gid:
            continue
        theirs = by_id.get(gid)
        if theirs is None:
            if meta.get("solution") or meta.get("locked") or meta.get("grade"):
                problems.append(f"cell {gid!r} was deleted")
            continue
        if meta.get("solution"):
            if theirs.get("cell_type") == cell.get("cell_type"):
                cell["source"] = _source(theirs)
            else:
                problems.append(f"answer cell {gid!r} changed its type (graded as blank)")
        elif _visible(theirs) != _visible(cell) or _locks(theirs) != _locks(cell):
            problems.append(f"locked cell {gid!r} was changed (the released cell is graded)")
    return notebook, problems


class RebuildFromRelease(NbGraderPreprocessor):
    """First sanitize step of autograde: see :func:`rebuild_submission`."""

    def preprocess(self, nb, resources):
        """The release of ``nb`` with its answers; each problem is logged with :data:`FLAG`."""
        info = resources["nbgrader"]
        path = release_notebook_path(CourseDirectory(config=self.config), info["assignment"],
                                     info["notebook"])
        with open(path, encoding="utf-8") as f:
            release = json.load(f)
        with open(source_notebook_path(self.config, resources), encoding="utf-8") as f:
            source = json.load(f)
        rebuilt, problems = rebuild_submission(release, json.loads(nbformat.writes(nb)), source)
        for problem in problems:
            self.log.warning("%s student %s, %s/%s: %s", FLAG, info["student"],
                             info["assignment"], info["notebook"], problem)
        return nbformat.reads(json.dumps(rebuilt), as_version=4), resources
