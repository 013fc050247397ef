"""The drawing pad without a mouse: a grid cursor moved by the arrow keys, a pen put down and
lifted by the space bar, and the browser-side help that names the pad and lets Tab leave it.

ipycanvas 0.14's canvas is focusable and sends every key to Python (``on_key_down``), but it
calls ``preventDefault`` on each one, Tab included: a keyboard user who tabs onto the pad could
not tab off it (WCAG 2.1.2, no keyboard trap), and the canvas has no accessible name.
:class:`PadHelp` is a small ``anywidget`` shown beside the pad: it shows the keys, announces
where the cursor is (a polite live region), names the canvas (``role="application"`` and an
``aria-label``) and stops Tab and Escape before ipycanvas sees them, so the browser moves the
focus on. :class:`KeyboardPen` turns the keys into strokes on a :class:`~.drawpad.DrawPad`.
"""

import anywidget
import traitlets

__all__ = ["GRID", "PAD_CLASS", "PAD_LABEL", "KeyboardPen", "PadHelp"]

GRID = 14
"""Cells per side of the keyboard's grid (a 280-pixel pad: 20 pixels, one pen width, a cell)."""
PAD_CLASS = "course-drawpad"
"""The class of the pad's box; :class:`PadHelp` looks for the canvas inside it."""
PAD_LABEL = ("Drawing pad, a 14 by 14 grid: the arrow keys move the cursor, space puts the pen "
             "down or lifts it, the digit is read each time the pen lifts; Tab leaves the pad.")

_ESM = """
function render({ model, el }) {
  const keys = document.createElement("p");
  keys.textContent = model.get("instructions");
  const status = document.createElement("div");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  el.append(keys, status);
  const show = () => { status.textContent = model.get("status"); };
  model.on("change:status", show);
  show();
  let tries = 0;
  const name = () => {   // the canvas is in the DOM a few frames after this view
    const pad = el.closest(".%(cls)s");
    const canvas = pad && pad.querySelector("canvas");
    if (!canvas) { if (tries++ < 300) requestAnimationFrame(name); return; }
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-label", model.get("label"));
    if (canvas.dataset.courseKeys) return;
    canvas.dataset.courseKeys = "1";
    // capture on the pad's box: ipycanvas's own listener on the canvas never sees Tab
    pad.addEventListener("keydown", e => {
      if (e.target === canvas && (e.key === "Tab" || e.key === "Escape")) e.stopPropagation();
    }, true);
  };
  name();
}
export default { render };
""" % {"cls": PAD_CLASS}


class PadHelp(anywidget.AnyWidget):
    """The keys of the pad, the cursor's announced place, and the canvas's name (see module).

    Examples
    --------
    >>> PadHelp().label == PAD_LABEL
    True
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(".%s p { max-width: 300px; margin: 4px 0; }" % PAD_CLASS
                             ).tag(sync=True)
    instructions = traitlets.Unicode("Keyboard: Tab to the pad, arrows move the blue cursor, "
                                     "space puts the pen down or lifts it.").tag(sync=True)
    label = traitlets.Unicode(PAD_LABEL).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)


class KeyboardPen:
    """A cursor on a ``GRID`` x ``GRID`` grid over a pad; keys move it and draw strokes.

    Parameters
    ----------
    pad : DrawPad
        Drawn on with its public ``pen_down``, ``pen_move``, ``pen_up`` and ``redraw``.
    help : PadHelp, optional
        Told where the cursor is after each key (``status``).

    Examples
    --------
    >>> class Pad:
    ...     size, strokes = 280, []
    ...     def pen_down(self, x, y): self.strokes.append([(x, y)])
    ...     def pen_move(self, x, y): self.strokes[-1].append((x, y))
    ...     def pen_up(self, x, y): pass
    ...     def redraw(self, cursor=None): pass
    >>> pen = KeyboardPen(Pad())
    >>> for key in [" ", "ArrowDown", "ArrowDown", " "]:
    ...     pen.press(key)
    >>> pen.pad.strokes
    [[(150.0, 150.0), (150.0, 170.0), (150.0, 190.0)]]
    """

    MOVES = {"ArrowUp": (-1, 0), "ArrowDown": (1, 0), "ArrowLeft": (0, -1),
             "ArrowRight": (0, 1)}

    def __init__(self, pad, help=None):
        self.pad, self.help = pad, help
        self.row = self.col = GRID // 2
        self.down, self.shown = False, False

    def xy(self):
        """The cursor's centre in the pad's pixels."""
        cell = self.pad.size / GRID
        return (self.col + 0.5) * cell, (self.row + 0.5) * cell

    def press(self, key, *_modifiers):
        """Handle one key (ipycanvas's ``on_key_down`` arguments); other keys do nothing."""
        if key in self.MOVES:
            dr, dc = self.MOVES[key]
            self.row = min(max(self.row + dr, 0), GRID - 1)
            self.col = min(max(self.col + dc, 0), GRID - 1)
            if self.down:
                self.pad.pen_move(*self.xy())
        elif key in (" ", "Enter"):
            self.down = not self.down if key == " " else False
            (self.pad.pen_down if self.down else self.pad.pen_up)(*self.xy())
        else:
            return
        self.shown = True
        self.pad.redraw(cursor=self.xy())
        if self.help is not None:
            self.help.status = (f"row {self.row + 1}, column {self.col + 1}, pen "
                                + ("down" if self.down else "up"))

    def reset(self):
        """The pen lifted (after Clear); the cursor stays where it was."""
        self.down = False
