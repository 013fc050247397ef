"""The course's widgets for a keyboard and a screen reader, in JupyterLab and Chromium.

One small notebook (written into the served course copy, run once) shows a slider explorer
(01's perceptron), 04's predict/reveal explorer and 06's drawing pad (LeNet-5 with its feature
maps; untrained, so it runs in a second). On it:

- axe-core (WCAG 2.1 A and AA) finds nothing in the course's content: the sliders have a name
  (``course_lib.views.slider``), the pad's canvas has one, no image lacks an alternative;
- 04's explorer shows no image (no broken-image icon) before the first Reveal, and its labels
  are not cut ("your answ...");
- the pad is drawn on with the keyboard alone: the arrows move the cursor, space puts the pen
  down and lifts it, the caption (a live region) then names a digit; Tab leaves the canvas
  (ipycanvas keeps every key, Tab included, without ``course_lib.views.keypad``); the Sample
  digit button draws one; Clear does not move the pad (it jumped about 300 px in 06).

Every released notebook is checked with axe and driven by the keyboard in
``test_browser_notebooks.py`` (its release pass), where it is run anyway.
"""

import json
import re
import time

import pytest
from a11y_driver import axe_by_side, counts, keyboard_drive
from lab_driver import REPORT, open_notebook, run_all
from widget_driver import explorers

pytest.importorskip("axe_playwright_python.sync_playwright",
                    reason="pip install axe-playwright-python (the dev extra has it)")

SCRATCH = "a11y-widgets.ipynb"
CELLS = [
    "from course_lib import lenet5\n"
    "from course_lib.views import show_widget\n"
    "from course_lib.views.conv_geometry import predict_reveal_explorer\n"
    "from course_lib.views.drawpad import draw_pad\n"
    "from course_lib.views.perceptron import perceptron_explorer",
    "show_widget(perceptron_explorer(), 'the perceptron');",
    "show_widget(predict_reveal_explorer(7, 3, 3, 0), 'predict, then reveal');",
    "pad = show_widget(draw_pad(lenet5(input_shape=(28, 28, 1), seed=0), 'LeNet-5', "
    "maps=True), 'the pad');",
]
# labels whose text is wider than their box (cut with an ellipsis; scrollWidth does not say)
CUT_JS = """ls => ls.filter(l => {
  const r = document.createRange(); r.selectNodeContents(l);
  return r.getBoundingClientRect().width > l.clientWidth + 1;
}).map(l => l.innerText)"""
SAYS = re.compile(r"LeNet-5 says \d \(\w+\) with probability")


def _scratch(course):
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": src} for src in CELLS]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                      "display_name": "Python 3"}},
          "nbformat": 4, "nbformat_minor": 5}
    (course / SCRATCH).write_text(json.dumps(nb))


def _wait(fn, what, timeout=20):
    deadline = time.monotonic() + timeout
    while not (value := fn()):
        assert time.monotonic() < deadline, what
        time.sleep(0.15)
    return value


def _check_predict_reveal(page, box):
    assert box.locator("img").count() == 0, (
        "04's explorer has an image (a broken-image icon) before the first Reveal")
    cut = box.locator(".widget-label").evaluate_all(CUT_JS)
    assert not cut, f"04's explorer cuts its labels: {cut}"


def _check_pad(page, box):
    canvas = box.locator("canvas").first
    caption = box.locator("[role=status]").first
    assert canvas.get_attribute("role") == "application" and "Drawing pad" in (
        canvas.get_attribute("aria-label") or "")
    canvas.focus()
    for key in [" ", "ArrowUp", "ArrowUp", "ArrowUp", "ArrowDown", "ArrowDown", "ArrowDown",
                "ArrowDown", "ArrowDown", " "]:
        page.keyboard.press(key)
    said = _wait(lambda: SAYS.search(caption.inner_text()), "the keyboard's digit is not read")
    _wait(lambda: box.locator("img:visible").count() == 5, "no picture after keyboard drawing")
    page.keyboard.press("Tab")
    assert not canvas.evaluate("c => document.activeElement === c"), (
        "Tab does not leave the pad's canvas: a keyboard trap")
    box.locator("button", has_text="Clear").focus()
    top = canvas.bounding_box()["y"]
    page.keyboard.press("Enter")
    _wait(lambda: caption.inner_text().startswith("Cleared"), "Clear did not clear")
    moved = abs(canvas.bounding_box()["y"] - top)
    assert moved < 2, f"Clear moved the pad by {moved:.0f} px"
    assert box.locator("img:visible").count() == 0
    box.locator("button", has_text="Sample digit").focus()
    page.keyboard.press(" ")
    _wait(lambda: SAYS.search(caption.inner_text()), "Sample digit drew nothing")
    return said.group(0)


def test_widgets_have_names_and_work_with_the_keyboard(course, lab_page, screenshots):
    page = lab_page
    _scratch(course)
    open_notebook(page, SCRATCH)
    run_all(page, what=SCRATCH)
    found = _wait(lambda: len(explorers(page)) == 3 and explorers(page), "3 explorers")
    page.wait_for_selector(".course-slider input[type=range]")
    sides = axe_by_side(page)
    REPORT.append({"notebook": SCRATCH, "axe": counts(sides)})
    assert not sides["course"], f"axe, the course's widgets: {sides['course']}"
    names = page.locator(".course-slider input[type=range]").evaluate_all(
        "els => els.map(e => e.labels[0] && e.labels[0].innerText)")
    assert names == ["w1", "w2", "b"], names
    boxes = {e["cell"]: page.locator(f'[data-test-explorer="{i}"]') for i, e in
             enumerate(found)}
    boxes[2].screenshot(path=str(screenshots / "a11y-predict-reveal.png"))
    _check_predict_reveal(page, boxes[2])
    said = _check_pad(page, boxes[3])
    worked = keyboard_drive(page, 0)
    ranges = [w for w in worked if w["kind"] == "range"]
    assert len(ranges) == 3 and all(w["changed"] for w in ranges), worked
    REPORT.append({"notebook": SCRATCH, "keyboard": {"pad": said, "perceptron": worked}})
