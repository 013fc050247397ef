"""Convolution, drawn: the views of notebook 04 (convolution) in one module.

- :func:`conv_step_explorer` (in :mod:`.conv_step`): the filter slides over a 7x7 input one
  position at a time; the window, the filter, the elementwise products, their sum and the
  output filling up.
- :func:`predict_reveal_explorer`, :func:`plot_positions`, :func:`plot_strides`,
  :func:`window_count`, :func:`formula_text` (in :mod:`.conv_geometry`): where the windows
  fall along one side, and the output-size formula.
- :func:`plot_image_grid`, :func:`plot_volumes` (here): image grids and a ConvNet's volumes.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon, Rectangle

from .conv_geometry import (
    formula_text,
    plot_positions,
    plot_strides,
    predict_reveal_explorer,
    window_count,
)
from .conv_step import conv_step_explorer, conv_step_state
from .describe import describe
from .palette import DIVERGING, add_colorbar

__all__ = ["window_count", "formula_text", "plot_positions", "plot_strides", "plot_image_grid",
           "plot_volumes", "conv_step_explorer", "conv_step_state", "predict_reveal_explorer"]


def plot_image_grid(images, titles, suptitle, ncols=None, cmaps=None, size=2.6):
    """A titled grid of 2-D maps, each with a colorbar; signed maps use a red-blue scale
    centred on 0.

    Parameters
    ----------
    images : sequence of ndarray, each of shape (H, W)
    titles : sequence of str
    suptitle : str
    ncols : int, optional
    cmaps : sequence of str, optional
        One colour map per image (default: gray, or :data:`~.palette.DIVERGING` for maps
        with negative values). Colour images (H, W, 3) get no colorbar.
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
        cmap = cmaps[i] if cmaps else (DIVERGING if img.min() < 0 else "gray")
        lim = np.abs(img).max() or 1.0
        kw = {"vmin": -lim, "vmax": lim} if cmap == DIVERGING else {}
        shown = ax.imshow(img, cmap=cmap, **kw)
        if img.ndim == 2:  # the values, not only the colours
            add_colorbar(ax, shown, "value")
        ax.set_title(titles[i], fontsize=10)
        ax.set_xlabel("width", fontsize=8)
        ax.set_ylabel("height", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(suptitle)
    fig.tight_layout()
    describe(fig, f"{suptitle}: {len(images)} images, " + "; ".join(
        _map_text(t, np.asarray(img)) for t, img in zip(titles, images, strict=False)) + ".")
    return fig


def _map_text(title, img):
    """One image of a grid in words: its title, size and range of values."""
    kind = "colour image" if img.ndim == 3 else "map"
    return (f"{title} ({kind} {img.shape[0]}x{img.shape[1]}, values from {img.min():.3g} to "
            f"{img.max():.3g})")


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
    steps = " ".join(f"{'x'.join(map(str, shape))}" + (f", then {' '.join(labels[i].split())}, "
                                                         if i < len(labels) else "")
                     for i, shape in enumerate(shapes))
    describe(fig, f"{title}, drawn as boxes (height x width x depth): {steps}.")
    return fig
