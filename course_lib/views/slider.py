"""Sliders that a screen reader can name: a native ``<input type="range">`` with its label.

ipywidgets 8.1's ``IntSlider`` and ``FloatSlider`` draw a noUiSlider handle (a ``div`` with
``role="slider"``) beside a ``<label>`` that is not tied to it, so the handle has no accessible
name: axe-core reports ``aria-input-field-name`` and a screen reader says "slider, 1"
(ipywidgets #2650, open; 8.1.9 passes noUiSlider no ``handleAttributes``). :class:`IntSlider`
and :class:`FloatSlider` here are small ``anywidget`` widgets (inline JavaScript, no build) that
keep the ipywidgets API the explorers use (``value``, ``min``, ``max``, ``step``,
``description``, ``continuous_update``, ``observe``) and render a ``<label for=...>`` with a
native range input: the browser gives it its name, its role, the arrow, Page and Home/End keys,
and ``aria-valuetext`` carries the readout.
"""

import anywidget
import traitlets

__all__ = ["IntSlider", "FloatSlider", "NativeKeys", "SLIDER_CLASS"]

SLIDER_CLASS = "course-slider"
"""The class of the slider's root element (the browser tests find controls by it)."""

_ESM = """
const NAV = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
                     "PageUp", "PageDown"]);
function render({ model, el }) {
  // unique in the page: each widget may evaluate this module anew, so no counter here
  const id = `course-slider-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  el.classList.add("%(cls)s");
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const readout = document.createElement("output");
  readout.htmlFor = id;
  readout.setAttribute("aria-hidden", "true");  // the input's aria-valuetext says it
  el.append(label, input, readout);
  const text = v => Number(v).toFixed(model.get("decimals"));
  const show = () => {
    label.textContent = model.get("description");
    for (const k of ["min", "max", "step"]) input[k] = String(model.get(k));
    input.value = String(model.get("value"));
    input.disabled = model.get("disabled");
    readout.textContent = text(input.value);
    input.setAttribute("aria-valuetext", text(input.value));
  };
  const send = () => {
    model.set("value", Number(input.value));
    model.save_changes();
  };
  input.addEventListener("input", () => {
    readout.textContent = text(input.value);
    input.setAttribute("aria-valuetext", text(input.value));
    if (model.get("continuous_update")) send();
  });
  input.addEventListener("change", send);
  // JupyterLab's command mode binds the arrows (move between cells, collapse headings) on the
  // document; a native input's keys must stop here or their default action is cancelled
  input.addEventListener("keydown", e => { if (NAV.has(e.key)) e.stopPropagation(); });
  for (const k of ["value", "min", "max", "step", "description", "disabled", "decimals"])
    model.on(`change:${k}`, show);
  show();
}
export default { render };
""" % {"cls": SLIDER_CLASS}

_CSS = """
.%(cls)s { display: flex; align-items: center; gap: 8px; min-height: 28px; }
.%(cls)s label { min-width: 80px; text-align: right; }
.%(cls)s input[type=range] { width: 180px; accent-color: #0b57d0; }
.%(cls)s output { min-width: 3em; font-variant-numeric: tabular-nums; }
.%(cls)s input[type=range]:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
""" % {"cls": SLIDER_CLASS}


_KEYS_ESM = """
const NAV = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
                     "PageUp", "PageDown"]);
function render({ el }) {
  let tries = 0;
  const guard = () => {   // the explorer's box holds this view a few frames after render
    const box = el.closest(".course-explorer");
    if (!box) { if (tries++ < 300) requestAnimationFrame(guard); return; }
    box.addEventListener("keydown", e => {
      const t = e.target;
      if (NAV.has(e.key) && (t.tagName === "SELECT" || t.tagName === "INPUT")) e.stopPropagation();
    });
  };
  guard();
}
export default { render };
"""


class NativeKeys(anywidget.AnyWidget):
    """Lets an explorer's drop-downs and fields keep their arrow keys in JupyterLab.

    JupyterLab's command mode binds the arrows on the document (move to the next cell, fold a
    heading): the arrow pressed in an ipywidgets drop-down moved the notebook's cell and took
    the focus away instead of choosing the next option. This invisible widget, placed in the
    explorer's box by :func:`~.display.show_widget`, stops the navigation keys of a ``select``
    or ``input`` inside the box from reaching the document, so the browser's own action runs.
    """

    _esm = traitlets.Unicode(_KEYS_ESM).tag(sync=True)


class _Slider(anywidget.AnyWidget):
    """What both sliders share: the view, the label and the clamping of ``value``."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, value=None, min=None, max=None, step=None, **kwargs):
        given = {k: v for k, v in (("min", min), ("max", max), ("step", step)) if v is not None}
        super().__init__(**given, **kwargs)
        if not self.description.strip():
            raise ValueError(f"{type(self).__name__}: a slider needs a description; it is "
                             "the name a screen reader says.")
        if value is not None:
            self.value = value

    @traitlets.validate("value")
    def _clamp(self, proposal):
        return type(self.value)(min(max(proposal["value"], self.min), self.max))

    @traitlets.observe("min", "max")
    def _bounds(self, change):
        if self.min > self.max:
            raise traitlets.TraitError(f"{type(self).__name__}: min {self.min} is above max "
                                       f"{self.max}.")
        self.value = self.value  # clamp into the new range


class IntSlider(_Slider):
    """An integer slider with an accessible name (ipywidgets' ``IntSlider`` arguments).

    Parameters
    ----------
    value, min, max, step : int, default 0, 0, 100, 1
        Where it starts, its range and its step; ``value`` is kept inside [min, max].
    description : str
        The visible label and the name a screen reader says (required).
    continuous_update : bool, default True
        Send the value while it moves (True) or when it is let go (False).

    Examples
    --------
    >>> s = IntSlider(5, 0, 3, description="window")
    >>> s.value, s.max
    (3, 3)
    >>> s.max = 2
    >>> s.value
    2
    """

    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    decimals = traitlets.Int(0).tag(sync=True)


class FloatSlider(_Slider):
    """A float slider with an accessible name (ipywidgets' ``FloatSlider`` arguments).

    Parameters
    ----------
    value, min, max, step : float, default 0.0, 0.0, 10.0, 0.1
        Where it starts, its range and its step; ``value`` is kept inside [min, max].
    description : str
        The visible label and the name a screen reader says (required).
    continuous_update : bool, default True
    decimals : int, default 2
        Decimals of the readout (and of ``aria-valuetext``).

    Examples
    --------
    >>> FloatSlider(7.5, -5, 5, 0.1, description="T").value
    5.0
    """

    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(10.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    decimals = traitlets.Int(2).tag(sync=True)
