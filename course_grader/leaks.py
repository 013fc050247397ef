"""Scan a folder for solutions and hidden tests: what :func:`~.publish.publish` must not give away.

:func:`leak_lines` collects the lines a student repository must not hold from the course's
source notebooks; :func:`find_leaks` scans every file of a folder for them and for the
solution and hidden-test markers (the rules per kind of file are in its Notes).
"""

import io
import json
import re
import tokenize
from pathlib import Path

from .cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    hidden_test_lines,
    normalized_line,
    replace_regions,
    solution_lines,
)

__all__ = ["MARKERS", "assignments", "leak_lines", "find_leaks"]

MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
# A marker line as nbgrader writes it in a cell: "### BEGIN SOLUTION" (any comment prefix).
_MARKER_LINE = re.compile(r"^\s*(#+|//+|<!--)\s*(" + "|".join(map(re.escape, MARKERS)) + r")")
# Leak matching: a forbidden line this long is also searched for inside other lines; in
# course_lib only hidden-test lines this long count (`return x` is a hidden-test line of a
# judge and a line of the library alike).
_INSIDE_MIN, _LIBRARY_MIN = 20, 16


def assignments(course_root):
    """The assignment names: the folders of ``notebooks/`` that hold a notebook, sorted.

    Parameters
    ----------
    course_root : path
        The course folder.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If ``course_root`` has no ``notebooks/`` folder.
    """
    source = Path(course_root) / "notebooks"
    if not source.is_dir():
        raise ValueError(f"publish: {source} does not exist; is {course_root} the course folder "
                         "(the one with notebooks/ and nbgrader_config.py)?")
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


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
        seen.update(normalized_line(line) for line in source.split("\n"))
    return seen


def leak_lines(course_root):
    """The lines a student repository must not hold, from the course's source notebooks.

    Parameters
    ----------
    course_root : path
        The course folder (its ``notebooks/``).

    Returns
    -------
    solutions, hidden : set of str
        The :func:`~course_grader.cells.solution_lines` and
        :func:`~course_grader.cells.hidden_test_lines` of every source notebook,
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
        pairs = _lines_of(path)
        if pairs is None:  # binary: only the marker strings
            data = path.read_bytes()
            found = [m for m in MARKERS if m.encode() in data]
            if found:
                leaks.append(f"{rel}: marker {found[0]!r} in a binary file")
            continue
        report = _text_leak(path, rel, pairs, solutions, hidden)
        if report:
            leaks.append(f"{rel}, {report}")
            if len(leaks) >= limit:
                break
    return leaks


def _forbidden(library, solutions, hidden):
    """``(exact, inside)``: lines that leak when a line is one of ``exact`` or holds one of
    ``inside``."""
    if library:
        telling = [line for line in hidden if len(line) >= _LIBRARY_MIN]
        exact = set(telling)
    else:
        telling, exact = solutions + hidden, set(solutions) | set(hidden)
    return exact, [line for line in telling if len(line) >= _INSIDE_MIN]


def _comment_marker(comments):
    """The first marker comment of a Python file (``### BEGIN SOLUTION``), reported; or None."""
    for number, comment in comments:
        match = _MARKER_LINE.match(comment)
        if match:
            return f"line {number}: marker {match.group(2)!r} in {comment.strip()!r}"
    return None


def _line_marker(line, strict, comments):
    """The marker ``line`` holds: any marker string in strict files, a marker line in other
    files, none in Python files of course_lib (their comments were checked)."""
    if strict:
        return next((m for m in MARKERS if m in line), None)
    if comments is None:
        match = _MARKER_LINE.match(line)
        return match.group(2) if match else None
    return None


def _text_leak(path, rel, pairs, solutions, hidden):
    """The first leak of a text file whose ``(location, line)`` pairs are ``pairs``, as
    ``"where: what"``; None if it has none."""
    strict = path.suffix == ".ipynb" or rel.startswith("release/")
    library = rel.startswith("course_lib/") and not strict
    exact, inside = _forbidden(library, solutions, hidden)
    comments = _python_comments(path.read_text(encoding="utf-8")) \
        if library and path.suffix == ".py" else None
    if comments is not None:
        report = _comment_marker(comments)
        if report:
            return report
    for where, line in pairs:
        plain = normalized_line(line)
        marker = _line_marker(line, strict, comments)
        if marker:
            return f"{where}: marker {marker!r} in {plain[:120]!r}"
        leak = plain if plain in exact else next((t for t in inside if t in plain), None)
        if leak:
            kind = "solution" if leak in solutions else "hidden-test"
            return f"{where}: {kind} line {leak!r} in {plain[:120]!r}"
    return None
