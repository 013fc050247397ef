"""Pictures and an explorer for pooling: which window of the input gives which output cell.

The pooling itself is the kernel's job (:mod:`course_lib.pooling`); here a window's maximum or
mean is recomputed with plain NumPy only to write the numbers on the picture.
"""


import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..shapes import pool_output_size
from .describe import describe
from .display import live, show_figure
from .slider import IntSlider

__all__ = ["LECTURE_EXAMPLE", "pool_slice_by_windows", "plot_pooling", "pooling_explorer"]

# The 4x4 depth slice of the lecture's max-pooling slide: 2x2 windows, stride 2 give
# [[6, 8], [3, 4]].
LECTURE_EXAMPLE = np.array([[1, 1, 2, 4],
                            [5, 6, 7, 8],
                            [3, 2, 1, 0],
                            [1, 2, 3, 4]], dtype=np.float32)

_MODES = {"max": np.max, "average": np.mean}
_COLOURS = ("#e15759", "#59a14f", "#4e79a7", "#f2b134", "#b07aa1", "#76b7b2", "#ff9da7",
            "#9c755f", "#bab0ac")


def _check_slice(func, x, f, stride, mode):
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"{func}: x must be one depth slice of shape (H, W), got shape {x.shape}. "
                         "Pass x[:, :, c] for channel c of an (H, W, C) image.")
    if mode not in _MODES:
        raise ValueError(f"{func}: mode must be 'max' or 'average', got {mode!r}.")
    try:
        h_out = pool_output_size(x.shape[0], f, stride)
        w_out = pool_output_size(x.shape[1], f, stride)
    except ValueError as err:  # name the function the student called, keep the worked formula
        raise ValueError(f"{func}: the {x.shape[0]}x{x.shape[1]} slice does not fit: {err}") \
            from None
    return x, h_out, w_out


def pool_slice_by_windows(x, f=2, stride=2, mode="max"):
    """Pool one depth slice window by window (the readable version, for the pictures).

    Parameters
    ----------
    x : numpy.ndarray, shape (H, W)
        One depth slice.
    f : int, default 2
        Window width and height.
    stride : int, default 2
        Step between windows.
    mode : {"max", "average"}, default "max"

    Returns
    -------
    numpy.ndarray, shape (H2, W2)
        ``H2 = (H - f)/stride + 1``, ``W2 = (W - f)/stride + 1``.

    Raises
    ------
    ValueError
        If ``x`` is not 2-D, ``mode`` is unknown, or the windows do not fit.

    Examples
    --------
    >>> pool_slice_by_windows(LECTURE_EXAMPLE).tolist()
    [[6.0, 8.0], [3.0, 4.0]]
    >>> pool_slice_by_windows(LECTURE_EXAMPLE, mode="average").tolist()
    [[3.25, 5.25], [2.0, 2.0]]
    """
    x, h_out, w_out = _check_slice("pool_slice_by_windows", x, f, stride, mode)
    reduce = _MODES[mode]
    out = np.empty((h_out, w_out), dtype=np.result_type(x.dtype, np.float32))
    for i in range(h_out):
        for j in range(w_out):
            out[i, j] = reduce(x[i * stride:i * stride + f, j * stride:j * stride + f])
    return out


def _fmt(v):
    return f"{v:g}" if float(v) == round(float(v), 2) else f"{v:.2f}"


def _draw_grid(ax, values, title, shade=True):
    """Draw a small matrix as squares (grey by value when ``shade``) with its numbers in them."""
    if shade:
        ax.imshow(values, cmap="Greys", vmin=float(np.min(values)) - 1,
                  vmax=float(np.max(values)) * 1.6 + 1)
    else:
        ax.imshow(np.zeros_like(values, dtype=float), cmap="Greys", vmin=0, vmax=1)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, _fmt(v), ha="center", va="center", fontsize=12)
    ax.set_xticks(range(values.shape[1]))
    ax.set_yticks(range(values.shape[0]))
    ax.set_xlabel("column (width)")
    ax.set_ylabel("row (height)")
    ax.set_title(title)


def plot_pooling(x, f=2, stride=2, modes=("max", "average")):
    """The slide's picture: an input slice with each window in its own colour, and its pooled maps.

    Parameters
    ----------
    x : numpy.ndarray, shape (H, W)
        One depth slice, small enough to write its numbers (up to about 8x8).
    f, stride : int
        Window width and step.
    modes : sequence of {"max", "average"}
        One output panel per mode.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, h_out, w_out = _check_slice("plot_pooling", x, f, stride, "max")
    fig, axes = plt.subplots(1, 1 + len(modes), figsize=(4.2 * (1 + len(modes)), 4.2),
                             constrained_layout=True)
    _draw_grid(axes[0], x, f"input slice {x.shape[0]}x{x.shape[1]}", shade=False)
    for k, (i, j) in enumerate(np.ndindex(h_out, w_out)):
        colour = _COLOURS[k % len(_COLOURS)]
        axes[0].add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), f, f, fill=True,
                                    alpha=0.25, facecolor=colour, edgecolor=colour, lw=2))
    for ax, mode in zip(axes[1:], modes, strict=True):
        out = pool_slice_by_windows(x, f, stride, mode)
        _draw_grid(ax, out, f"{mode} pool {f}x{f}, stride {stride} -> {h_out}x{w_out}",
                   shade=False)
        for k, (i, j) in enumerate(np.ndindex(h_out, w_out)):
            colour = _COLOURS[k % len(_COLOURS)]
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, alpha=0.25, facecolor=colour,
                                   edgecolor=colour, lw=2))
    fig.suptitle("Pooling: each output cell summarises one window (same colour)")
    outs = "; ".join(f"{mode} pooling gives {_rows(pool_slice_by_windows(x, f, stride, mode))}"
                     for mode in modes)
    describe(fig, f"Pooling of the {x.shape[0]}x{x.shape[1]} input slice {_rows(x)} with "
                  f"{f}x{f} windows and stride {stride}, each window shaded in its own colour "
                  f"and its output cell in the same colour: {outs}.")
    return fig


def _rows(a):
    """A small matrix written row by row: [[1, 1], [5, 6]]."""
    return "[" + ", ".join("[" + ", ".join(_fmt(v) for v in row) + "]" for row in a) + "]"


def pooling_explorer(x=None, f=2, stride=2):
    """An explorer: pick a window and max or average; see the window, the numbers and the output.

    Parameters
    ----------
    x : numpy.ndarray, shape (H, W), optional
        The depth slice; defaults to :data:`LECTURE_EXAMPLE`.
    f, stride : int, default 2
        Window width and step.

    Returns
    -------
    ipywidgets.VBox
        Children: the controls (``window`` slider, ``pooling`` toggle), an ``HTML`` caption
        and an ``Image`` of the two grids. Attributes ``window``, ``mode``, ``caption`` and
        ``image`` point at them so a test can move the controls and read the result.
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets

    x = LECTURE_EXAMPLE if x is None else x
    x, h_out, w_out = _check_slice("pooling_explorer", x, f, stride, "max")
    window = IntSlider(value=0, min=0, max=h_out * w_out - 1, description="window",
                       continuous_update=False)
    mode = widgets.ToggleButtons(options=["max", "average"], value="max", description="pooling")
    caption = widgets.HTML()
    image = widgets.Image(format="png")

    def update(_change=None):
        i, j = divmod(window.value, w_out)
        r0, c0 = i * stride, j * stride
        patch = x[r0:r0 + f, c0:c0 + f]
        out = pool_slice_by_windows(x, f, stride, mode.value)
        numbers = ", ".join(_fmt(v) for v in patch.ravel())
        word = "max" if mode.value == "max" else "mean"
        caption.value = live(
            f"Window {window.value + 1} of {h_out * w_out}: rows {r0}..{r0 + f - 1}, columns "
            f"{c0}..{c0 + f - 1} &rarr; output cell ({i}, {j}) = {word}({numbers}) = "
            f"<b>{_fmt(out[i, j])}</b>. Output size ({x.shape[0]} - {f})/{stride} + 1 = {h_out} "
            f"by ({x.shape[1]} - {f})/{stride} + 1 = {w_out}.")
        fig, axes = plt.subplots(1, 2, figsize=(8, 4), constrained_layout=True)
        _draw_grid(axes[0], x, f"input {x.shape[0]}x{x.shape[1]}: window {window.value + 1}")
        axes[0].add_patch(Rectangle((c0 - 0.5, r0 - 0.5), f, f, fill=False, edgecolor="#e15759",
                                    lw=4, label=f"{f}x{f} window"))
        _draw_grid(axes[1], out, f"{mode.value} pooled {h_out}x{w_out}")
        axes[1].add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#e15759",
                                    lw=4, label="output cell"))
        axes[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.14))
        axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.14))
        describe(fig, f"The input {_rows(x)} with window {window.value + 1} framed (rows "
                      f"{r0} to {r0 + f - 1}, columns {c0} to {c0 + f - 1}, values {numbers}) "
                      f"and the {mode.value} pooled output {_rows(out)} with cell ({i}, {j}) = "
                      f"{_fmt(out[i, j])} framed.")
        show_figure(image, fig, dpi=80)

    window.observe(update, names="value")
    mode.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([window, mode]), caption, image])
    box.window, box.mode, box.caption, box.image = window, mode, caption, image
    return box
