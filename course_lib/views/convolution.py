"""Convolution, drawn: the sliding window, stride and padding, feature maps, and two explorers.

- :func:`conv_step_explorer`: the filter slides over a 7x7 input one position at a time; the
  window, the filter, the elementwise products, their sum and the output filling up.
- :func:`predict_reveal_explorer`: choose N, F, S, P, type the output size, then reveal the
  formula worked through and the drawing (including "does not fit").
- :func:`plot_positions`, :func:`plot_strides`: where the windows fall along one side.
- :func:`plot_feature_maps`, :func:`plot_volumes`: image grids and a ConvNet's volumes.
"""

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from ..shapes import check_int, conv_output_size
from .display import png_bytes

__all__ = ["fit", "plot_positions", "plot_strides", "plot_feature_maps", "plot_volumes",
           "conv_step_explorer", "predict_reveal_explorer"]

WINDOW, DONE, MISS = "tab:orange", "tab:blue", "tab:red"


def fit(n, f, stride=1, pad=0, func="fit"):
    """How many windows fit along one side, and whether they fit exactly.

    ``func`` names the caller in the TypeError/ValueError raised for a bad argument (a
    non-integer, a size below 1, a negative pad).

    Returns
    -------
    (int, str or None)
        The number of whole windows, ``(n - f + 2*pad) // stride + 1`` (0 if the filter is
        larger than the padded input), and :func:`conv_output_size`'s error message when the
        formula does not give a whole number (None when it does).

    Examples
    --------
    >>> fit(7, 3, 2)
    (3, None)
    >>> count, message = fit(7, 3, 3)
    >>> count, message.split(":")[0]
    (2, 'conv_output_size')
    """
    n, f = check_int(func, "n", n, 1), check_int(func, "f", f, 1)
    stride, pad = check_int(func, "stride", stride, 1), check_int(func, "pad", pad, 0)
    try:
        return conv_output_size(n, f, stride, pad), None
    except ValueError as err:
        return max((n - f + 2 * pad) // stride + 1, 0), str(err)


def formula_text(n, f, stride, pad):
    """The formula with the numbers in, e.g. ``(7 - 3 + 2*0)/2 + 1 = 4/2 + 1 = 3``."""
    span = n - f + 2 * pad
    exact = span / stride + 1
    value = f"{exact:g}" if exact == int(exact) else f"{exact:.2f}"
    return f"({n} - {f} + 2*{pad})/{stride} + 1 = {span}/{stride} + 1 = {value}"


def plot_positions(n, f, stride=1, pad=0, ax=None):
    """Draw the windows of an ``f``-wide filter along one side of an ``n``-wide input.

    The padded row of cells is on top (zeros of the padding in grey); each window is a bar
    numbered with its output position. A window that would stick out is dashed red.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        ax = plt.figure(figsize=(7, 2.4)).add_subplot()
    count, message = fit(n, f, stride, pad, func="plot_positions")
    total = n + 2 * pad
    lanes = max(1, -(-f // stride))  # windows in one lane never overlap
    for j in range(total):
        padded = j < pad or j >= pad + n
        ax.add_patch(Rectangle((j, 0), 1, 0.8, facecolor="0.85" if padded else "white",
                               edgecolor="black", lw=0.8))
        if padded and total <= 40:
            ax.text(j + 0.5, 0.4, "0", ha="center", va="center", fontsize=8, color="0.4")
    starts = [k * stride for k in range(count)]
    if message is not None or count == 0:
        starts.append(count * stride)  # the first window that does not fit
    for k, s in enumerate(starts):
        y = -0.9 - (k % lanes) * 0.7
        miss = k >= count
        ax.add_patch(Rectangle((s + 0.08, y), f - 0.16, 0.5, facecolor="none" if miss else DONE,
                               alpha=1 if miss else 0.35, edgecolor=MISS if miss else DONE,
                               ls="--" if miss else "-", lw=1.5))
        label = "does not fit" if miss else str(k + 1)
        ax.text(s + f / 2, y + 0.25, label, ha="center", va="center", fontsize=8,
                color=MISS if miss else "black")
    ax.set_xlim(-0.5, max(total, starts[-1] + f if starts else total) + 0.5)
    ax.set_ylim(-1.1 - lanes * 0.7, 1.2)
    ax.set_yticks([])
    ax.set_xlabel("position along the width (padded input)")
    verdict = f"{count} positions" if message is None else "does not fit"
    ax.set_title(f"N={n}, F={f}, S={stride}, P={pad}: {formula_text(n, f, stride, pad)}"
                 f"  ({verdict})", fontsize=10)
    return ax


def plot_strides(n=7, f=3, strides=(1, 2, 3), pad=0):
    """One :func:`plot_positions` row per stride; returns the figure."""
    fig, axes = plt.subplots(len(strides), 1, figsize=(8, 1.9 * len(strides)), squeeze=False)
    for ax, s in zip(axes[:, 0], strides, strict=True):
        plot_positions(n, f, s, pad, ax=ax)
    fig.suptitle(f"A {f}x{f} filter sliding along a {n}-wide input")
    fig.tight_layout()
    return fig


def plot_feature_maps(images, titles, suptitle, ncols=None, cmaps=None, size=2.6):
    """A titled grid of 2-D maps; signed maps use a red-blue scale centred on 0.

    Parameters
    ----------
    images : sequence of ndarray, each of shape (H, W)
    titles : sequence of str
    suptitle : str
    ncols : int, optional
    cmaps : sequence of str, optional
        One colour map per image (default: gray, or RdBu_r for maps with negative values).
    """
    ncols = ncols or len(images)
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.6),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(images):
            ax.axis("off")
            continue
        img = np.asarray(images[i])
        cmap = cmaps[i] if cmaps else ("RdBu_r" if img.min() < 0 else "gray")
        lim = np.abs(img).max() or 1.0
        kw = {"vmin": -lim, "vmax": lim} if cmap == "RdBu_r" else {}
        ax.imshow(img, cmap=cmap, **kw)
        ax.set_title(titles[i], fontsize=10)
        ax.set_xlabel("width", fontsize=8)
        ax.set_ylabel("height", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def plot_volumes(shapes, labels, title="A ConvNet: volumes and the layers between them"):
    """Draw activation volumes (H, W, D) as boxes, with the layer between each pair.

    ``labels`` has one entry fewer than ``shapes``.
    """
    fig, ax = plt.subplots(figsize=(3.4 * len(shapes), 3.4))
    x = 0.0
    for i, (h, w, d) in enumerate(shapes):
        sx, sy, dz = w / 12, h / 12, min(0.25 + d / 12, 2.0)  # depth drawn obliquely
        front = Rectangle((x, 0), sx, sy, facecolor="tab:blue", alpha=0.3, edgecolor="black")
        top = Polygon([(x, sy), (x + dz, sy + dz / 2), (x + sx + dz, sy + dz / 2), (x + sx, sy)],
                      facecolor="tab:blue", alpha=0.15, edgecolor="black")
        side = Polygon([(x + sx, 0), (x + sx + dz, dz / 2), (x + sx + dz, sy + dz / 2),
                        (x + sx, sy)], facecolor="tab:blue", alpha=0.45, edgecolor="black")
        for patch in (front, top, side):
            ax.add_patch(patch)
        ax.text(x + sx / 2, -0.35, f"{h}x{w}x{d}", ha="center", va="top", fontsize=11)
        x += sx + dz
        if i < len(labels):
            ax.annotate("", xy=(x + 2.4, sy / 2), xytext=(x + 0.3, sy / 2),
                        arrowprops={"arrowstyle": "->", "lw": 1.5})
            ax.text(x + 1.35, sy / 2 + 0.2, labels[i], ha="center", va="bottom", fontsize=9)
            x += 2.7
    ax.set_xlim(-0.3, x + 0.3)
    ax.set_ylim(-1.2, 4.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title + "  (height x width x depth)")
    fig.tight_layout()
    return fig


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


def conv_step_explorer(x=None, w=None):
    """Slide a filter over a small input one position at a time (a slider and a play button).

    Shows the padded input with the current window, the filter, the elementwise products and
    the output filled up to the current position; the caption writes the sum out.

    Parameters
    ----------
    x : ndarray of shape (H, W), optional
        The input (default: a 7x7 matrix of small integers).
    w : ndarray of shape (F, F), optional
        The filter (default: a 3x3 vertical-edge filter).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: position, stride, pad, play), ``caption`` (HTML),
        ``image`` (Image) and ``state`` (dict: row, col, value, output).
    """
    x = np.asarray(np.random.default_rng(7).integers(0, 4, (7, 7)) if x is None else x)
    w = np.asarray([[1, 0, -1], [1, 0, -1], [1, 0, -1]] if w is None else w)
    if (x.ndim != 2 or x.shape[0] != x.shape[1] or w.ndim != 2 or w.shape[0] != w.shape[1]
            or w.shape[0] > x.shape[0]):
        raise ValueError(f"conv_step_explorer: expected a square input (N, N) and a square "
                         f"filter (F, F) with F <= N, got x {x.shape} and w {w.shape}. "
                         "Pass one depth slice, e.g. x[:, :, 0], and a 2-D filter.")
    n, f = x.shape[0], w.shape[0]
    position = widgets.IntSlider(0, 0, 1, description="position", continuous_update=True)
    play = widgets.Play(0, 0, 1, interval=900, description="play")
    widgets.jslink((play, "value"), (position, "value"))
    stride = widgets.Dropdown(options=[1, 2, 3], value=1, description="stride")
    pad = widgets.Dropdown(options=[0, 1, 2], value=0, description="pad")
    caption = widgets.HTML()
    image = widgets.Image(format="png")
    state = {}

    def geometry():
        s, p = stride.value, pad.value
        return (s, p, *fit(n, f, s, p))

    def redraw(*_):
        if state.get("busy"):
            return
        s, p, count, message = geometry()
        k = min(position.value, count * count - 1)
        xp = np.pad(x, p)
        out = np.full((count, count), np.nan)
        for m in range(k + 1):  # the output filled so far
            i, j = divmod(m, count)
            out[i, j] = np.sum(xp[i * s:i * s + f, j * s:j * s + f] * w)
        row, col = divmod(k, count)
        window = xp[row * s:row * s + f, col * s:col * s + f]
        products = window * w
        state.update(row=row, col=col, value=float(products.sum()), output=out.copy())
        shown = 9 if f * f <= 9 else 3  # write every product out for filters up to 3x3
        terms = " + ".join(f"({a:g})({b:g})" for a, b in zip(window.ravel()[:shown],
                                                             w.ravel()[:shown], strict=True))
        terms += " + ..." if f * f > shown else ""
        text = (f"Output cell (row {row}, column {col}) of {count}x{count}: window rows "
                f"{row * s}..{row * s + f - 1}, columns {col * s}..{col * s + f - 1} of the "
                f"padded input; sum of the {f * f} products = {terms} = "
                f"<b>{products.sum():g}</b>. Output size: {formula_text(n, f, s, p)}.")
        if message:
            text += f"<br><span style='color:#c00'>{html.escape(message)}</span>"
        caption.value = text
        size = n + 2 * p
        fig = Figure(figsize=(0.5 * (size + 2 * f + count) + 3, 0.5 * size + 1.4),
                     layout="constrained")
        axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [size, f, f, count]})
        lim = max(np.abs(xp).max(), 1)
        _matrix(axes[0], xp, f"input {n}x{n}, pad {p}, stride {s}", (row * s, col * s, f),
                cmap="Greys", vmin=-lim, vmax=3 * lim)
        if p:  # the original input inside its frame of zeros
            axes[0].add_patch(Rectangle((p - 0.5, p - 0.5), n, n, fill=False, ls="--", lw=1.5))
        covered = (count - 1) * s + f  # no window reaches beyond this row/column
        if message:
            for a in (Rectangle((covered - 0.5, -0.5), size - covered, size),
                      Rectangle((-0.5, covered - 0.5), size, size - covered)):
                a.set(facecolor="none", edgecolor=MISS, hatch="//", lw=0)
                axes[0].add_patch(a)
        _matrix(axes[1], w, f"filter {f}x{f}")
        _matrix(axes[2], products, f"products (sum {products.sum():g})")
        _matrix(axes[3], out, f"output {count}x{count}", (row, col, 1))
        image.value = png_bytes(fig, dpi=80)

    def reshape(*_):
        _, _, count, _ = geometry()
        state["busy"] = True  # one drawing for the new geometry, not one per change
        position.value = play.value = 0
        position.max = play.max = max(count * count - 1, 1)
        state["busy"] = False
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


def _verdict(guess, n, f, s, p):
    """Compare a typed prediction with the formula; name the likely mistake."""
    count, message = fit(n, f, s, p)
    text = guess.strip().lower()
    if text in ("no", "none", "does not fit", "doesn't fit", "x"):
        return message is not None, "you said it does not fit."
    try:
        value = int(text)
    except ValueError:
        return None, f"'{html.escape(guess)}' is not a whole number (or 'no')."
    if message is not None:
        return False, f"you predicted {value}, but the filter does not fit."
    if value == count:
        return True, f"you predicted {value}."
    span = n - f + 2 * p
    mistakes = [(count - 1, "one too small: forgot the +1?"),
                ((n - f) // s + 1, "forgot the padding?"),
                ((n - f + p) // s + 1, "padding goes on both sides: 2P."),
                (span + 1, "forgot to divide by the stride?")]
    hint = next((m for v, m in mistakes if v == value), "work the formula through again.")
    return False, f"you predicted {value}: {hint}"


def predict_reveal_explorer(n=7, f=3, stride=3, pad=0):
    """Choose N, F, S, P; type the output size; click Reveal to see the formula and drawing.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: n, f, stride, pad, guess, reveal), ``caption``
        (HTML) and ``image`` (Image, empty until revealed).
    """
    fit(n, f, stride, pad, func="predict_reveal_explorer")  # TypeError/ValueError if bad
    boxes = {
        "n": widgets.BoundedIntText(n, min=1, max=max(64, n), description="N (input)"),
        "f": widgets.BoundedIntText(f, min=1, max=max(11, f), description="F (filter)"),
        "stride": widgets.BoundedIntText(stride, min=1, max=max(6, stride),
                                         description="S (stride)"),
        "pad": widgets.BoundedIntText(pad, min=0, max=max(5, pad), description="P (pad)"),
    }
    guess = widgets.Text("", description="your answer", placeholder="a number, or 'no'")
    reveal = widgets.Button(description="Reveal", button_style="primary")
    caption = widgets.HTML()
    image = widgets.Image(format="png")
    prompt = "Predict the output size (or type 'no' if the filter does not fit), then Reveal."

    def hide(*_):
        caption.value = prompt
        image.value = b""

    def show(*_):
        n, f, s, p = (boxes[k].value for k in ("n", "f", "stride", "pad"))
        if not guess.value.strip():
            caption.value = "<b>Type your prediction first</b>, then click Reveal."
            return
        ok, said = _verdict(guess.value, n, f, s, p)
        mark = {True: "&#10004; Right", False: "&#10008; Not quite", None: "?"}[ok]
        count, message = fit(n, f, s, p)
        result = (f"output {count}x{count}" if message is None
                  else f"<span style='color:#c00'>{html.escape(message)}</span>")
        caption.value = (f"<b>{mark}</b>: {said}<br>(N - F + 2P)/S + 1 = "
                         f"{formula_text(n, f, s, p)}: {result}")
        fig = Figure(figsize=(8, 2.6), layout="constrained")
        plot_positions(n, f, s, p, ax=fig.subplots())
        image.value = png_bytes(fig, dpi=80)

    for w in (*boxes.values(), guess):
        w.observe(hide, "value")
    reveal.on_click(show)
    hide()
    box = widgets.VBox([widgets.HBox(list(boxes.values())[:2]),
                        widgets.HBox(list(boxes.values())[2:]),
                        widgets.HBox([guess, reveal]), caption, image])
    box.controls = {**boxes, "guess": guess, "reveal": reveal}
    box.caption, box.image = caption, image
    return box
