"""The convolution step by step: a filter slides over a small input one position at a time.

:func:`conv_step_state` computes what one step shows (pure NumPy, tested on its own);
:func:`conv_step_explorer` draws it under a slider and a play button: the padded input with the
current window, the filter, the elementwise products and the output filled up so far.
"""

import asyncio
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .conv_geometry import MISS, formula_text, window_count
from .describe import describe
from .display import live, show_figure
from .slider import IntSlider

__all__ = ["conv_step_state", "conv_step_explorer"]

WINDOW = "tab:orange"


def conv_step_state(x, w, stride=1, pad=0, position=0):
    """The numbers of one step of a 2-D convolution (cross-correlation) of ``x`` with ``w``.

    Parameters
    ----------
    x : ndarray, shape (N, N)
    w : ndarray, shape (F, F)
    stride, pad : int
    position : int
        Index of the output cell in row-major order; clipped to the last whole window.

    Returns
    -------
    dict
        ``padded`` (the padded input), ``count`` (windows per side), ``message`` (why the
        filter does not fit, or None), ``position``, ``row``, ``col`` (the output cell),
        ``window`` (the input under the filter), ``products`` (``window * w``), ``value``
        (their sum) and ``output`` ((count, count), filled up to ``position``, NaN after).

    Examples
    --------
    >>> state = conv_step_state(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), position=1)
    >>> state["count"], (state["row"], state["col"]), state["value"]
    (2, (0, 1), 54.0)
    >>> state["output"]
    array([[45., 54.],
           [nan, nan]])
    """
    n, f = x.shape[0], w.shape[0]
    count, message = window_count(n, f, stride, pad, func="conv_step_state")
    k = max(min(position, count * count - 1), 0)
    xp = np.pad(x, pad)
    out = np.full((count, count), np.nan)
    for m in range(k + 1):  # the output filled so far
        i, j = divmod(m, count)
        out[i, j] = np.sum(xp[i * stride:i * stride + f, j * stride:j * stride + f] * w)
    row, col = divmod(k, count)
    window = xp[row * stride:row * stride + f, col * stride:col * stride + f]
    products = window * w
    return {"padded": xp, "count": count, "message": message, "position": k, "row": row,
            "col": col, "window": window, "products": products, "value": float(products.sum()),
            "output": out}


def _step_caption(state, w, stride, pad):
    """The caption: which cell, which window, the products written out and their sum."""
    n, f = state["padded"].shape[0] - 2 * pad, w.shape[0]
    row, col, count, s = state["row"], state["col"], state["count"], stride
    shown = 9 if f * f <= 9 else 3  # write every product out for filters up to 3x3
    terms = " + ".join(f"({a:g})({b:g})" for a, b in zip(state["window"].ravel()[:shown],
                                                         w.ravel()[:shown], strict=True))
    terms += " + ..." if f * f > shown else ""
    text = (f"Output cell (row {row}, column {col}) of {count}x{count}: window rows "
            f"{row * s}..{row * s + f - 1}, columns {col * s}..{col * s + f - 1} of the "
            f"padded input; sum of the {f * f} products = {terms} = "
            f"<b>{state['value']:g}</b>. Output size: {formula_text(n, f, s, pad)}.")
    if state["message"]:
        text += f"<br><span style='color:#c00'>{html.escape(state['message'])}</span>"
    return text


def _matrix(ax, a, title, box=None, color=WINDOW, cmap="coolwarm", vmin=None, vmax=None):
    """Show a small matrix with its numbers (pale colours: red > 0 > blue); NaN stays white."""
    a = np.asarray(a, dtype=float)
    lim = 2 * max(np.nanmax(np.abs(a)) if np.isfinite(a).any() else 1, 1)
    ax.imshow(a, cmap=cmap, vmin=-lim if vmin is None else vmin, vmax=lim if vmax is None else vmax)
    for (i, j), v in np.ndenumerate(a):
        if not np.isnan(v):
            ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=8)
    if box is not None:
        r, c, size = box
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), size, size, fill=False, edgecolor=color, lw=3,
                               clip_on=False))
    ax.set_xticks(range(a.shape[1]))
    ax.set_yticks(range(a.shape[0]))
    ax.tick_params(labelsize=7)
    ax.set_xlabel("column", fontsize=8)
    ax.set_ylabel("row", fontsize=8)
    ax.set_title(title, fontsize=10)


def _draw_step(image, state, w, stride, pad):
    """Show the four panels in ``image``: padded input and window, filter, products, output."""
    xp, f, count = state["padded"], w.shape[0], state["count"]
    size, n = xp.shape[0], xp.shape[0] - 2 * pad
    row, col, products = state["row"], state["col"], state["products"]
    fig = Figure(figsize=(0.5 * (size + 2 * f + count) + 3, 0.5 * size + 1.4),
                 layout="constrained")
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [size, f, f, count]})
    lim = max(np.abs(xp).max(), 1)
    _matrix(axes[0], xp, f"input {n}x{n}, pad {pad}, stride {stride}",
            (row * stride, col * stride, f), cmap="Greys", vmin=-lim, vmax=3 * lim)
    if pad:  # the original input inside its frame of zeros
        axes[0].add_patch(Rectangle((pad - 0.5, pad - 0.5), n, n, fill=False, ls="--", lw=1.5))
    covered = (count - 1) * stride + f  # no window reaches beyond this row/column
    if state["message"]:
        for a in (Rectangle((covered - 0.5, -0.5), size - covered, size),
                  Rectangle((-0.5, covered - 0.5), size, size - covered)):
            a.set(facecolor="none", edgecolor=MISS, hatch="//", lw=0)
            axes[0].add_patch(a)
    _matrix(axes[1], w, f"filter {f}x{f}")
    _matrix(axes[2], products, f"products (sum {products.sum():g})")
    _matrix(axes[3], state["output"], f"output {count}x{count}", (row, col, 1))
    describe(fig, _step_text(state, w, stride, pad))
    show_figure(image, fig, dpi=80)


def _step_text(state, w, stride, pad):
    """The four panels in words, with every number of the window, filter and products."""
    def rows(a):
        return "[" + ", ".join("[" + ", ".join("?" if np.isnan(v) else f"{v:g}" for v in r)
                               + "]" for r in np.asarray(a, dtype=float)) + "]"

    f, count, row, col = w.shape[0], state["count"], state["row"], state["col"]
    n = state["padded"].shape[0] - 2 * pad
    text = (f"Four panels. The {n}x{n} input with padding {pad}, stride {stride}, the window "
            f"at rows {row * stride} to {row * stride + f - 1}, columns {col * stride} to "
            f"{col * stride + f - 1} framed: {rows(state['window'])}. The {f}x{f} filter "
            f"{rows(w)}. Their products {rows(state['products'])}, sum "
            f"{state['value']:g}. The {count}x{count} output so far, ? not yet computed: "
            f"{rows(state['output'])}.")
    if state["message"]:
        text += " The filter does not fit: the hatched rows and columns are never covered."
    return text


def _player(position, interval=0.9):
    """A play toggle for ``position``: one step at once, then one every ``interval`` seconds.

    ipywidgets' ``Play`` draws three icon-only buttons that nothing names (axe: button-name);
    this ``ToggleButton`` says "play" or "pause" in words. The steps run as a task of the
    kernel's event loop; with none running (a plain script) a press makes one step.
    """
    play = widgets.ToggleButton(False, description="play", icon="play",
                                tooltip=f"step through the positions, one every {interval:g} s")
    runs = [0]  # the current run's number: an older run stops at its next step

    def step():
        if not play.value or position.value >= position.max:
            play.value = False
            return False
        position.value += 1
        return True

    async def run(number):
        while runs[0] == number and step():
            await asyncio.sleep(interval)

    def toggled(change):
        play.description, play.icon = ("pause", "pause") if change["new"] else ("play", "play")
        if not change["new"]:
            return
        runs[0] += 1
        if position.value >= position.max:  # at the end: start again
            position.value = 0
        try:
            asyncio.get_running_loop().create_task(run(runs[0]))
        except RuntimeError:  # no event loop: one step
            step()
            play.value = False

    play.observe(toggled, "value")
    return play


def conv_step_explorer(x=None, w=None, interval=0.9):
    """Slide a filter over a small input one position at a time (a slider and a play toggle).

    Shows the padded input with the current window, the filter, the elementwise products and
    the output filled up to the current position; the caption writes the sum out.

    Parameters
    ----------
    x : ndarray of shape (H, W), optional
        The input (default: a 7x7 matrix of small integers).
    w : ndarray of shape (F, F), optional
        The filter (default: a 3x3 vertical-edge filter).
    interval : float, default 0.9
        Seconds between two steps while the play toggle is on.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: position, stride, pad, play), ``caption`` (HTML),
        ``image`` (Image) and ``state`` (dict: row, col, value, output, as
        :func:`conv_step_state` returns them).
    """
    x = np.asarray(np.random.default_rng(7).integers(0, 4, (7, 7)) if x is None else x)
    w = np.asarray([[1, 0, -1], [1, 0, -1], [1, 0, -1]] if w is None else w)
    if (x.ndim != 2 or x.shape[0] != x.shape[1] or w.ndim != 2 or w.shape[0] != w.shape[1]
            or w.shape[0] > x.shape[0]):
        raise ValueError(f"conv_step_explorer: expected a square input (N, N) and a square "
                         f"filter (F, F) with F <= N, got x {x.shape} and w {w.shape}. "
                         "Pass one depth slice, e.g. x[:, :, 0], and a 2-D filter.")
    position = IntSlider(0, 0, 1, description="position", continuous_update=True)
    play = _player(position, interval)
    stride = widgets.Dropdown(options=[1, 2, 3], value=1, description="stride")
    pad = widgets.Dropdown(options=[0, 1, 2], value=0, description="pad")
    caption, image = widgets.HTML(), widgets.Image(format="png")
    state, busy = {}, []

    def redraw(*_):
        if busy:
            return
        state.update(conv_step_state(x, w, stride.value, pad.value, position.value))
        caption.value = live(_step_caption(state, w, stride.value, pad.value))
        _draw_step(image, state, w, stride.value, pad.value)

    def reshape(*_):
        count = window_count(x.shape[0], w.shape[0], stride.value, pad.value)[0]
        busy.append(True)  # one drawing for the new geometry, not one per change
        play.value, position.value = False, 0
        position.max = max(count * count - 1, 1)
        busy.clear()
        redraw()

    position.observe(redraw, "value")
    stride.observe(reshape, "value")
    pad.observe(reshape, "value")
    reshape()
    box = widgets.VBox([widgets.HBox([play, position]), widgets.HBox([stride, pad]),
                        caption, image])
    box.controls = {"position": position, "stride": stride, "pad": pad, "play": play}
    box.caption, box.image, box.state = caption, image, state
    return box
