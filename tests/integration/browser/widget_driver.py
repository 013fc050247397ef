"""Find the rendered explorers of a notebook in JupyterLab and move one control of each.

An explorer is an ``.jp-OutputArea-output`` whose child is a root ``.jupyter-widgets`` view
(outputs nested inside an ``ipywidgets.Output`` are part of their explorer). Its controls are
found generically (slider handles, drop-downs, toggle buttons, buttons, check boxes, number and
text fields); the "output" of an explorer is everything else in it: captions, HTML, labels,
printed text and images (``img`` src, canvas pixels), compared as a hash before and after.
"""

import time

from lab_driver import PANEL

# roots of control widgets: their descriptions and readouts are not "output"
CONTROL_ROOTS = (".widget-slider, .course-slider, .widget-dropdown, .widget-text, "
                 ".widget-textarea, "
                 ".widget-toggle-buttons, .widget-toggle-button, .widget-button, "
                 ".widget-checkbox, .widget-radio, .widget-select, .widget-select-multiple, "
                 ".widget-play, .widget-combobox, .widget-colorpicker, .widget-datepicker, "
                 ".widget-tagsinput, .widget-upload, .widget-hprogress, .widget-vprogress")

_MARK_JS = """() => {
  const outs = [...document.querySelectorAll('%s .jp-OutputArea-output')].filter(o =>
    o.querySelector(':scope > .jupyter-widgets') && !o.parentElement.closest('.jupyter-widgets'));
  const cells = [...document.querySelectorAll('%s .jp-Notebook .jp-Cell')];
  return outs.map((o, i) => {
    o.dataset.testExplorer = i;
    const cell = cells.findIndex(c => c.contains(o));
    const box = o.getBoundingClientRect();
    const controls = [];
    o.querySelectorAll('.noUi-handle, select, input, textarea, button').forEach(el => {
      if (el.disabled || !el.offsetParent) return;
      let kind = null;
      if (el.classList.contains('noUi-handle') || el.type === 'range') kind = 'slider';
      else if (el.tagName === 'SELECT') kind = el.options.length > 1 ? 'select' : null;
      else if (el.tagName === 'TEXTAREA') kind = 'text';
      else if (el.tagName === 'BUTTON')
        kind = el.classList.contains('mod-active') ? null : 'button';
      else if (el.type === 'checkbox') kind = 'checkbox';
      else if (el.type === 'radio') kind = el.checked ? null : 'radio';
      else if (el.type === 'number') kind = 'number';
      else if (el.type === 'text') kind = 'text';
      if (!kind) return;
      const root = el.closest('.jupyter-widgets') || el;
      const label = ((el.labels && el.labels[0]) || root.querySelector('.widget-label') || {})
        .innerText || '';
      el.dataset.testControl = i + '-' + controls.length;
      controls.push({kind, label: label.trim(),
                     text: (el.innerText || el.value || '').trim().slice(0, 40)});
    });
    const result = !!o.closest('.jp-OutputArea-executeResult');
    return {cell, result, height: box.height,
            widgets: o.querySelectorAll('.jupyter-widgets').length, controls};
  });
}""" % (PANEL, PANEL)

_SNAPSHOT_JS = """(el) => {
  const hash = s => { let h = 5381; for (let i = 0; i < s.length; i++)
                        h = (h * 33 + s.charCodeAt(i)) | 0; return h; };
  const clone = el.cloneNode(true);
  clone.querySelectorAll('%s').forEach(e => e.remove());
  const parts = [clone.textContent];
  el.querySelectorAll('img').forEach(i => { if (!i.closest('%s')) parts.push(i.src); });
  el.querySelectorAll('canvas').forEach(c => { try { parts.push(c.toDataURL()); } catch (e) {} });
  return {hash: hash(parts.join('\\u0000')), text: clone.textContent.trim().slice(0, 160),
          images: el.querySelectorAll('img, canvas').length};
}""" % (CONTROL_ROOTS, CONTROL_ROOTS)

# text fields last: arbitrary text is the control most likely to be rejected
_ORDER = {"slider": 0, "select": 0, "button": 0, "checkbox": 0, "radio": 0, "number": 1,
          "text": 2}


def explorers(page):
    """Mark every rendered explorer (and its controls) and describe them."""
    return page.evaluate(_MARK_JS)


def snapshot(page, i):
    return page.locator(f'[data-test-explorer="{i}"]').evaluate(_SNAPSHOT_JS)


def _act(page, control, kind, attempt):
    if kind == "slider":
        now = control.get_attribute("aria-valuenow") or control.input_value()   # noUi or range
        at_max = float(now) == float(control.get_attribute("aria-valuemax")
                                     or control.get_attribute("max"))
        control.focus()
        key = "ArrowLeft" if at_max != (attempt == 1) else "ArrowRight"
        page.keyboard.press(key)
        if attempt == 1:
            page.keyboard.press(key)
    elif kind == "select":
        options = control.evaluate("s => [...s.options].map(o => o.value)")
        current = control.evaluate("s => s.selectedIndex")
        control.select_option(index=(current + 1 + attempt) % len(options))
    elif kind == "number":
        value = float(control.input_value() or 0)
        step = float(control.get_attribute("step") or 1) if control.get_attribute(
            "step") not in (None, "any") else 1.0
        top = control.get_attribute("max")
        new = value - step if (top is not None and value + step > float(top)) or attempt else (
            value + step)
        control.fill(f"{new:g}")
        control.press("Enter")
    elif kind == "text":
        control.fill(control.input_value() + " x")
        control.press("Enter")
    else:  # button, checkbox, radio
        control.click()


def move_one_control(page, i, info, wait=8.0):
    """Move controls of explorer ``i`` in order until its output changes.

    Returns a dict describing the control that changed the output, or None.
    """
    box = page.locator(f'[data-test-explorer="{i}"]')
    box.scroll_into_view_if_needed()
    order = sorted(range(len(info["controls"])), key=lambda j: _ORDER[info["controls"][j]["kind"]])
    for j in order:
        c = info["controls"][j]
        control = page.locator(f'[data-test-control="{i}-{j}"]')
        for attempt in (0, 1):
            before = snapshot(page, i)
            _act(page, control, c["kind"], attempt)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                after = snapshot(page, i)
                if after["hash"] != before["hash"]:
                    return dict(c, before=before["text"], after=after["text"],
                                images=after["images"])
                time.sleep(0.2)
            if c["kind"] not in ("slider", "select", "number"):
                break  # clicking again would only undo it
    return None
