"""``make grade``: every submission graded on its own, so that none can stop the class.

For each ``submitted/STUDENT/ASSIGNMENT/`` folder: its notebooks are checked (a file that is not
a notebook is graded as the blank release), copied to ``build/grading/submitted/`` (what the
students handed in is never changed), and autograded by one ``nbgrader autograde --student``
process with a time limit; its feedback is generated the same way. A submission that needs a
person (a changed locked cell, a hung or killed answer, a crash of nbgrader) is listed at the
end with the reason, after ``grades.csv`` has been written for everyone gradable; the command
then exits with status 1.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .rebuild import FLAG
from .sandbox import SandboxUnavailable, require_sandbox, sandbox_enabled

__all__ = ["Submission", "find_submissions", "grade_all", "main", "STAGING"]

STAGING = "build/grading/submitted"


@dataclass
class Submission:
    student: str
    assignment: str
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    graded: bool = False


def find_submissions(root, assignments=None):
    """Every ``submitted/STUDENT/ASSIGNMENT`` folder whose assignment has a source folder."""
    root = Path(root)
    known = sorted(p.name for p in (root / "notebooks").iterdir() if p.is_dir())
    wanted = known if not assignments else [a for a in known if a in assignments]
    found = []
    submitted = root / "submitted"
    for student in sorted(p for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() \
            else []:
        for assignment in wanted:
            if (student / assignment).is_dir():
                found.append(Submission(student.name, assignment))
    return found


def _nbgrader(root, *args, timeout):
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    cmd = [sys.executable, "-m", "nbgrader", *args]
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, f"nbgrader {args[0]} ran longer than {timeout} s"
    return proc.returncode, proc.stdout + proc.stderr


def _stage(root, sub):
    """Copy the submission to the staging folder; a notebook that does not parse is replaced
    by the blank release (and reported)."""
    src = Path(root) / "submitted" / sub.student / sub.assignment
    dest = Path(root) / STAGING / sub.student / sub.assignment
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=False, ignore_dangling_symlinks=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    release = Path(root) / "release" / sub.assignment
    for nb in sorted(release.glob("*.ipynb")):
        theirs = dest / nb.name
        try:
            json.loads(theirs.read_text(encoding="utf-8"))["cells"]  # noqa: B018
        except FileNotFoundError:
            sub.problems.append(f"{nb.name} is missing (graded as blank)")
            shutil.copy(nb, theirs)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            sub.problems.append(f"{nb.name} is not a valid notebook (graded as blank)")
            shutil.copy(nb, theirs)


def _flags(log):
    """The problems that the grading steps logged (``course-flag: [student S, A/N: ]text``)."""
    found = []
    for line in log.splitlines():
        if FLAG in line:
            text = line.split(FLAG, 1)[1].strip()
            found.append(re.sub(r"^student [^,]*, [^:]*: ", "", text))
    return found


def _known_assignments(root):
    """Assignments the gradebook knows (autograde needs them there)."""
    db = Path(root) / "gradebook.db"
    if not db.exists():
        return set()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        return {a.name for a in gb.assignments}


def grade_one(root, sub, timeout):
    """Autograde and write feedback for one submission; record what needs a person."""
    start = time.perf_counter()
    _stage(root, sub)
    config = f"--CourseDirectory.submitted_directory={STAGING}"
    code, log = _nbgrader(root, "autograde", sub.assignment, "--student", sub.student,
                          "--force", config, timeout=timeout)
    sub.problems += _flags(log)
    if code != 0:
        last = [line for line in log.splitlines() if line.strip()][-3:]
        sub.problems.append(f"autograde failed (exit {code}): " + " | ".join(last)[-400:])
    else:
        sub.graded = True
        code, log = _nbgrader(root, "generate_feedback", sub.assignment, "--student",
                              sub.student, "--force", timeout=timeout)
        if code != 0:
            sub.problems.append(f"generate_feedback failed (exit {code})")
    sub.seconds = time.perf_counter() - start
    return sub


def grade_all(root, assignments=None, timeout=3600, out=sys.stdout):
    """Grade every submission, export grades.csv, print what needs a person."""
    root = Path(root)
    if sandbox_enabled():
        require_sandbox()
    known = _known_assignments(root)
    for assignment in sorted(p.name for p in (root / "notebooks").iterdir() if p.is_dir()):
        if not (root / "release" / assignment).is_dir() or assignment not in known:
            _nbgrader(root, "generate_assignment", assignment, "--force", timeout=timeout)
    subs = find_submissions(root, assignments)
    for i, sub in enumerate(subs, 1):
        grade_one(root, sub, timeout)
        state = "needs a person" if sub.problems else "graded"
        print(f"[{i}/{len(subs)}] {sub.student} {sub.assignment}: {state} "
              f"({sub.seconds:.1f} s)", file=out, flush=True)
    code, log = _nbgrader(root, "export", timeout=timeout)
    if code != 0:
        print(f"nbgrader export failed:\n{log[-2000:]}", file=out)
    flagged = [s for s in subs if s.problems]
    if flagged:
        print(f"\n{len(flagged)} submission(s) need a person:", file=out)
        for sub in flagged:
            for problem in sub.problems:
                print(f"  {sub.student}  {sub.assignment}  {problem}", file=out)
    return subs


def main(argv=None):
    """``python -m course_lib.grading grade [ASSIGNMENT ...]``."""
    argv = sys.argv[1:] if argv is None else argv
    root = Path(os.environ.get("COURSE_ROOT", os.getcwd()))
    try:
        subs = grade_all(root, assignments=argv or None)
    except SandboxUnavailable as err:
        print(f"make grade: {err}", file=sys.stderr)
        return 2
    return 1 if any(s.problems for s in subs) else 0
