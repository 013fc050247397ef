"""A student in JupyterLab: answer an exercise of the released perceptron assignment, run the
instant check, see "Correct" (and the hint for a wrong answer); then nbgrader's Validate button.

The answers come from the source notebook: the solution region for the correct answer, its
`# WRONG:` lines for the wrong one, so no answer is written here.
Without 01_perceptron the first assignment with a checked exercise stands in for it.
"""

import json
import re
import time

import pytest
from lab_driver import (
    PANEL,
    REPORT,
    cell_source,
    discover_notebooks,
    first_exercise,
    notebook_cells,
    open_notebook,
    run_all,
    run_cell,
    solution_text,
    state,
    type_into_cell,
    wrong_text,
)

PREFERRED = "01_perceptron"


def _validate(page, path):
    """Open ``path``, press nbgrader's Validate button, and return the dialog's message."""
    open_notebook(page, path)
    page.locator(f"{PANEL} .validate-button").click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(timeout=150_000)
    return message.inner_text()


def _assignment():
    candidates = [nb for nb in discover_notebooks(widgets_only=False) if first_exercise(nb)]
    preferred = [nb for nb in candidates if nb.parent.name == PREFERRED]
    return (preferred or candidates or [None])[0]


ASSIGNMENT = _assignment()
needs_assignment = pytest.mark.skipif(
    ASSIGNMENT is None, reason="no assignment with a checked exercise under notebooks/ yet")


@needs_assignment
def test_instant_check_says_correct_then_gives_the_hint(lab_page):
    page = lab_page
    name = ASSIGNMENT.parent.name
    path = f"release/{name}/{name}.ipynb"
    ex, check = first_exercise(ASSIGNMENT)
    solution_src = cell_source(notebook_cells(ASSIGNMENT)[ex])
    started = time.monotonic()
    open_notebook(page, path)
    run_all(page, what=path, until=ex + 1)
    assert state(page)["cells"][ex]["prompt"] not in ("[ ]:", ""), "exercise cell not run"

    typed = type_into_cell(page, ex, solution_text(solution_src))
    assert typed.split() == solution_text(solution_src).split(), (
        f"the editor of cell {ex} holds {typed!r} after typing the solution")
    run_cell(page, ex)
    verdict = run_cell(page, check)
    assert "Correct" in verdict and "Not yet" not in verdict, (
        f"{path}: the check cell {check} says {verdict!r} to the correct answer")

    type_into_cell(page, ex, wrong_text(solution_src))
    run_cell(page, ex)
    hint = run_cell(page, check)
    assert "Not yet" in hint, f"{path}: the check says {hint!r} to the wrong answer"
    REPORT.append({"notebook": path, "student_flow": {
        "exercise_cell": ex, "check_cell": check, "correct": verdict.strip(),
        "wrong": hint.strip()}, "total_s": round(time.monotonic() - started, 1)})


@needs_assignment
@pytest.mark.parametrize("answers,expected", [
    ("all-correct", "Success! Your notebook passes all the tests."),
    ("blank", "The following cell failed"),
])
def test_validate_button(answers, expected, lab_page):
    """Validate (nbgrader's toolbar button) passes the filled-in release, fails the blank one."""
    page = lab_page
    name = ASSIGNMENT.parent.name
    stem = f"{name}-all-correct" if answers == "all-correct" else name
    path = f"release/{name}/{stem}.ipynb"
    started = time.monotonic()
    text = _validate(page, path)
    assert expected.lower() in text.lower(), f"Validate on {path} says:\n{text[:3000]}"
    page.locator(".jp-Dialog .jp-mod-accept").first.click()
    REPORT.append({"notebook": path, "validate": text.strip()[:200],
                   "total_s": round(time.monotonic() - started, 1)})


def test_the_all_correct_notebook_fills_every_solution(course):
    """The Validate case above means something only if every solution cell was filled in."""
    if ASSIGNMENT is None:
        pytest.skip("no assignment with a checked exercise under notebooks/ yet")
    name = ASSIGNMENT.parent.name
    filled = notebook_cells(course / "release" / name / f"{name}-all-correct.ipynb")
    for c in filled:
        if c.get("metadata", {}).get("nbgrader", {}).get("solution"):
            src = cell_source(c)
            assert "NotImplementedError" not in src and "YOUR ANSWER HERE" not in src, src
            assert "your_answer_here()" not in src, src


def _blank_last_exercise(course, name):
    """Write release/NAME/NAME-partial.ipynb: every exercise done but the last one, left as
    released. Returns (its path, the exercise's name as its grade cells say it)."""
    folder = course / "release" / name
    released = notebook_cells(folder / f"{name}.ipynb")
    nb = json.loads((folder / f"{name}-all-correct.ipynb").read_text(encoding="utf-8"))
    solutions = [i for i, c in enumerate(nb["cells"])
                 if c.get("metadata", {}).get("nbgrader", {}).get("solution")
                 and c["cell_type"] == "code"]
    last = solutions[-1]
    nb["cells"][last]["source"] = cell_source(released[last])
    after = "".join(cell_source(c) for c in nb["cells"][last + 1:]
                    if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
    names = re.findall(r'require_\w+\([^"\n]*"(Exercise [^"]+)"', after)
    assert names, f"{name}: no require_answer/require_function after cell {last}"
    path = folder / f"{name}-partial.ipynb"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path, names[0]


@needs_assignment
def test_validate_names_the_exercise_left_blank(course, lab_page, screenshots):
    """Validate on a notebook done but for its last exercise: the message names that one, says
    it is not answered yet, and no other exercise fails (screenshot: validate-NAME-partial.png)."""
    page = lab_page
    name = ASSIGNMENT.parent.name
    partial, exercise = _blank_last_exercise(course, name)
    path = partial.relative_to(course).as_posix()
    started = time.monotonic()
    text = _validate(page, path)
    shot = screenshots / f"validate-{name}-partial.png"
    page.locator(".jp-Dialog").first.screenshot(path=str(shot))
    page.locator(".jp-Dialog .jp-mod-accept").first.click()
    assert f"{exercise} is not answered yet" in text, f"Validate on {path} says:\n{text[:3000]}"
    unanswered = set(re.findall(r"(Exercise [^\n]*?) is not answered yet", text))
    assert unanswered == {exercise}, (
        f"Validate on {path} names {sorted(unanswered)} as not answered, expected only "
        f"{exercise!r}:\n{text[:3000]}")
    assert "Success" not in text
    REPORT.append({"notebook": path, "validate": text.strip()[:600],
                   "total_s": round(time.monotonic() - started, 1)})
