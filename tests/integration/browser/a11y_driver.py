"""Accessibility helpers for the browser suite: axe-core by side, and explorers driven by the
keyboard alone.

``axe_by_side`` runs axe-core (WCAG 2.1 A and AA; axe.min.js comes with axe-playwright-python,
so it runs offline) and counts each violating node on the side it belongs to: the course's
content (rendered Markdown and cell outputs) or JupyterLab's own interface, which the course
cannot fix and only reports.

``keyboard_drive`` operates one explorer as a keyboard user does: it puts the focus just before
the explorer (on the output area, made focusable for the test), then presses Tab and works the
control that got the focus (arrows on a slider or a drop-down, space on a button or toggle,
Enter after typing in a text field, arrows and space on the drawing pad), until each control was
reached once; after each key it waits for the explorer's output (caption, image) to change.
No click, no ``fill``, no ``select_option``.
"""

import time

from widget_driver import snapshot

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COURSE = ".jp-OutputArea, .jp-MarkdownOutput"   # outputs and rendered Markdown of the notebook

_SIDE_JS = """(targets) => targets.map(t => {
  const el = typeof t === 'string' ? document.querySelector(t) : null;
  return el && el.closest('%s') ? 'course' : 'jupyterlab';
})""" % COURSE

# what the focused element is, and whether it is inside explorer i
_FOCUS_JS = """(i) => {
  const el = document.activeElement;
  const box = document.querySelector(`[data-test-explorer="${i}"]`);
  if (!el || !box || !box.contains(el)) return null;
  return {tag: el.tagName, type: el.type || '', role: el.getAttribute('role') || '',
          cls: el.className && el.className.baseVal === undefined ? el.className : '',
          text: (el.innerText || el.value || el.getAttribute('aria-label') || '').slice(0, 40),
          pressed: el.getAttribute('aria-pressed'), value: el.value || '',
          id: el.dataset.testKey || (el.dataset.testKey = String(Math.random()))};
}"""

# the keys that work each kind of control, tried in turn until the output changes
KEYS = {
    "range": [["ArrowRight"], ["ArrowLeft", "ArrowLeft"]],
    "select": [["ArrowDown"], ["ArrowUp", "ArrowUp"]],
    "button": [[" "]],
    "checkbox": [[" "]],
    "pad": [[" ", "ArrowDown", "ArrowDown", "ArrowRight", "ArrowRight", " "]],
    "number": [["ArrowUp", "Enter"]],
    "text": [["End", "2", "Enter"]],
}


def axe_by_side(page):
    """Run axe on the page: ``{"course": {rule: [html, ...]}, "jupyterlab": {...}}``."""
    from axe_playwright_python.sync_playwright import Axe  # the dev extra; tests importorskip it

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    sides = {"course": {}, "jupyterlab": {}}
    for violation in result.response["violations"]:
        nodes = violation["nodes"]
        where = page.evaluate(_SIDE_JS, [n["target"][0] for n in nodes])
        for side, node in zip(where, nodes, strict=True):
            sides[side].setdefault(violation["id"], []).append(node["html"][:160])
    return sides


def counts(sides):
    """``{side: {rule: number of nodes}}`` of :func:`axe_by_side`'s result."""
    return {side: {rule: len(nodes) for rule, nodes in rules.items()}
            for side, rules in sides.items()}


def _kind(focus):
    if focus["tag"] == "CANVAS":
        return "pad"
    if focus["tag"] == "INPUT":
        return {"range": "range", "checkbox": "checkbox", "number": "number"}.get(
            focus["type"], "text")
    if focus["tag"] == "SELECT":
        return "select"
    if focus["tag"] == "BUTTON":
        return "button"
    return None


def _press_until_changed(page, i, keys_list, wait, text=False):
    """Press each key sequence in turn until the output changes (its text, with ``text``)."""
    for keys in keys_list:
        before = snapshot(page, i)
        for key in keys:
            page.keyboard.press(key)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            after = snapshot(page, i)
            if after["text" if text else "hash"] != before["text" if text else "hash"]:
                return before["text"], after["text"]
            time.sleep(0.15)
    return None


def keyboard_drive(page, i, wait=2.5, max_tabs=40):
    """Tab through explorer ``i`` and work each control with its keys.

    Returns a list of ``{"kind", "text", "changed": (before, after) or None}``, one per
    control the focus reached, in Tab order.
    """
    box = page.locator(f'[data-test-explorer="{i}"]')
    box.scroll_into_view_if_needed()
    box.evaluate("o => { o.tabIndex = -1; o.focus(); }")   # the focus just before the explorer
    worked, seen = [], set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS_JS, i)
        if focus is None:          # Tab left the explorer: every control was reached
            break
        key = focus["id"]
        kind = _kind(focus)
        if kind is None or key in seen or focus["pressed"] == "true":
            continue
        seen.add(key)
        # the pad's caption changes once the model has read the digit: wait for the text
        changed = _press_until_changed(page, i, KEYS[kind], 15.0 if kind == "pad" else wait,
                                       text=kind == "pad")
        if kind == "button" and page.evaluate(_FOCUS_JS, i)["pressed"] == "true":
            page.keyboard.press(" ")   # a toggle (play): back off, so it stops changing things
        worked.append({"kind": kind, "text": focus["text"], "changed": changed})
    else:
        raise AssertionError(f"explorer {i}: Tab never left it after {max_tabs} presses "
                             "(a keyboard trap?)")
    box.evaluate("o => o.removeAttribute('tabindex')")
    return worked
