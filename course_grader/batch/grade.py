"""``make grade``: every submission graded on its own, so that none can stop the class.

For each ``submitted/STUDENT/ASSIGNMENT/`` folder: its notebooks are checked (a file that is not
a notebook is graded as the blank release) and copied to ``build/grading/submitted/`` (what the
students handed in is never changed); a grading unit (:mod:`.unit`) autogrades it and writes its
feedback in a temporary course, ``--jobs N`` units at a time or on a Dask cluster
(:mod:`.parallel`), and this process merges each result into the course's gradebook. A
submission that needs a person (a changed locked cell, a hung or killed answer, a crash of
nbgrader) is listed at the end with the reason, after ``grades.csv`` has been written for
everyone gradable; the command then exits with status 1.
"""

import argparse
import os
import shutil
import stat
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..course import STUDENT_ID
from ..nbgrader_command import run_nbgrader
from ..sandbox import SandboxUnavailable, require_sandbox, sandbox_enabled
from ..staging import NotebookUnreadable, read_notebook, stage_folder
from .pool import SCHEDULER_ENV, SchedulerUnreachable, connect, run_units
from .report import progress, summary
from .unit import make_payload, make_template, merge_result

__all__ = ["Submission", "find_submissions", "grade_all", "main", "STAGING"]

STAGING = "build/grading/submitted"


@dataclass
class Submission:
    """One ``submitted/STUDENT/ASSIGNMENT`` folder and what grading it gave.

    Attributes
    ----------
    student, assignment : str
    problems : list of str
        What a person should look at (empty when none).
    seconds : float
        Time the grading unit took.
    graded : bool
        True once its grades are in the gradebook.
    score : float or None
        The total score, when graded.
    """

    student: str
    assignment: str
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    graded: bool = False
    score: float = None


def find_submissions(root, assignments=None):
    """Every ``submitted/STUDENT/ASSIGNMENT`` folder whose assignment has a source folder.

    Parameters
    ----------
    root : path
        The course folder.
    assignments : list of str, optional
        Only these assignments (default: every folder of ``notebooks/``).

    Returns
    -------
    list of Submission
        Sorted by student, then assignment. One whose student folder's name is not a
        :data:`~..course.STUDENT_ID`, or that is a link, comes with a problem and is never
        graded.
    """
    root = Path(root)
    known = sorted(p.name for p in (root / "notebooks").iterdir() if p.is_dir())
    wanted = known if not assignments else [a for a in known if a in assignments]
    found = []
    submitted = root / "submitted"
    for student in sorted(submitted.iterdir()) if submitted.is_dir() else []:
        if not (_is_folder(student) or student.is_symlink()):
            continue  # a stray file
        for assignment in wanted:
            if not os.path.lexists(student / assignment):
                continue
            sub = Submission(student.name, assignment)
            if not STUDENT_ID.fullmatch(student.name):  # refused: never graded
                sub.problems.append("not graded: the folder's name is not a student id "
                                    "(letters, digits and ._@- only)")
            elif not (_is_folder(student) and _is_folder(student / assignment)):
                sub.problems.append("not graded: the submission is a link, not a folder")
            found.append(sub)
    return found


def _is_folder(path):
    """A real folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _stage(root, sub):
    """Copy the submission to the staging folder as data (:func:`~..staging.stage_folder`);
    a notebook that is missing or does not parse is replaced by the blank release (and
    reported)."""
    src = Path(root) / "submitted" / sub.student / sub.assignment
    dest = Path(root) / STAGING / sub.student / sub.assignment
    shutil.rmtree(dest, ignore_errors=True)
    release = Path(root) / "release" / sub.assignment
    notebooks = sorted(release.glob("*.ipynb"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    sub.problems += stage_folder(src, dest)
    for nb in notebooks:
        theirs = dest / nb.name
        try:
            read_notebook(theirs)
        except FileNotFoundError:
            sub.problems.append(f"{nb.name} is missing (graded as blank)")
            shutil.copy(nb, theirs)
        except NotebookUnreadable as err:
            sub.problems.append(f"{nb.name} is not a valid notebook (graded as blank): {err}")
            theirs.unlink(missing_ok=True)
            shutil.copy(nb, theirs)
    return dest


def _known_assignments(root):
    """Assignments the gradebook knows (autograde needs them there)."""
    db = Path(root) / "gradebook.db"
    if not db.exists():
        return set()
    from nbgrader.api import Gradebook  # nbgrader's SQLAlchemy: imported only where it is read

    with Gradebook(f"sqlite:///{db}") as gb:
        return {a.name for a in gb.assignments}


def _merge(root, sub, result, manual):
    """Record one unit's result in the course (gradebook, autograded/, feedback/)."""
    sub.problems += result.get("problems", [])
    sub.seconds = result.get("seconds", 0.0)
    if not result.get("ok"):
        if not result.get("problems"):
            last = [ln for ln in result.get("log", "").splitlines() if ln.strip()][-3:]
            sub.problems.append("autograde failed: " + " | ".join(last)[-400:])
        return
    with warnings.catch_warnings():  # nbgrader's own add_submission warns about its session
        warnings.simplefilter("ignore")
        if merge_result(root, result):
            manual.append(sub)
    sub.graded, sub.score = True, result["grades"]["score"]


def _jobs(root, subs, template):
    by_key = {(s.student, s.assignment): s for s in subs}

    def payload(job):
        sub = by_key[(job["student"], job["assignment"])]
        return make_payload(root, sub.student, sub.assignment, _stage(root, sub), template)

    # a submission with a problem before staging was refused by find_submissions
    return [{"student": s.student, "assignment": s.assignment} for s in subs
            if not s.problems], payload


def grade_all(root, assignments=None, jobs=None, timeout=3600, out=sys.stdout, client=None):
    """Grade every submission with ``jobs`` workers (or a Dask ``client``), export grades.csv,
    print a summary per assignment and what needs a person.

    Parameters
    ----------
    root : path
        The course folder.
    assignments : list of str, optional
        Only these assignments (default: all).
    jobs : int, optional
        Submissions graded at once (default: the number of cores).
    timeout : float, default 3600
        Seconds for each nbgrader command run here (generate, feedback, export).
    out : file, default sys.stdout
        Where the summary goes.
    client : distributed.Client, optional
        Grade on this Dask cluster instead of local workers.

    Returns
    -------
    list of Submission

    Raises
    ------
    SandboxUnavailable
        If the sandbox is on and bubblewrap is not installed.
    """
    root = Path(root)
    if sandbox_enabled():
        require_sandbox()
    if client is None:  # N kernels at once: share the cores instead of oversubscribing BLAS
        threads = str(max(1, (os.cpu_count() or 1) // max(1, jobs or os.cpu_count() or 1)))
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, threads)
    known = _known_assignments(root)
    for assignment in sorted(p.name for p in (root / "notebooks").iterdir() if p.is_dir()):
        if not (root / "release" / assignment).is_dir() or assignment not in known:
            run_nbgrader(root, "generate_assignment", assignment, "--force", timeout=timeout)
    subs = find_submissions(root, assignments)

    (root / "build").mkdir(exist_ok=True)
    template = make_template(root, root / "build" / "gradebook-template.db")
    todo, payload = _jobs(root, subs, template)
    by_key, manual = {(s.student, s.assignment): s for s in subs}, []
    with progress(len(subs)) as bar:
        def on_result(result):
            sub = by_key[(result["student"], result["assignment"])]
            try:
                _merge(root, sub, result, manual)
            except Exception as err:  # one result that cannot be recorded fails only itself
                sub.graded = False
                sub.problems.append(f"recording its grades failed: {type(err).__name__}: "
                                    f"{err}"[:500])
            bar.done(bool(sub.problems))

        run_units(todo, payload, workers=jobs, client=client, on_result=on_result)
    for sub in manual:  # feedback with the manual grades that only this gradebook has
        run_nbgrader(root, "generate_feedback", sub.assignment, "--student", sub.student,
                  "--force", timeout=timeout)
    code, log = run_nbgrader(root, "export", timeout=timeout)
    if code != 0:
        print(f"nbgrader export failed:\n{log[-2000:]}", file=out)
    print(summary(subs), file=out)
    flagged = [s for s in subs if s.problems]
    if flagged:
        print(f"\n{len(flagged)} submission(s) need a person:", file=out)
        for sub in flagged:
            for problem in sub.problems:
                print(f"  {sub.student}  {sub.assignment}  {problem}", file=out)
    return subs


def main(argv=None):
    """``python -m course_grader grade [--jobs N] [ASSIGNMENT ...]``.

    Returns
    -------
    int
        0 when every submission was graded cleanly, 1 when some need a person, 2 when grading
        could not start (no sandbox, no scheduler).
    """
    parser = argparse.ArgumentParser(prog="python -m course_grader grade")
    parser.add_argument("--jobs", type=int, default=None,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("assignments", nargs="*")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    root = Path(os.environ.get("COURSE_ROOT", os.getcwd()))
    try:
        client = connect(os.environ[SCHEDULER_ENV]) if os.environ.get(SCHEDULER_ENV) else None
        subs = grade_all(root, assignments=args.assignments or None, jobs=args.jobs,
                         client=client)
    except (SandboxUnavailable, SchedulerUnreachable) as err:
        print(f"make grade: {err}", file=sys.stderr)
        return 2
    if client is not None:
        client.close()
    return 1 if any(s.problems for s in subs) else 0
