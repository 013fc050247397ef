"""The source notebooks' conventions: marker regions, telling lines, wrong answers."""

import pytest

from course_grader.cells import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    cell_source,
    hidden_test_lines,
    is_grade_cell,
    is_solution_cell,
    nbgrader_meta,
    region_lines,
    replace_regions,
    split_regions,
    wrong_answer_source,
)


def test_cell_helpers_read_lists_and_missing_metadata():
    assert cell_source({"source": ["a\n", "b"]}) == "a\nb"
    assert cell_source({}) == ""
    assert nbgrader_meta({"metadata": {}}) == {}
    grade = {"metadata": {"nbgrader": {"grade": True, "solution": False}}}
    assert is_grade_cell(grade) and not is_solution_cell(grade)


def test_replace_regions_gives_the_inner_lines_and_the_indent():
    seen = []
    out = replace_regions("a\n    ### BEGIN X\n    b\n    c\n    ### END X\nd", "BEGIN X", "END X",
                          lambda lines, indent: seen.append((lines, indent)) or ["<cut>"])
    assert out == "a\n<cut>\nd"
    assert seen == [(["    b", "    c"], "    ")]


def test_region_lines_are_normalized_and_filtered():
    nb = {"cells": [{"source": f"### {BEGIN_HIDDEN}\n  assert   x == 1\n### {END_HIDDEN}",
                     "metadata": {"nbgrader": {"grade": True}}},
                    {"source": f"### {BEGIN_HIDDEN}\nx = 1\n### {END_HIDDEN}"}]}
    assert region_lines(nb, BEGIN_HIDDEN, END_HIDDEN) == ["assert x == 1", "x = 1"]
    assert region_lines(nb, BEGIN_HIDDEN, END_HIDDEN, is_grade_cell) == ["assert x == 1"]
    # "x = 1" is shorter than 8 characters: it gives nothing away
    assert hidden_test_lines(nb) == {"assert x == 1"}


def test_split_regions_errors():
    assert split_regions("a\nb", "BEGIN X", "END X") == (["a", "b"], [])
    with pytest.raises(ValueError, match="never closed"):
        split_regions("### BEGIN X\nb", "BEGIN X", "END X")
    with pytest.raises(ValueError, match="nested"):
        split_regions("### BEGIN X\n### BEGIN X\n### END X", "BEGIN X", "END X")
    with pytest.raises(ValueError, match="without"):
        split_regions("### END X", "BEGIN X", "END X")


def test_wrong_answer_source_keeps_indentation_and_order():
    src = ("def f(W, b, x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION\n    return W @ x + b\n"
           "    # WRONG: z = W @ x\n    # WRONG: return z\n    ### END SOLUTION\n")
    assert wrong_answer_source(src) == (
        "def f(W, b, x):\n    \"\"\"Doc.\"\"\"\n    z = W @ x\n    return z\n")


def test_wrong_answer_source_requires_a_wrong_line():
    with pytest.raises(ValueError, match=r"^wrong_answer_source: a solution region has no"):
        wrong_answer_source("n = None\n### BEGIN SOLUTION\nn = 3\n### END SOLUTION")
    with pytest.raises(ValueError, match="never closed"):
        wrong_answer_source("### BEGIN SOLUTION\n# WRONG: n = 2")
