"""A digit drawn by hand, made to look like an MNIST digit (pure NumPy, no widgets).

MNIST's digits were made from scanned black-and-white NIST digits (LeCun, Cortes and Burges):
each was scaled to fit a 20x20 pixel box, keeping its aspect ratio (the anti-aliasing of the
scaling gives the grey levels), then placed in a 28x28 image so that its centre of mass lies
at the centre of the image. A network trained on MNIST has only ever seen digits made that
way: a digit drawn on a 280x280 pad must go through the same steps before the network sees it.

- :func:`strokes_to_ink`: mouse strokes -> the pad's picture, as ink (0 paper, 1 full ink);
- :func:`rgba_to_ink`: a canvas's RGBA pixels (dark ink on white or transparent) -> ink;
- :func:`preprocess_digit`: ink of any size -> a 28x28 MNIST-like image;
- :func:`center_of_mass`: the ink-weighted mean (row, column) of an image.

Pixel (i, j) of an image is row i, column j; its centre is at (i, j) in the coordinates of
:func:`center_of_mass`, so the centre of a 28x28 image is (13.5, 13.5) and MNIST puts the
centre of mass of each digit within half a pixel of (14, 14) (the 2,000 first test digits:
mean (13.99, 14.00), all within [13.5, 14.5]).
"""

import numpy as np

__all__ = ["MNIST_BOX", "MNIST_SIZE", "MNIST_CENTER", "SAMPLE_STROKES", "center_of_mass",
           "preprocess_digit", "rgba_to_ink", "strokes_to_ink"]

MNIST_SIZE = 28        # the image
MNIST_BOX = 20         # the box the digit is scaled into (longer side)
MNIST_CENTER = 14      # where the centre of mass goes (row and column)
# digits drawn with the mouse on a 280x280 pad (x, y in pixels), one list of points per stroke
SAMPLE_STROKES = {
    1: [[(150, 40), (140, 240)]],
    4: [[(170, 40), (80, 170), (220, 170)], [(180, 100), (180, 250)]],
    7: [[(70, 50), (210, 50), (120, 250)]],
}


def center_of_mass(image):
    """The ink-weighted mean position (row, column) of a 2-D image.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Non-negative ink (0 = background).

    Returns
    -------
    (float, float)
        ``(sum_ij i * x_ij / sum x, sum_ij j * x_ij / sum x)``: pixel (i, j) sits at (i, j).

    Raises
    ------
    ValueError
        If the image is not 2-D or holds no ink.

    Examples
    --------
    >>> img = np.zeros((5, 5)); img[1, 3] = 1.0; img[3, 3] = 1.0
    >>> center_of_mass(img)
    (2.0, 3.0)
    """
    x = _as_ink(image, "center_of_mass")
    total = x.sum(dtype=np.float64)
    if not total > 0:
        raise ValueError(f"center_of_mass: the {x.shape[0]}x{x.shape[1]} image has no ink "
                         "(every pixel is 0), so it has no centre of mass.")
    rows = x.sum(axis=1, dtype=np.float64) @ np.arange(x.shape[0]) / total
    cols = x.sum(axis=0, dtype=np.float64) @ np.arange(x.shape[1]) / total
    return float(rows), float(cols)


def _as_ink(image, func):
    x = np.asarray(image, dtype=np.float64)
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(f"{func}: expected one greyscale image of shape (H, W), got shape "
                         f"{x.shape}. For a canvas's RGBA pixels use rgba_to_ink first.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{func}: ink must be finite, got {np.count_nonzero(~np.isfinite(x))} "
                         "NaN or infinite values.")
    if x.min() < 0:
        raise ValueError(f"{func}: ink must be at least 0 (0 = background), got values from "
                         f"{x.min():g} to {x.max():g}.")
    return x


def _area_matrix(n_in, n_out):
    """(n_out, n_in): output pixel k averages the input pixels it covers, by their overlap.

    Output pixel k spans [k, k+1) * n_in / n_out in input pixels; each row sums to 1, so
    ``A_rows @ img @ A_cols.T`` resizes an image by area averaging (anti-aliased).
    """
    scale = n_in / n_out
    lo = np.arange(n_out)[:, None] * scale
    j = np.arange(n_in)[None, :]
    overlap = np.minimum(lo + scale, j + 1) - np.maximum(lo, j)
    return np.clip(overlap, 0, None) / scale


def preprocess_digit(ink, threshold=0.0):
    """Make a drawn digit look like an MNIST digit: crop, scale into 20x20, centre in 28x28.

    Parameters
    ----------
    ink : array_like, shape (H, W)
        The drawing, 0 = paper and larger = more ink (e.g. :func:`strokes_to_ink` or
        :func:`rgba_to_ink`), any size.
    threshold : float, default 0.0
        Pixels with more ink than this count for the bounding box.

    Returns
    -------
    ndarray of float32, shape (28, 28)
        Values in [0, 1], the darkest pixel 1, like ``load_mnist()``'s images; reshape it to
        ``(1, 784)`` for a multilayer perceptron or ``(1, 28, 28, 1)`` for LeNet-5.

    Raises
    ------
    ValueError
        If nothing is drawn (no pixel above ``threshold``) or the input is not one 2-D image.

    Notes
    -----
    1. Crop to the bounding box of the ink: ``h x w`` pixels.
    2. Scale by ``s = 20 / max(h, w)`` to ``round(s h) x round(s w)`` (the longer side 20) by
       area averaging: each new pixel is the mean of the old ones under it.
    3. Put it in a 28x28 image, shifted by whole pixels so that the centre of mass
       ``(r, c)`` lands on ``(14, 14)``: offset ``14 - round(r)`` (rows), likewise columns.
       The shift is limited so the 20-pixel box stays inside the image (a very lopsided
       drawing may then keep its centre of mass off centre, rather than lose ink).
    4. Divide by the largest value (a faint pencil counts as full ink, like MNIST's strokes).

    Examples
    --------
    >>> square = np.zeros((280, 280)); square[100:200, 40:140] = 1.0
    >>> digit = preprocess_digit(square)
    >>> digit.shape, digit.dtype, float(digit.max())
    ((28, 28), dtype('float32'), 1.0)
    >>> center_of_mass(digit)
    (13.5, 13.5)
    """
    x = _as_ink(ink, "preprocess_digit")
    rows, cols = np.flatnonzero((x > threshold).any(axis=1)), np.flatnonzero(
        (x > threshold).any(axis=0))
    if rows.size == 0:
        raise ValueError(f"preprocess_digit: nothing is drawn (no pixel of the {x.shape[0]}x"
                         f"{x.shape[1]} drawing has ink above {threshold:g}). Draw a digit "
                         "first, then try again.")
    x = x[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = x.shape
    scale = MNIST_BOX / max(h, w)
    new_h, new_w = (max(1, min(MNIST_BOX, int(np.floor(n * scale + 0.5)))) for n in (h, w))
    box = _area_matrix(h, new_h) @ x @ _area_matrix(w, new_w).T
    r, c = center_of_mass(box)
    top = int(np.clip(MNIST_CENTER - np.floor(r + 0.5), 0, MNIST_SIZE - new_h))
    left = int(np.clip(MNIST_CENTER - np.floor(c + 0.5), 0, MNIST_SIZE - new_w))
    out = np.zeros((MNIST_SIZE, MNIST_SIZE), dtype=np.float64)
    out[top:top + new_h, left:left + new_w] = box
    return (out / out.max()).astype(np.float32)


def rgba_to_ink(rgba):
    """A canvas's pixels (dark ink on white or transparent paper) as ink: 0 paper, 1 black.

    Parameters
    ----------
    rgba : array_like of uint8, shape (H, W, 4) or (H, W, 3)
        What ``ipycanvas.Canvas.get_image_data()`` returns (0..255 per channel).

    Returns
    -------
    ndarray of float32, shape (H, W)
        ``(1 - mean(R, G, B) / 255) * A / 255``: black opaque ink 1, white or transparent 0.

    Examples
    --------
    >>> px = np.array([[[0, 0, 0, 255], [255, 255, 255, 255], [0, 0, 0, 0]]], dtype=np.uint8)
    >>> rgba_to_ink(px).tolist()
    [[1.0, 0.0, 0.0]]
    """
    px = np.asarray(rgba)
    if px.ndim != 3 or px.shape[2] not in (3, 4):
        raise ValueError(f"rgba_to_ink: expected canvas pixels of shape (H, W, 4) or (H, W, 3), "
                         f"got shape {px.shape}.")
    px = px.astype(np.float64) / 255.0
    alpha = px[..., 3] if px.shape[2] == 4 else 1.0
    return ((1.0 - px[..., :3].mean(axis=2)) * alpha).astype(np.float32)


def _check_strokes(strokes):
    out = []
    for k, stroke in enumerate(strokes):
        points = np.asarray(stroke, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
            raise ValueError(f"strokes_to_ink: stroke {k} should be a list of (x, y) points, "
                             f"got an array of shape {points.shape}; e.g. "
                             "[[(140, 40), (140, 240)]] is one vertical stroke.")
        out.append(points)
    return out


def strokes_to_ink(strokes, size=280, width=20.0):
    """Draw mouse strokes as a pen would on a ``size x size`` pad: thick lines, round ends.

    Parameters
    ----------
    strokes : list of array_like, each of shape (P, 2)
        The points (x, y) of each stroke in pad pixels (x to the right, y down), as the
        mouse events give them; a stroke of one point is a dot.
    size : int, default 280
        The pad's width and height.
    width : float, default 20.0
        The pen's width in pixels.

    Returns
    -------
    ndarray of float32, shape (size, size)
        Ink: 1 within ``width / 2`` of a stroke, 0 further than ``width / 2 + 1``, a linear
        ramp between (the pixel's coverage, approximately, as a canvas draws it).

    Examples
    --------
    >>> ink = strokes_to_ink([[(5, 2), (5, 8)]], size=10, width=2)
    >>> ink[5].tolist()   # across the line: 2 pixels wide
    [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    >>> [round(float(v), 1) for v in ink[:, 5]]   # along it: round, anti-aliased ends
    [0.0, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.0]
    """
    ink = np.zeros((size, size), dtype=np.float64)
    reach = width / 2 + 1
    for points in _check_strokes(strokes):
        pairs = zip(points, points[1:], strict=False) if len(points) > 1 else [(points[0],) * 2]
        for a, b in pairs:
            x0, y0 = np.floor(np.minimum(a, b) - reach).astype(int).clip(0, size)
            x1, y1 = np.ceil(np.maximum(a, b) + reach).astype(int).clip(0, size)
            if x0 >= x1 or y0 >= y1:
                continue
            # distance from each pixel's centre to the segment a-b
            py, px = np.mgrid[y0:y1, x0:x1] + 0.5
            d = b - a
            t = np.clip(((px - a[0]) * d[0] + (py - a[1]) * d[1]) / max(d @ d, 1e-12), 0, 1)
            dist = np.hypot(px - a[0] - t * d[0], py - a[1] - t * d[1])
            cover = np.clip(width / 2 + 0.5 - dist, 0, 1)
            np.maximum(ink[y0:y1, x0:x1], cover, out=ink[y0:y1, x0:x1])
    return ink.astype(np.float32)
