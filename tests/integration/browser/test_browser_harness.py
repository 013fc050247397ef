"""The browser suite's own helpers, without a browser: they decide what the suite checks."""

import json

import lab_driver
import pytest
from lab_driver import (
    all_correct_notebook,
    exception_name,
    first_exercise,
    has_widget,
    solution_text,
    widget_cells,
    wrong_text,
)

SOLUTION = """n_params = None   # replace None with your answer
### BEGIN SOLUTION
n_params = 784 * 10 + 10
# WRONG: n_params = 784 * 10
### END SOLUTION"""

FUNCTION = """def relu(z):
    \"\"\"Rectified linear unit.\"\"\"
    ### BEGIN SOLUTION
    return np.maximum(z, 0)
    # WRONG: return np.maximum(z, 1)
    # WRONG: return z
    ### END SOLUTION"""


def _meta(grade_id, solution=False, grade=False, locked=False):
    return {"nbgrader": {"grade": grade, "grade_id": grade_id, "locked": locked,
                         "schema_version": 3, "solution": solution, "task": False}}


def _notebook(tmp_path, name, cells):
    nb = {"cells": [{"cell_type": t, "id": f"c{i}", "metadata": m, "source": s,
                     **({"outputs": [], "execution_count": None} if t == "code" else {})}
                    for i, (t, s, m) in enumerate(cells)],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_solution_and_wrong_text_follow_the_notebook_conventions():
    assert solution_text(SOLUTION) == "n_params = None   # replace None with your answer\n" \
                                      "n_params = 784 * 10 + 10"
    assert wrong_text(SOLUTION).splitlines()[-1] == "n_params = 784 * 10"
    # the WRONG lines keep the indentation of their own comment, in order
    assert wrong_text(FUNCTION).splitlines()[2:] == ["    return np.maximum(z, 1)",
                                                     "    return z"]
    assert "WRONG" not in solution_text(FUNCTION) and "BEGIN" not in solution_text(FUNCTION)


@pytest.mark.parametrize("text,name", [
    ("-----\nNotImplementedError            Traceback (most recent call last)\nCell In[3]\n"
     "NotImplementedError: ", "NotImplementedError"),
    ("-----\nValueError        Traceback (most recent call last)\n...\nValueError: bad",
     "ValueError"),
    ('  Cell In[2], line 1\n    x = (\n        ^\nSyntaxError: incomplete input', "SyntaxError"),
    ("/x.py:3: UserWarning: careful\n  warnings.warn('careful')", None),
    ("some progress text on stderr", None),
])
def test_exception_name_tells_errors_from_other_stderr(text, name):
    assert exception_name(text) == name


def test_discovery_and_the_all_correct_notebook(tmp_path):
    source = _notebook(tmp_path, "src", [
        ("code", "from course_lib.views import show_widget", {}),
        ("code", "show_widget(explorer(), 'moves');", {}),
        ("code", SOLUTION, _meta("n_params", solution=True)),
        ("code", "check_answer('n_params', n_params, 'abc')", _meta("n_params_check",
                                                                      locked=True)),
        ("markdown", "### BEGIN SOLUTION\nBecause.\n### END SOLUTION",
         _meta("why", solution=True, grade=True)),
    ])
    released = _notebook(tmp_path, "rel", [
        ("code", "from course_lib.views import show_widget", {}),
        ("code", "show_widget(explorer(), 'moves');", {}),
        ("code", "n_params = None\n# YOUR CODE HERE\nraise NotImplementedError()",
         _meta("n_params", solution=True)),
        ("code", "check_answer('n_params', n_params, 'abc')", _meta("n_params_check",
                                                                      locked=True)),
        ("markdown", "YOUR ANSWER HERE", _meta("why", solution=True, grade=True)),
    ])
    assert has_widget(source) and widget_cells(source) == [1]
    assert first_exercise(source) == (2, 3)
    out = tmp_path / "filled.ipynb"
    all_correct_notebook(source, released, out)
    cells = json.loads(out.read_text())["cells"]
    assert cells[2]["source"].endswith("n_params = 784 * 10 + 10")
    assert cells[4]["source"] == "Because."
    assert cells[3]["source"] == "check_answer('n_params', n_params, 'abc')"  # locked: kept


def test_without_chromium_the_suite_skips_and_says_why(monkeypatch):
    monkeypatch.setattr(lab_driver.shutil, "which", lambda name: None)
    monkeypatch.setattr(lab_driver.os, "access", lambda path, mode: False)
    assert lab_driver.chromium_path() is None
    with pytest.raises(pytest.skip.Exception, match="chromium not installed: apt-get install"):
        lab_driver.require_chromium()
