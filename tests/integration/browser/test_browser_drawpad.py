"""Draw a digit with the mouse in a real JupyterLab: 07's pad (the release, so model 2 answers)
and 06's (LeNet-5, with the feature maps of the drawn digit).

For each: Run All, find the pad's canvas (the ipycanvas widget of the cell that calls
``draw_pad(``), draw a 4 in two strokes with ``page.mouse`` (down, moves, up), and check that
after each stroke the caption names a digit in figures and words with its probability and the
picture of the input and the ten probabilities appears; in 06 that the four feature-map images
(conv, pool, conv, pool) appear. The canvas's pixels, read in the browser, are compared with
the strokes drawn in NumPy by ``strokes_to_ink`` (what the kernel predicts from): the two must
cover the same pixels. Clear empties the pad. A screenshot of the pad goes to
build/screenshots/drawpad-NAME.png.
"""

import re
import time

import numpy as np
import pytest
from lab_driver import (
    REPORT,
    cell,
    cell_source,
    notebook_cells,
    open_notebook,
    run_all,
)

from course_lib.data.drawn import SAMPLE_STROKES, strokes_to_ink

CASES = [("07_mnist_lab", "release", False), ("06_cnn_architectures", "source", True)]
SAYS = re.compile(r"says (\d) \((\w+)\) with probability ([01]\.\d\d)")
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
PIXELS_JS = """c => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const ink = new Array(c.width * c.height);
  for (let i = 0; i < ink.length; i++)
    ink[i] = (1 - (d[4*i] + d[4*i+1] + d[4*i+2]) / 765) * d[4*i+3] / 255;
  return {width: c.width, height: c.height, ink};
}"""


def _pad_cell(path):
    cells = notebook_cells(path)
    found = [i for i, c in enumerate(cells)
             if c["cell_type"] == "code" and "draw_pad(" in cell_source(c)]
    assert found, f"{path}: no cell calls draw_pad("
    return found[0]


def _draw(page, box, stroke, size=280, steps=6):
    """One stroke through the canvas points ``stroke``; returns the points the mouse visited."""
    def at(x, y):
        return box["x"] + x * box["width"] / size, box["y"] + y * box["height"] / size

    page.mouse.move(*at(*stroke[0]))
    page.mouse.down()
    visited = [stroke[0]]
    for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
        for k in range(1, steps + 1):   # what page.mouse.move(steps=...) does, but known
            p = (x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps)
            page.mouse.move(*at(*p))
            visited.append(p)
    page.mouse.up()
    return visited


def _wait_text(locator, pattern, before=None, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        text = locator.inner_text()
        if re.search(pattern, text) and text != before:
            return text
        assert time.monotonic() < deadline, f"waited for {pattern!r}, the pad shows {text!r}"
        time.sleep(0.2)


def _overlap(page, canvas, strokes, timeout=15):
    """IoU of the canvas's inked pixels and those of strokes_to_ink (polled until it settles)."""
    want = strokes_to_ink(strokes) > 0.5
    deadline, iou = time.monotonic() + timeout, 0.0
    while time.monotonic() < deadline:
        px = canvas.evaluate(PIXELS_JS)
        got = np.array(px["ink"]).reshape(px["height"], px["width"]) > 0.5
        iou = np.logical_and(got, want).sum() / max(np.logical_or(got, want).sum(), 1)
        if iou > 0.9:
            break
        time.sleep(0.3)
    return float(iou)


def _screenshot(page, element, path):
    """The whole pad: a window tall enough for it (the notebook's scroller would clip it)."""
    size = page.viewport_size
    height = int(element.bounding_box()["height"]) + 200
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    element.scroll_into_view_if_needed()
    element.screenshot(path=str(path))
    page.set_viewport_size(size)


@pytest.mark.parametrize("name,form,maps", CASES, ids=[f"{n}-{f}" for n, f, _ in CASES])
def test_drawing_a_digit_shows_the_prediction(name, form, maps, course, lab_page, screenshots):
    page = lab_page
    folder = "notebooks" if form == "source" else "release"
    path = f"{folder}/{name}/{name}.ipynb"
    index = _pad_cell(course / path)
    started = time.monotonic()
    open_notebook(page, path)
    run_all(page, what=path)
    ran = time.monotonic()

    output = cell(page, index).locator(".jp-OutputArea")
    canvas = output.locator("canvas").first
    canvas.wait_for(timeout=30_000)
    canvas.scroll_into_view_if_needed()
    caption = output.locator(".widget-html").first
    assert "Draw a digit" in caption.inner_text(), caption.inner_text()
    box = canvas.bounding_box()

    strokes, texts, seen = [], [], None
    for stroke in SAMPLE_STROKES[4]:
        strokes.append(_draw(page, box, stroke))
        seen = _wait_text(caption, SAYS.pattern, before=seen)
        texts.append(seen)
        digit, word, p = SAYS.search(seen).groups()
        assert WORDS[int(digit)] == word and 0 < float(p) <= 1, seen
    drew = time.monotonic()
    pictures = output.locator("img")
    expected = 1 + (4 if maps else 0)   # input and probabilities; conv, pool, conv, pool maps
    deadline = time.monotonic() + 30
    while pictures.count() < expected or not all(
            (pictures.nth(i).get_attribute("src") or "").startswith("blob:")
            for i in range(expected)):
        assert time.monotonic() < deadline, (
            f"{path}: the pad shows {pictures.count()} images, expected {expected}")
        time.sleep(0.2)
    assert pictures.count() == expected, f"{path}: {pictures.count()} images, not {expected}"
    iou = _overlap(page, canvas, strokes)
    assert iou > 0.9, (f"{path}: the canvas and strokes_to_ink disagree (IoU {iou:.2f}): the "
                       "kernel would predict from another picture than the one shown")
    _screenshot(page, output, screenshots / f"drawpad-{name}.png")

    output.locator("button", has_text="Clear").click()
    _wait_text(caption, r"^Cleared")
    deadline = time.monotonic() + 15
    while output.locator("img:visible").count():
        assert time.monotonic() < deadline, (
            f"{path}: Clear left images on the pad: "
            + str(output.locator("img:visible").evaluate_all(
                "els => els.map(e => [e.parentElement.className, e.width, e.height, "
                "(e.src || '').slice(0, 30)])")))
        time.sleep(0.2)
    REPORT.append({"notebook": path, "drawpad": {"captions": texts, "iou": round(iou, 3),
                                                 "images": expected},
                   "run_s": round(ran - started, 1), "draw_s": round(drew - ran, 1),
                   "total_s": round(time.monotonic() - started, 1)})
