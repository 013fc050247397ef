"""Write the student-facing repository of the course: what Binder may build, no solutions.

The course's own repository holds ``notebooks/``, the nbgrader source notebooks with every
solution and hidden test; it stays private. :func:`publish` writes a separate repository for
students (and for Binder) into an empty folder::

    release/        the student versions (generated with nbgrader first when missing or stale)
    course_lib/     the package the notebooks import (no __pycache__)
    binder/         environment.yml, overrides.json, page_config.json, student_server.json,
                    postBuild
    pyproject.toml, LICENSE, environment.yml
    README.md       a short student README (generated), .gitignore

It never copies ``notebooks/``, ``tests/``, ``submitted/``, ``autograded/``, ``feedback/``,
``gradebook.db``, ``exchange/``, ``nbgrader_config.py``, ``.ci/`` or the ``Makefile``.

After writing, every file of the result is scanned, and :func:`publish` raises a
``ValueError`` naming the file and line of the first leaks it finds:

- a marker string (``BEGIN SOLUTION``, ``END SOLUTION``, ``BEGIN HIDDEN TESTS``,
  ``END HIDDEN TESTS``) anywhere in a notebook or in a file under ``release/``; in the other
  files, which may name the markers to parse or refuse them (course_lib's grading modules,
  binder/postBuild), a marker *comment* as nbgrader source cells hold it (``### BEGIN
  SOLUTION``);
- any "telling" solution or hidden-test line of a source notebook
  (:func:`~course_grader.cells.solution_lines`,
  :func:`~course_grader.cells.hidden_test_lines`), except that ``course_lib/`` is
  checked for hidden-test lines only: the library is the reference implementation of what
  several exercises ask, and the notebooks import it (see :func:`find_leaks`).

The result is written into a temporary folder beside the destination and renamed only when
the scan passes, so a failed publish leaves no half-written destination.

Command line (``make publish DEST=DIR``)::

    python -m course_grader.publish DEST [--course DIR] [--github OWNER/REPO]
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .leaks import MARKERS, assignments, find_leaks, leak_lines
from .nbgrader_command import run_nbgrader
from .student_pages import student_readme

__all__ = ["MARKERS", "publish", "find_leaks", "leak_lines", "assignments",
           "main"]

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache",
                                 ".hypothesis", ".virtual_documents", ".DS_Store", "*.egg-info")
_TOP_FILES = ("pyproject.toml", "LICENSE", "environment.yml")
_BINDER_FILES = ("environment.yml", "overrides.json", "page_config.json", "postBuild",
                 "student_server.json")
_GITIGNORE = """\
.venv/
__pycache__/
*.egg-info/
.ipynb_checkpoints/
.virtual_documents/
.pytest_cache/
build/
"""


def _newest(folder):
    times = [p.stat().st_mtime for p in Path(folder).rglob("*")
             if p.is_file() and ".ipynb_checkpoints" not in p.parts]
    return max(times, default=0.0)


def _release_is_current(root, names):
    for name in names:
        released = root / "release" / name
        if not any(released.glob("*.ipynb")):
            return False
        if _newest(root / "notebooks" / name) > _newest(released):
            return False
    return True


def _generate_release(root):
    """``nbgrader generate_assignment "*" --force`` in the course, as ``make release`` runs it."""
    status, output = run_nbgrader(root, "generate_assignment", "*", "--force")
    if status != 0:
        raise RuntimeError(f"publish: nbgrader generate_assignment failed:\n{output[-6000:]}")


def _check_destination(root, dest):
    if dest == root or root in dest.parents:
        raise ValueError(f"publish: the destination {dest} is inside the course folder {root}; "
                         "write the student repository outside it, e.g. ../nn-course-student")
    if dest in root.parents:
        raise ValueError(f"publish: the destination {dest} contains the course folder {root}")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ValueError(f"publish: the destination {dest} exists and is not empty; give a new "
                         "or empty folder (publish never overwrites)")
    if not dest.parent.is_dir():
        raise ValueError(f"publish: the destination's parent folder {dest.parent} does not exist")


def publish(course_root, dest, github="OWNER/REPO", regenerate=False):
    """Write the student repository of the course ``course_root`` into ``dest``.

    Parameters
    ----------
    course_root : path
        The course folder (``notebooks/``, ``nbgrader_config.py``, ``course_lib/``, ...).
    dest : path
        A new or empty folder outside the course.
    github : str
        ``OWNER/REPO`` of the student repository on GitHub, for the README's Binder badge.
    regenerate : bool
        Regenerate ``release/`` even when it is there and newer than the sources (it is
        always generated when missing, incomplete, or older than ``notebooks/``).

    Returns
    -------
    pathlib.Path
        ``dest``, resolved.

    Raises
    ------
    ValueError
        If ``dest`` is inside the course or exists and is not empty, or if the written tree
        holds a solution or hidden-test marker or line (the message names the file and line;
        ``dest`` is then not created).
    RuntimeError
        If nbgrader cannot generate ``release/``.
    """
    root = Path(course_root).resolve()
    dest = Path(dest).resolve()
    _check_destination(root, dest)
    names = assignments(root)
    if not names:
        raise ValueError(f"publish: {root / 'notebooks'} holds no assignment")
    if regenerate or not _release_is_current(root, names):
        _generate_release(root)
        missing = [n for n in names if not any((root / "release" / n).glob("*.ipynb"))]
        if missing:
            raise RuntimeError(f"publish: nbgrader did not generate release/ for {missing}")

    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.publishing-", dir=dest.parent))
    try:
        for name in names:
            shutil.copytree(root / "release" / name, tmp / "release" / name, ignore=_IGNORE)
        shutil.copytree(root / "course_lib", tmp / "course_lib", ignore=_IGNORE)
        (tmp / "binder").mkdir()
        for name in _BINDER_FILES:
            shutil.copy2(root / "binder" / name, tmp / "binder" / name)
        for name in _TOP_FILES:
            shutil.copy2(root / name, tmp / name)
        (tmp / "README.md").write_text(student_readme(names, github), encoding="utf-8")
        (tmp / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")

        leaks = find_leaks(tmp, *leak_lines(root))
        if leaks:
            raise ValueError("publish: the student repository would give solutions or hidden "
                             "tests away; nothing was written to "
                             f"{dest}:\n  " + "\n  ".join(leaks))
        tmp.chmod(0o755)  # mkdtemp makes it 0700
        if dest.exists():
            dest.rmdir()  # empty (checked above)
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def main(argv=None):
    """``python -m course_grader.publish DEST [--course DIR] [--github OWNER/REPO]``.

    ``argv`` holds those arguments (default: the process's).

    Returns
    -------
    int
        0 when the repository was written, 1 when :func:`publish` refused (the reason is
        printed on stderr).
    """
    parser = argparse.ArgumentParser(
        prog="python -m course_grader.publish",
        description="Write the student repository (release/, course_lib, binder/; no "
                    "solutions, no hidden tests) into DEST, a new folder outside the course.")
    parser.add_argument("dest", metavar="DEST", help="a new or empty folder outside the course")
    parser.add_argument("--course", default=".", help="the course folder (default: .)")
    parser.add_argument("--github", default="OWNER/REPO",
                        help="OWNER/REPO of the student repository, for the Binder badge")
    parser.add_argument("--regenerate", action="store_true",
                        help="regenerate release/ with nbgrader even when it is current")
    args = parser.parse_args(argv)
    try:
        dest = publish(args.course, args.dest, github=args.github, regenerate=args.regenerate)
    except (ValueError, RuntimeError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"publish: wrote the student repository to {dest}\n"
          f"  push it (cd {dest} && git init && git add . && git commit -m 'course' && "
          "git push ...) and point Binder at it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
