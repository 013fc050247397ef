"""The conventions of the course's source notebooks: nbgrader's marker regions, read as text.

A source notebook marks each exercise's solution with ``### BEGIN SOLUTION`` / ``### END
SOLUTION`` and the hidden part of each grade cell with ``### BEGIN HIDDEN TESTS`` / ``### END
HIDDEN TESTS`` (the README). The functions here find, replace and split those regions, collect
their "telling" lines (what must not leak to students), and build a wrong answer from the
``# WRONG: line`` comments for the round-trip test.

Notebooks are handled as plain dicts (``nbformat``'s NotebookNode is one), so this module
imports neither nbgrader nor nbformat.
"""

import re

__all__ = [
    "BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN", "END_HIDDEN", "HIDDEN_NOTE",
    "cell_source", "nbgrader_meta", "is_grade_cell", "is_solution_cell", "replace_regions",
    "split_regions", "region_lines", "telling_lines", "hidden_test_lines", "solution_lines",
    "wrong_answer_source",
]

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests: run at grading time, not shown)"
_WRONG = re.compile(r"^(\s*)# WRONG: ?(.*)$")
_MIN_TELLING = 8  # shorter lines (")", "else:", "x = 1") say nothing and occur everywhere


def cell_source(cell):
    """A cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def nbgrader_meta(cell):
    """The cell's ``metadata["nbgrader"]`` dict (empty when the cell has none)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_grade_cell(cell):
    """True for an nbgrader grade cell (autograded tests or a manually graded answer)."""
    return bool(nbgrader_meta(cell).get("grade"))


def is_solution_cell(cell):
    """True for an nbgrader solution cell (where the student writes)."""
    return bool(nbgrader_meta(cell).get("solution"))


def replace_regions(source, begin, end, replace):
    """``source`` with every ``begin``/``end`` region, marker lines included, replaced.

    Parameters
    ----------
    source : str
    begin, end : str
        Marker texts, e.g. ``"BEGIN HIDDEN TESTS"``; a line containing one is a marker line.
    replace : callable
        ``replace(lines, indent)`` gets the lines inside a region (without its markers) and the
        indentation of its begin marker, and returns the lines to put in its place.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        On a region that is nested, closed without being opened, or never closed.

    Examples
    --------
    >>> replace_regions("a\\n  ### BEGIN X\\n  b\\n  ### END X", "BEGIN X", "END X",
    ...                 lambda lines, indent: [indent + "..."])
    'a\\n  ...'
    """
    out, current, indent = [], None, ""
    for line in source.split("\n"):
        if begin in line:
            if current is not None:
                raise ValueError(f"replace_regions: nested '{begin}' in:\n{source}")
            current, indent = [], line[: len(line) - len(line.lstrip())]
        elif end in line:
            if current is None:
                raise ValueError(f"replace_regions: '{end}' without '{begin}' in:\n{source}")
            out.extend(replace(current, indent))
            current = None
        elif current is not None:
            current.append(line)
        else:
            out.append(line)
    if current is not None:
        raise ValueError(f"replace_regions: '{begin}' is never closed by '{end}' in:\n{source}")
    return "\n".join(out)


def split_regions(source, begin, end):
    """Split ``source`` into lines outside and blocks of lines inside ``begin``/``end`` markers.

    Parameters
    ----------
    source : str
    begin, end : str
        Marker texts, as in :func:`replace_regions`.

    Returns
    -------
    outside : list of str
        Lines outside every region (marker lines excluded).
    regions : list of list of str
        The lines of each region, without its marker lines.

    Raises
    ------
    ValueError
        On a region that is nested or never closed.

    Examples
    --------
    >>> split_regions("a\\n### BEGIN X\\nb\\n### END X\\nc", "BEGIN X", "END X")
    (['a', 'c'], [['b']])
    """
    regions = []
    outside = replace_regions(source, begin, end, lambda lines, _: regions.append(lines) or [])
    return outside.split("\n"), regions


def normalized_line(line):
    return " ".join(line.split())


def region_lines(nb, begin, end, cell_filter=None):
    """Every line inside ``begin``/``end`` regions of the cells, whitespace-normalized.

    Parameters
    ----------
    nb : dict
        A notebook.
    begin, end : str
        Marker texts, as in :func:`replace_regions`.
    cell_filter : callable, optional
        Only the cells for which ``cell_filter(cell)`` is true (e.g. :func:`is_grade_cell`).

    Returns
    -------
    list of str
        In notebook order, repeats kept.
    """
    lines = []
    for cell in nb["cells"]:
        if cell_filter is None or cell_filter(cell):
            for region in split_regions(cell_source(cell), begin, end)[1]:
                lines.extend(normalized_line(line) for line in region)
    return lines


def _visible_lines(nb, begin, end):
    seen = set()
    for cell in nb["cells"]:
        outside = split_regions(cell_source(cell), begin, end)[0]
        seen.update(normalized_line(line) for line in outside)
    return seen


def telling_lines(nb, begin, end):
    """The lines of the regions that would give something away if they leaked.

    A line counts when it has at least 8 characters after whitespace normalization, contains a
    letter or digit, and does not also appear outside the regions (a line the student sees
    anyway, like ``return z``, leaks nothing).

    Parameters
    ----------
    nb, begin, end
        The notebook and the regions' marker texts, as for :func:`region_lines`.

    Returns
    -------
    set of str
        Whitespace-normalized lines.
    """
    visible = _visible_lines(nb, begin, end)
    return {line for line in region_lines(nb, begin, end)
            if len(line) >= _MIN_TELLING and re.search(r"\w", line) and line not in visible}


def hidden_test_lines(nb):
    """:func:`telling_lines` of the hidden-test regions (``### BEGIN HIDDEN TESTS``)."""
    return telling_lines(nb, BEGIN_HIDDEN, END_HIDDEN)


def solution_lines(nb):
    """:func:`telling_lines` of the solution regions (``### BEGIN SOLUTION``)."""
    return telling_lines(nb, BEGIN_SOLUTION, END_SOLUTION)


def wrong_answer_source(source):
    """Replace each solution region by its ``# WRONG: <line>`` lines, uncommented.

    Each wrong line keeps the indentation of its ``# WRONG:`` comment. This is how the
    round-trip test builds a submission with a (realistic) wrong answer in every exercise.

    Parameters
    ----------
    source : str
        A solution cell's source.

    Returns
    -------
    str
        The source with each solution region replaced by its wrong lines.

    Raises
    ------
    ValueError
        If a solution region has no ``# WRONG:`` line.

    Examples
    --------
    >>> src = "n = None\\n### BEGIN SOLUTION\\nn = 7850\\n# WRONG: n = 7840\\n### END SOLUTION"
    >>> print(wrong_answer_source(src))
    n = None
    n = 7840
    """
    def wrong_lines(lines, _indent):
        wrong = [m.group(1) + m.group(2) for m in map(_WRONG.match, lines) if m]
        if not wrong:
            raise ValueError(
                "wrong_answer_source: a solution region has no '# WRONG: <line>' comment, "
                "so the round trip cannot build a wrong answer. Add one inside the region "
                "(a realistic mistake the hidden tests catch), e.g. "
                "'# WRONG: n_params = 784 * 10'. The region:\n" + source)
        return wrong

    return replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, wrong_lines)
