"""Write the student-facing repository of the course: what Binder may build, no solutions.

The course's own repository holds ``notebooks/``, the nbgrader source notebooks with every
solution and hidden test; it stays private. :func:`publish` writes a separate repository for
students (and for Binder) into an empty folder::

    release/        the student versions (generated with nbgrader first when missing or stale)
    course_lib/     the package the notebooks import (no __pycache__)
    binder/         environment.yml, overrides.json, postBuild
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
  (:func:`~course_lib.grading.feedback.solution_lines`,
  :func:`~course_lib.grading.feedback.hidden_test_lines`), except that ``course_lib/`` is
  checked for hidden-test lines only: the library is the reference implementation of what
  several exercises ask, and the notebooks import it (see :func:`find_leaks`).

The result is written into a temporary folder beside the destination and renamed only when
the scan passes, so a failed publish leaves no half-written destination.

Command line (``make publish DEST=DIR``)::

    python -m course_lib.grading.publish DEST [--course DIR] [--github OWNER/REPO]
"""

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

from .feedback import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    _norm,
    hidden_test_lines,
    replace_regions,
    solution_lines,
)

__all__ = ["MARKERS", "publish", "find_leaks", "leak_lines", "assignments", "student_readme",
           "main"]

MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
# A marker line as nbgrader writes it in a cell: "### BEGIN SOLUTION" (any comment prefix).
_MARKER_LINE = re.compile(r"^\s*(#+|//+|<!--)\s*(" + "|".join(map(re.escape, MARKERS)) + r")")
# Leak matching: a forbidden line this long is also searched for inside other lines; in
# course_lib only hidden-test lines this long count (`return x` is a hidden-test line of a
# judge and a line of the library alike).
_INSIDE_MIN, _LIBRARY_MIN = 20, 16
BADGE_TARGET = "release/01_perceptron/01_perceptron.ipynb"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache",
                                 ".hypothesis", ".virtual_documents", ".DS_Store", "*.egg-info")
_TOP_FILES = ("pyproject.toml", "LICENSE", "environment.yml")
_BINDER_FILES = ("environment.yml", "overrides.json", "postBuild")
_GITIGNORE = """\
.venv/
__pycache__/
*.egg-info/
.ipynb_checkpoints/
.virtual_documents/
.pytest_cache/
build/
"""


def assignments(course_root):
    """The assignment names: the folders of ``notebooks/`` that hold a notebook, sorted."""
    source = Path(course_root) / "notebooks"
    if not source.is_dir():
        raise ValueError(f"publish: {source} does not exist; is {course_root} the course folder "
                         "(the one with notebooks/ and nbgrader_config.py)?")
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


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
    bin_dir = str(Path(sys.executable).parent)  # nbgrader runs alembic from the venv's bin
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "*",
                           "--force"], cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("publish: nbgrader generate_assignment failed:\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def student_readme(names, github="OWNER/REPO"):
    """The student repository's README.md (Markdown), listing the assignments ``names``."""
    badge = (f"https://mybinder.org/v2/gh/{github}/main?urlpath=lab%2Ftree%2F"
             + BADGE_TARGET.replace("/", "%2F"))
    rows = "\n".join(f"- [`{name}`](release/{name}/{name}.ipynb)" for name in names)
    placeholder = ("\nReplace `OWNER/REPO` in the badge's link with this repository's GitHub "
                   "path.\n" if github == "OWNER/REPO" else "")
    return f"""\
# Neural networks, interactively: the student notebooks

Interactive, autograded notebooks for a university lecture on neural networks (perceptrons,
activations and softmax, architectures, convolution, pooling, CNN architectures, and a lab
that trains networks on real MNIST), and `course_lib`, the small NumPy library they import.
Each section has a plot or an interactive explorer, and each exercise is followed by a check
cell that says at once whether your answer is right.

Open them on Binder, without installing anything:
[![Binder](https://mybinder.org/badge_logo.svg)]({badge})
{placeholder}
Or run them locally (Python >= 3.10):

```bash
pip install -e .          # course_lib and what the notebooks import
pip install jupyterlab    # if JupyterLab is not installed yet
jupyter lab release/
```

(With conda: `conda env create -f environment.yml && conda activate nn-course &&
pip install -e . --no-deps`.) The lab notebook downloads MNIST on first use
(`python -m course_lib.data` fetches it beforehand).

## The assignments

Work in `release/NN_name/NN_name.ipynb`:

{rows}

## License

MIT: see [LICENSE](LICENSE).
"""


def _lines_of(path):
    """``(location, line)`` pairs of a file: a notebook's cell sources and text outputs line by
    line (``cell 3, line 2``), another text file's lines (``line 12``); None for binary."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(text)
        except ValueError:
            nb = None
        if isinstance(nb, dict) and isinstance(nb.get("cells"), list):
            pairs = []
            for i, cell in enumerate(nb["cells"]):
                texts = [cell.get("source", "")]
                for output in cell.get("outputs", []) or []:
                    texts.append(output.get("text", ""))
                    texts.extend(v for k, v in (output.get("data") or {}).items()
                                 if k.startswith("text/"))
                    texts.extend(output.get("traceback", []) or [])
                for t in texts:
                    t = "".join(t) if isinstance(t, list) else str(t)
                    pairs.extend((f"cell {i}, line {j}", line)
                                 for j, line in enumerate(t.split("\n"), 1))
            # the raw JSON too (metadata, anything outside cells), by line of the file
            pairs.extend((f"line {j}", line) for j, line in enumerate(text.split("\n"), 1))
            return pairs
    return [(f"line {j}", line) for j, line in enumerate(text.split("\n"), 1)]


def _python_comments(text):
    """The comments of Python source ``text`` as ``(line number, comment)``; None if it does
    not tokenize."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]


def _visible(nb):
    """The lines of a notebook outside every solution and hidden-test region, normalized."""
    seen = set()
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell.get("source"), list) \
            else cell.get("source", "")
        source = replace_regions(source, BEGIN_HIDDEN, END_HIDDEN, lambda _lines, _indent: [])
        source = replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, lambda _l, _i: [])
        seen.update(_norm(line) for line in source.split("\n"))
    return seen


def leak_lines(course_root):
    """The lines a student repository must not hold, from the course's source notebooks.

    Returns
    -------
    solutions, hidden : set of str
        The :func:`~course_lib.grading.feedback.solution_lines` and
        :func:`~course_lib.grading.feedback.hidden_test_lines` of every source notebook,
        without the lines that some source notebook shows outside its regions anyway
        (``except ValueError as err:`` hidden in one notebook may be visible in another).
    """
    solutions, hidden, visible = set(), set(), set()
    for name in assignments(course_root):
        for path in sorted((Path(course_root) / "notebooks" / name).glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            solutions |= solution_lines(nb)
            hidden |= hidden_test_lines(nb)
            visible |= _visible(nb)
    return solutions - visible, hidden - visible


def find_leaks(folder, solutions=(), hidden=(), limit=20):
    """Solution or hidden-test leaks in the files of ``folder``.

    Parameters
    ----------
    folder : path
        The folder to scan, e.g. a published repository.
    solutions, hidden : iterable of str
        Whitespace-normalized lines that must not appear (:func:`leak_lines`). A file's line
        leaks when, normalized, it is one of them, or contains one of at least 20 characters
        (long enough not to occur inside another line by chance).
    limit : int
        Stop after this many leaking files.

    Returns
    -------
    list of str
        One entry per leaking file, naming the file and the first leaking line, e.g.
        ``"release/01_perceptron/01_perceptron.ipynb, cell 7, line 3: marker 'BEGIN SOLUTION'"``;
        empty when nothing leaks.

    Notes
    -----
    - Notebooks (anywhere) and every file under ``release/``: any of the four marker strings,
      any solution line, any hidden-test line.
    - ``course_lib/``: marker comments (``### BEGIN SOLUTION`` as a comment of the Python
      code; the grading modules name the markers in strings and docstrings) and hidden-test
      lines. Not solution lines: the library is the reference implementation of what several
      exercises ask (``shapes.conv_output_size`` is the answer to ``conv_output_size``), and
      the notebooks import it. Hidden-test lines shorter than 16 characters (``return x``)
      are Python idioms the library writes as well, and do not count there.
    - Every other file: marker lines (a line starting with a comment marker and a marker
      string), solution lines, hidden-test lines.
    """
    folder = Path(folder)
    solutions, hidden = sorted(set(solutions)), sorted(set(hidden))
    leaks = []
    files = sorted(p for p in folder.rglob("*")
                   if p.is_file() and ".git" not in p.relative_to(folder).parts)
    for path in files:
        rel = path.relative_to(folder).as_posix()
        strict = path.suffix == ".ipynb" or rel.startswith("release/")
        library = rel.startswith("course_lib/") and not strict
        if library:
            telling = [line for line in hidden if len(line) >= _LIBRARY_MIN]
            exact = set(telling)
        else:
            telling, exact = solutions + hidden, set(solutions) | set(hidden)
        inside = [line for line in telling if len(line) >= _INSIDE_MIN]
        pairs = _lines_of(path)
        if pairs is None:  # binary: only the marker strings
            data = path.read_bytes()
            found = [m for m in MARKERS if m.encode() in data]
            if found:
                leaks.append(f"{rel}: marker {found[0]!r} in a binary file")
            continue
        comments = _python_comments(path.read_text(encoding="utf-8")) \
            if library and path.suffix == ".py" else None
        report = None
        if comments is not None:
            for number, comment in comments:
                match = _MARKER_LINE.match(comment)
                if match:
                    report = f"line {number}: marker {match.group(2)!r} in {comment.strip()!r}"
                    break
        for where, line in pairs:
            if report:
                break
            plain = _norm(line)
            if strict:
                marker = next((m for m in MARKERS if m in line), None)
            elif comments is None:
                match = _MARKER_LINE.match(line)
                marker = match.group(2) if match else None
            else:
                marker = None
            if marker:
                report = f"{where}: marker {marker!r} in {plain[:120]!r}"
            else:
                leak = plain if plain in exact else next((t for t in inside if t in plain),
                                                         None)
                if leak:
                    kind = "solution" if leak in solutions else "hidden-test"
                    report = f"{where}: {kind} line {leak!r} in {plain[:120]!r}"
        if report:
            leaks.append(f"{rel}, {report}")
            if len(leaks) >= limit:
                break
    return leaks


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
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.grading.publish",
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
