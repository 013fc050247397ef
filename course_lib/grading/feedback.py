"""Feedback without hidden tests (and, re-exported, the parsers of the notebooks' regions).

nbgrader's feedback shows a failing student the source of the grade cell, hidden tests
included, and the traceback of the failing assert prints the hidden lines around it.
:class:`RedactHiddenTests` (registered in ``nbgrader_config.py`` for ``generate_feedback``)
removes every hidden-test region from the grade cells, replaces the traceback of a failing
grade cell by its last line (``AssertionError: The count should include the 10 biases.``),
and blanks any other output line that quotes a hidden-test line.

The parsers of the source notebooks' conventions (solution and hidden-test regions, the
``# WRONG: line`` comments) live in :mod:`.regions`; they are re-exported here.

Notebooks are handled as plain dicts (``nbformat``'s NotebookNode is one), so this module
imports neither nbgrader nor nbformat; the preprocessor class needs nbconvert.
"""

import re

from .regions import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    HIDDEN_NOTE,
    _norm,
    cell_source,
    hidden_test_lines,
    is_grade_cell,
    is_solution_cell,
    nbgrader_meta,
    region_lines,
    replace_regions,
    solution_lines,
    split_regions,
    telling_lines,
    wrong_answer_source,
)

__all__ = [
    "BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN", "END_HIDDEN", "HIDDEN_NOTE",
    "cell_source", "nbgrader_meta", "is_grade_cell", "is_solution_cell", "replace_regions",
    "split_regions",
    "region_lines",
    "telling_lines", "hidden_test_lines", "solution_lines", "wrong_answer_source",
    "redact_hidden_tests", "RedactHiddenTests",
]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _scrub(text, leaks):
    """Blank every line of ``text`` that contains one of the ``leaks`` lines."""
    if not leaks or not isinstance(text, str):
        return text
    out = []
    for line in text.split("\n"):
        plain = _norm(_ANSI.sub("", line))
        out.append("[line of a hidden test removed]"
                   if any(leak in plain for leak in leaks) else line)
    return "\n".join(out)


def _scrub_output(output, leaks):
    if "text" in output:
        output["text"] = _scrub(cell_source({"source": output["text"]}), leaks)
    for key, value in list(output.get("data", {}).items()):
        if key.startswith("text/") or key == "application/json":
            output["data"][key] = _scrub(cell_source({"source": value}), leaks)
    if output.get("output_type") == "error":
        output["evalue"] = _scrub(output.get("evalue", ""), leaks)
        output["traceback"] = [_scrub(line, leaks) for line in output.get("traceback", [])]


def redact_hidden_tests(nb):
    """Remove hidden tests from a graded notebook before students see it (in place).

    - Grade cells lose their hidden-test regions (replaced by one comment line), their rich
      outputs, and the traceback of a failure, which keeps only ``ExceptionName: message``.
    - In every cell, an output line that quotes a hidden-test line is blanked (a student's
      cell could print ``In[...]``).

    Parameters
    ----------
    nb : dict
        A notebook (``nbformat`` NotebookNode or the parsed JSON), autograded: its grade cells
        hold the hidden tests that ran.

    Returns
    -------
    dict
        The same notebook.
    """
    leaks = hidden_test_lines(nb)
    for cell in nb["cells"]:
        source = cell_source(cell)
        if BEGIN_HIDDEN in source:
            cell["source"] = replace_regions(source, BEGIN_HIDDEN, END_HIDDEN,
                                             lambda _lines, indent: [indent + HIDDEN_NOTE])
            if cell.get("cell_type") == "code":
                kept = []
                for output in cell.get("outputs", []):
                    kind = output.get("output_type")
                    if kind == "error":
                        output["traceback"] = [
                            f"\x1b[0;31m{output.get('ename', 'Error')}\x1b[0m: "
                            f"{output.get('evalue', '')}"]
                    if kind in ("error", "stream"):
                        kept.append(output)
                cell["outputs"] = kept
        for output in cell.get("outputs", []):
            _scrub_output(output, leaks)
    return nb


try:
    from nbconvert.preprocessors import Preprocessor as _Preprocessor
    from traitlets import Bool
except ImportError:  # a kernel without nbconvert: the parsers above still work
    _Preprocessor, Bool = object, None


class RedactHiddenTests(_Preprocessor):
    """nbconvert preprocessor for ``nbgrader generate_feedback``: see :func:`redact_hidden_tests`.

    Register it in ``nbgrader_config.py``::

        c.GenerateFeedback.preprocessors = [
            "nbgrader.preprocessors.GetGrades",
            "course_lib.grading.feedback.RedactHiddenTests",
            "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        ]
    """

    if Bool is not None:
        enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        """``nb`` without hidden tests (:func:`redact_hidden_tests`), and ``resources``."""
        return redact_hidden_tests(nb), resources
