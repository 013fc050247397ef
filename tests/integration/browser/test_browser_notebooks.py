"""Every notebook with a widget, source and released form, in a real JupyterLab and Chromium.

For each: Run All (going on past the blank exercises of the release), then check that no cell
shows an error other than NotImplementedError (release only), that no widget failed to display,
that every show_widget cell renders a widget, and that moving one control of each explorer
changes that explorer's output (a caption, printed text or an image). A screenshot after Run All
goes to build/screenshots/NAME-FORM.png. Notebooks are discovered: new ones need no test code.

The release pass is also the accessibility pass (issue 28; the notebook is run once for both):
axe-core after Run All, every explorer and drawing pad operated with the keyboard alone
(``a11y_driver.keyboard_drive``: Tab, arrows, space, Enter; each explorer's output must change),
and axe again after that. The course's content must have no violation; JupyterLab's own are
counted in build/screenshots/report.json, not asserted (the course cannot fix them).
"""

import time
import warnings

import pytest
from a11y_driver import axe_by_side, counts, keyboard_drive
from lab_driver import (
    REPORT,
    discover_notebooks,
    exception_name,
    notebook_text,
    open_notebook,
    run_all,
    screenshot,
    stderr_outputs,
    widget_cells,
)
from widget_driver import explorers, move_one_control

from course_lib.checking.variants import EXERCISES as VARIANTS

CASES = [(nb.parent.name, form) for nb in discover_notebooks() for form in ("source", "release")]


@pytest.mark.parametrize(
    "name,form", CASES or [pytest.param(None, None, marks=pytest.mark.skip(
        reason="no notebook with a widget under notebooks/ yet"))],
    ids=[f"{n}-{f}" for n, f in CASES] or ["none"])
def test_notebook_runs_and_its_explorers_respond(name, form, course, lab_page, screenshots):
    page = lab_page
    folder = "notebooks" if form == "source" else "release"
    path = f"{folder}/{name}/{name}.ipynb"
    assert (course / path).exists(), f"{path} is missing in the course copy (nbgrader release?)"
    started = time.monotonic()
    open_notebook(page, path)
    opened = time.monotonic()
    runs = run_all(page, what=path)
    ran = time.monotonic()
    screenshot(page, screenshots / f"{name}-{form}.png")
    shot = time.monotonic()

    problems, errors_before = [], []
    for cell, text in stderr_outputs(page):
        exc = exception_name(text)
        if exc is None:
            warnings.warn(f"{path} cell {cell} writes to stderr: {text[:300]}", stacklevel=1)
            continue
        errors_before.append((cell, text))
        if not (form == "release" and exc == "NotImplementedError"):
            problems.append(f"cell {cell}: {exc}\n{text[-1500:]}")
    assert not problems, f"{path} shows errors after Run All:\n" + "\n\n".join(problems)

    text = notebook_text(page)
    assert "Error displaying widget" not in text, f"{path}: a widget failed to display"
    if name in VARIANTS:  # the exercises show this student's numbers, rendered as Markdown
        assert "These numbers are yours (student 'browser-student')" in text, (
            f"{path}: the exercises do not show the browser student's own numbers")
        assert "Default variant" not in text, f"{path}: the default variant is shown"
    # show_widget's text/plain fallback shows only when the widget front end is missing
    assert "open this notebook in JupyterLab to use it" not in text, (
        f"{path}: JupyterLab showed a widget's text fallback: is jupyterlab_widgets there?")

    found = explorers(page)
    expected = widget_cells(course / path)
    cells_with_widget = {e["cell"] for e in found}
    missing = [c for c in expected if c not in cells_with_widget]
    assert not missing, f"{path}: cells {missing} call show_widget but show no widget"
    assert found, f"{path}: no rendered widget found"
    twice = sorted({e["cell"] for e in found if e["result"]} & set(expected))
    assert not twice, (f"{path}: cells {twice} show their explorer twice (show_widget's "
                       "return value displayed again: end the line with ';')")
    driven, checked = [], time.monotonic()
    axe = {"after Run All": axe_by_side(page)} if form == "release" else {}
    for i, info in enumerate(found):
        assert info["widgets"] > 0 and info["height"] > 0, f"{path}: explorer {i} is empty"
        if not info["controls"]:
            continue  # a picture made of widgets, nothing to move
        if form == "release":
            driven.append(_by_keyboard(page, path, i, info))
            continue
        moved = move_one_control(page, i, info)
        assert moved is not None, (
            f"{path}: explorer {i} (cell {info['cell']}) did not change its output when "
            f"its controls were moved: {info['controls']}")
        driven.append({"cell": info["cell"], **moved})
    assert driven, f"{path}: no explorer has a control that changes its output"
    if form == "release":
        axe["after the explorers"] = axe_by_side(page)
        REPORT.append({"notebook": path, "axe": {k: counts(v) for k, v in axe.items()}})
        course_side = {k: v["course"] for k, v in axe.items() if v["course"]}
        assert not course_side, f"{path}: axe finds violations in the course's content: " + \
            "; ".join(f"{when}: {rules}" for when, rules in course_side.items())
    new = [tuple(t) for t in stderr_outputs(page)
           if exception_name(t[1]) and tuple(t) not in errors_before]
    assert not new, f"{path}: moving a control raised an error: {new}"
    REPORT.append({"notebook": path, "runs": runs, "explorers": len(found),
                   "driven": driven, "open_s": round(opened - started, 1),
                   "run_s": round(ran - opened, 1), "screenshot_s": round(shot - ran, 1),
                   "checks_s": round(checked - shot, 1),
                   "controls_s": round(time.monotonic() - checked, 1),
                   "total_s": round(time.monotonic() - started, 1)})


def _by_keyboard(page, path, i, info):
    """Explorer ``i`` operated by the keyboard alone; at least one control changes it."""
    worked = keyboard_drive(page, i)
    assert worked, f"{path}: Tab reaches no control of explorer {i} (cell {info['cell']})"
    assert any(w["changed"] for w in worked), (
        f"{path}: explorer {i} (cell {info['cell']}) did not change with the keyboard: {worked}")
    if any(w["kind"] == "pad" for w in worked):
        pad = [w for w in worked if w["kind"] == "pad"][0]
        assert pad["changed"] and " says " in pad["changed"][1], (
            f"{path}: drawing on the pad with the keyboard named no digit: {pad}")
    return {"cell": info["cell"], "keyboard": [
        {"kind": w["kind"], "text": w["text"], "changed": bool(w["changed"])} for w in worked]}
