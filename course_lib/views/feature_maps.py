"""Learned filters and feature maps, drawn as grids of small images with their text.

:func:`plot_filters` shows a bank of filters (K, F, F, C); :func:`plot_feature_maps` the
activation maps (H, W, K) of one example, after its input image; :func:`feature_maps`
computes a digit's maps through a model's conv and pool layers (the drawing pad's).
"""

import matplotlib.pyplot as plt
import numpy as np

from .describe import describe

__all__ = ["plot_filters", "plot_feature_maps", "feature_maps", "model_input"]

MAP_LAYERS = ("Conv2D", "MaxPooling2D", "AveragePooling2D")


def _tile(images, ncols, cmap, titles, suptitle, size=1.3):
    n = len(images)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols + 0.4, size * nrows + 0.8),
                             squeeze=False, constrained_layout=True)
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.axis("off")
            continue
        ax.imshow(images[k], cmap=cmap[k] if isinstance(cmap, list) else cmap,
                  interpolation="nearest")
        ax.set_title(titles[k], fontsize=8)
    fig.suptitle(suptitle)
    return fig


def plot_filters(w, title="first-layer filters", ncols=8):
    """Show a bank of filters as small images (weights scaled per filter).

    Parameters
    ----------
    w : numpy.ndarray, shape (K, F, F, C)
        C = 1: grey images (dark = negative, light = positive); C = 3: colour images;
        otherwise the mean over the depth.
    title : str
    ncols : int, default 8

    Returns
    -------
    matplotlib.figure.Figure
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4 or w.shape[1] != w.shape[2]:
        raise ValueError(f"plot_filters: w must be a filter bank of shape (K, F, F, C), got "
                         f"shape {w.shape}. Pass a Conv2D layer's weights W.")
    k, f = w.shape[0], w.shape[1]
    images = []
    for filt in w:
        lo, hi = filt.min(), filt.max()
        scaled = (filt - lo) / (hi - lo) if hi > lo else np.full_like(filt, 0.5)
        images.append(scaled if w.shape[3] == 3 else scaled.mean(axis=2))
    titles = [f"filter {i}" for i in range(k)]
    fig = _tile(images, ncols, "gray", titles, f"{title}: {k} filters of {f}x{f}x{w.shape[3]}")
    spread = ", ".join(f"filter {i} from {filt.min():.2g} to {filt.max():.2g}"
                       for i, filt in enumerate(w[:8]))
    describe(fig, f"{title}: {k} filters of {f}x{f}x{w.shape[3]}, each drawn as a small "
                  f"{'colour' if w.shape[3] == 3 else 'grey'} image scaled from its smallest "
                  f"weight (dark) to its largest (light); weights {spread}"
                  + (", ..." if k > 8 else "") + ".")
    return fig


def plot_feature_maps(maps, title="feature maps", image=None, ncols=8):
    """Show the activation maps of one example, optionally after the input image.

    Parameters
    ----------
    maps : numpy.ndarray, shape (H, W, K)
        One activation map per filter.
    title : str
    image : numpy.ndarray, shape (H0, W0) or (H0, W0, 1), optional
        The input, shown first.
    ncols : int, default 8

    Returns
    -------
    matplotlib.figure.Figure
    """
    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"plot_feature_maps: maps must have shape (H, W, K) (one example), got "
                         f"shape {maps.shape}. Take out[0] of a batch output.")
    images = [maps[:, :, i] for i in range(maps.shape[2])]
    titles = [f"map {i}" for i in range(maps.shape[2])]
    if image is not None:
        images.insert(0, np.asarray(image).reshape(np.shape(image)[:2]))
        titles.insert(0, "input")
    h, w, k = maps.shape
    cmaps = ["gray_r"] * (len(images) - k) + ["viridis"] * k  # the digit as on paper
    fig = _tile(images, ncols, cmaps, titles, f"{title}: {k} maps of {h}x{w}")
    peaks = maps.reshape(-1, k).max(axis=0)
    order = np.argsort(-peaks, kind="stable")
    dead = int((np.abs(maps).reshape(-1, k).max(axis=0) == 0).sum())
    describe(fig, f"{title}: {k} activation maps of {h}x{w}"
                  + (" after the input image" if image is not None else "")
                  + f", dark purple low, yellow high; the strongest map {order[0]} peaks at "
                  f"{peaks[order[0]]:.3g}, the weakest map {order[-1]} at "
                  f"{peaks[order[-1]]:.3g}; {dead} of {k} maps are all zero.")
    return fig


def model_input(model, digit):
    """``digit`` (28, 28) as a batch of one in the model's input shape ((1, 784) or 4-D).

    Examples
    --------
    >>> class MLP: input_shape = (None, 784)
    >>> model_input(MLP(), np.zeros((28, 28))).shape
    (1, 784)
    """
    shape = getattr(model, "input_shape", None)
    shape = (28 * 28,) if shape is None else tuple(shape[1:])
    return digit.reshape((1, *shape))


def feature_maps(model, digit):
    """The digit's maps after each conv and pool layer, up to the first other layer.

    Parameters
    ----------
    model : Sequential
        A CNN such as ``lenet5(input_shape=(28, 28, 1))``.
    digit : ndarray, shape (28, 28)

    Returns
    -------
    list of (str, ndarray of shape (H, W, K))
        The layer's name and kind (e.g. ``"layer 0: Conv2D"``) and its output for the digit.

    Examples
    --------
    >>> from course_lib import lenet5
    >>> maps = feature_maps(lenet5(input_shape=(28, 28, 1), seed=0), np.zeros((28, 28)))
    >>> [(title, m.shape) for title, m in maps]  # doctest: +NORMALIZE_WHITESPACE
    [('layer 0: Conv2D', (28, 28, 6)), ('layer 1: MaxPooling2D', (14, 14, 6)),
     ('layer 2: Conv2D', (10, 10, 16)), ('layer 3: MaxPooling2D', (5, 5, 16))]
    """
    x = model_input(model, np.asarray(digit, dtype=np.float32))
    maps = []
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        if kind not in MAP_LAYERS:
            break
        x = layer.forward(x)
        maps.append((f"layer {i}: {kind}", x[0]))
    return maps
