"""Where the windows of a convolution fall along one side: counts, the formula, drawings.

- :func:`window_count`, :func:`formula_text`: how many windows fit, the formula worked through;
- :func:`plot_positions`, :func:`plot_strides`: the windows along one side of the input;
- :func:`predict_reveal_explorer`: choose N, F, S, P, type the output size, then reveal the
  formula worked through and the drawing (including "does not fit").
"""

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..shapes import check_int, conv_output_size
from .describe import describe
from .display import live, show_figure

__all__ = ["window_count", "formula_text", "plot_positions", "plot_strides",
           "predict_reveal_explorer"]

DONE, MISS = "tab:blue", "tab:red"


def window_count(n, f, stride=1, pad=0, func="window_count"):
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
    >>> window_count(7, 3, 2)
    (3, None)
    >>> count, message = window_count(7, 3, 3)
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
    count, message = window_count(n, f, stride, pad, func="plot_positions")
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
    fits = ", ".join(str(k * stride) for k in range(count)) or "none"
    text = (f"Windows of a {f}-wide filter along an input of width {n} with padding {pad} "
            f"({total} cells, zeros grey) and stride {stride}: "
            f"{formula_text(n, f, stride, pad)}. Whole windows start at cells {fits}.")
    if message is not None or count == 0:
        text += (f" The next window, at cell {count * stride}, would stick out (dashed red): "
                 "the filter does not fit.")
    describe(ax, text)
    return ax


def plot_strides(n=7, f=3, strides=(1, 2, 3), pad=0):
    """One :func:`plot_positions` row per stride; returns the figure."""
    fig, axes = plt.subplots(len(strides), 1, figsize=(8, 1.9 * len(strides)), squeeze=False)
    for ax, s in zip(axes[:, 0], strides, strict=True):
        plot_positions(n, f, s, pad, ax=ax)
    fig.suptitle(f"A {f}x{f} filter sliding along a {n}-wide input")
    fig.tight_layout()
    return fig


def _verdict(guess, n, f, s, p):
    """Compare a typed prediction with the formula; name the likely mistake."""
    count, message = window_count(n, f, s, p)
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


def _size_boxes(n, f, stride, pad):
    """The four number fields of :func:`predict_reveal_explorer`."""
    return {
        # up to the exercises' sizes: AlexNet's 227x227 input, 11x11 filters, stride 4
        "n": widgets.BoundedIntText(n, min=1, max=max(300, n), description="N (input)"),
        "f": widgets.BoundedIntText(f, min=1, max=max(15, f), description="F (filter)"),
        "stride": widgets.BoundedIntText(stride, min=1, max=max(8, stride),
                                         description="S (stride)"),
        "pad": widgets.BoundedIntText(pad, min=0, max=max(10, pad), description="P (pad)"),
    }


def predict_reveal_explorer(n=7, f=3, stride=3, pad=0):
    """Choose N, F, S, P; type the output size; click Reveal to see the formula and drawing.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: n, f, stride, pad, guess, reveal), ``caption``
        (HTML) and ``image`` (Image, empty and not in the box until revealed).
    """
    window_count(n, f, stride, pad, func="predict_reveal_explorer")  # TypeError/ValueError if bad
    boxes = _size_boxes(n, f, stride, pad)
    # "initial": the label's own width (ipywidgets' 80 px cut it to "your answ...")
    guess = widgets.Text("", description="your answer", placeholder="a number, or 'no'",
                         style={"description_width": "initial"})
    reveal = widgets.Button(description="Reveal", button_style="primary")
    caption = widgets.HTML()
    image = widgets.Image(format="png")
    prompt = "Predict the output size (or type 'no' if the filter does not fit), then Reveal."
    rows = [widgets.HBox(list(boxes.values())[:2]), widgets.HBox(list(boxes.values())[2:]),
            widgets.HBox([guess, reveal]), caption]
    box = widgets.VBox(rows)

    def hide(*_):
        caption.value = live(prompt)
        image.value, image.tooltip = b"", None
        # out of the box until revealed: an empty <img>, even hidden, showed a broken image
        box.children = rows

    def show(*_):
        n, f, s, p = (boxes[k].value for k in ("n", "f", "stride", "pad"))
        if not guess.value.strip():
            caption.value = live("<b>Type your prediction first</b>, then click Reveal.")
            return
        ok, said = _verdict(guess.value, n, f, s, p)
        mark = {True: "&#10004; Right", False: "&#10008; Not quite", None: "?"}[ok]
        count, message = window_count(n, f, s, p)
        result = (f"output {count}x{count}" if message is None
                  else f"<span style='color:#c00'>{html.escape(message)}</span>")
        caption.value = live(f"<b>{mark}</b>: {said}<br>(N - F + 2P)/S + 1 = "
                         f"{formula_text(n, f, s, p)}: {result}")
        fig = Figure(figsize=(8, 2.6), layout="constrained")
        plot_positions(n, f, s, p, ax=fig.subplots())
        show_figure(image, fig, dpi=80)
        box.children = [*rows, image]

    for w in (*boxes.values(), guess):
        w.observe(hide, "value")
    reveal.on_click(show)
    hide()
    box.controls = {**boxes, "guess": guess, "reveal": reveal}
    box.caption, box.image = caption, image
    return box
