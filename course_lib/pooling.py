"""Max and average pooling: readable loop versions and fast ones, in the lecture's layout.

Pooling shrinks every depth slice of an ``(N, H, W, C)`` batch on its own: an ``f x f`` window
moves by ``stride``; the output is ``(N, H', W', C)`` with ``H' = (H - f)/stride + 1`` (see
``pool_output_size``). Windows may overlap (AlexNet pools 3x3 with stride 2).

The fast versions combine the f*f strided slices of the input (one slice per window position
``(i, j)``: a loop over the window, not over output positions) with ``np.maximum`` or ``+``.
"""

import numpy as np

from .shapes import as_real_array, check_int, pool_output_size
from .speed.threads import SPLIT_BYTES, over_batch

__all__ = [
    "max_pool2d", "max_pool2d_forward", "max_pool2d_backward", "max_pool2d_loops",
    "avg_pool2d", "avg_pool2d_forward", "avg_pool2d_backward", "avg_pool2d_loops",
]


def _check(func, x, f, stride, allow_2d=True):
    """Validate; return 4-D x, f, stride, (H', W') and whether x was one 2-D slice."""
    f = check_int(func, "f", f, minimum=1)
    stride = check_int(func, "stride", stride, minimum=1)
    x = as_real_array(func, "x", x)
    flat = x.ndim == 2 and allow_2d
    if flat:
        x = x[None, :, :, None]
    elif x.ndim != 4:
        expected = "(N, H, W, C) or a 2-D slice (H, W)" if allow_2d else "(N, H, W, C)"
        raise ValueError(f"{func}: expected x of shape {expected}, got x of shape {x.shape}. "
                         "Use (1, H, W, C) for one image.")
    sizes = []
    for name, n in (("height", x.shape[1]), ("width", x.shape[2])):
        try:
            sizes.append(pool_output_size(n, f, stride))
        except ValueError as err:
            raise ValueError(f"{func}: a {f}x{f} window with stride {stride} does not fit x of "
                             f"shape {x.shape} along the {name}: {err}") from None
    return x, f, stride, tuple(sizes), flat


def _taps(x, f, stride, ho, wo):
    """Yield the f*f strided views ``x[:, i::stride, j::stride, :]`` cut to (N, H', W', C)."""
    for i in range(f):
        for j in range(f):
            yield x[:, i:i + stride * ho:stride, j:j + stride * wo:stride, :]


def _float(x):
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _check_dout(func, dout, shape):
    dout = np.asarray(dout)
    if dout.shape != shape:
        raise ValueError(f"{func}: dout has shape {dout.shape} but the forward output had "
                         f"shape {shape}: expected dout of that shape.")
    return dout


def _max_taps(x, f, stride, ho, wo):
    """The window maxima, combining the f*f strided views in place (no temporary per view)."""
    taps = _taps(x, f, stride, ho, wo)
    out = next(taps).copy()
    for view in taps:
        np.maximum(out, view, out=out)
    return out


def _first_hits(x, out, f, stride):
    """Bool (f*f, N, H', W', C): tap t holds its window's first maximum in row-major order."""
    hits = np.empty((f * f, *out.shape), bool)
    free = np.ones(out.shape, bool)  # windows whose maximum has not been found yet
    for t, view in enumerate(_taps(x, f, stride, *out.shape[1:3])):
        np.equal(view, out, out=hits[t])
        hits[t] &= free
        if t < f * f - 1:
            np.greater(free, hits[t], out=free)  # free and not hit: this window is done
    return hits


def max_pool2d_forward(x, f=2, stride=2):
    """Fast max pooling that keeps what ``max_pool2d_backward`` needs.

    Parameters
    ----------
    x : ndarray, shape (N, H, W, C)
    f : int, default 2
        Window width (and height).
    stride : int, default 2

    Returns
    -------
    out : ndarray, shape (N, H', W', C), dtype of x
        ``H' = (H - f)/stride + 1``.
    cache : tuple
        ``(x.shape, x.dtype, hits, f, stride)``; ``hits`` (bool, shape (f*f, N, H', W', C))
        marks, for each window position (tap) ``(i, j)`` of the window, the windows whose
        first maximum it holds: found once here, so the backward pass need not search again.

    Examples
    --------
    >>> out, cache = max_pool2d_forward(np.arange(16.0).reshape(1, 4, 4, 1))
    >>> out[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    >>> cache[2].sum(axis=(1, 2, 3, 4))  # hits per tap: all four maxima at tap (1, 1)
    array([0, 0, 0, 4])
    """
    x, f, stride, (ho, wo), _ = _check("max_pool2d_forward", x, f, stride, allow_2d=False)
    out = _max_taps(x, f, stride, ho, wo)
    return out, (x.shape, x.dtype, _first_hits(x, out, f, stride), f, stride)


def max_pool2d_backward(dout, cache):
    """Gradient of max pooling: each window sends dout to the position of its maximum.

    Parameters
    ----------
    dout : ndarray, shape (N, H', W', C)
    cache : tuple
        From ``max_pool2d_forward``.

    Returns
    -------
    dx : ndarray, shape (N, H, W, C)
        Where windows overlap, the gradients they send to one position add up.

    Notes
    -----
    Ties: when several positions of a window hold the maximum, the whole gradient goes to the
    first one in row-major order (top row first, then left to right), as ``np.argmax`` picks.
    The forward pass found those positions; here each tap gets ``dout * hits[tap]``.

    Examples
    --------
    >>> x = np.array([[1., 3.], [3., 2.]]).reshape(1, 2, 2, 1)
    >>> out, cache = max_pool2d_forward(x)
    >>> max_pool2d_backward(np.ones((1, 1, 1, 1)), cache)[0, :, :, 0]
    array([[0., 1.],
           [0., 0.]])
    """
    shape, dtype, hits, f, stride = cache
    dout = _check_dout("max_pool2d_backward", dout, hits.shape[1:])
    n, ho, wo, c = dout.shape
    dtype = np.result_type(dtype if np.issubdtype(dtype, np.floating) else np.float64, dout.dtype)
    # windows that tile x exactly write every position once: no zeros needed first
    tiled = stride == f and shape[1] == ho * f and shape[2] == wo * f
    dx = np.empty(shape, dtype) if tiled else np.zeros(shape, dtype)

    def part(lo, hi):  # one core's images
        views = _taps(dx[lo:hi], f, stride, ho, wo)
        for hit, dview in zip(hits[:, lo:hi], views, strict=True):
            if stride >= f:  # windows do not overlap: each position gets one window's gradient
                np.multiply(dout[lo:hi], hit, out=dview)
            else:
                dview += dout[lo:hi] * hit

    over_batch(part, n, split=dx.nbytes >= SPLIT_BYTES)
    return dx


def max_pool2d(x, f=2, stride=2):
    """Max pooling (fast): the largest value of every f x f window, per depth slice.

    Parameters
    ----------
    x : ndarray, shape (N, H, W, C), or one slice (H, W)
    f : int, default 2
    stride : int, default 2

    Returns
    -------
    ndarray, shape (N, H', W', C), or (H', W'); dtype of x
        ``H' = (H - f)/stride + 1``.

    Raises
    ------
    ValueError
        If x is not 2-D or 4-D, or the window does not fit (the message works the formula).

    Examples
    --------
    >>> max_pool2d(np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]))
    array([[6, 8],
           [3, 4]])
    """
    return _pool("max_pool2d", _max_taps, x, f, stride)


def avg_pool2d_forward(x, f=2, stride=2):
    """Fast average pooling that keeps what ``avg_pool2d_backward`` needs.

    Parameters and results as ``max_pool2d_forward``; integer inputs give float64.

    Examples
    --------
    >>> x = np.arange(16).reshape(1, 4, 4, 1)  # integers: the means are float64
    >>> out, cache = avg_pool2d_forward(x)
    >>> out[0, :, :, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    x, f, stride, (ho, wo), _ = _check("avg_pool2d_forward", x, f, stride, allow_2d=False)
    out = _mean_taps(x, f, stride, ho, wo)
    return out, (x.shape, out.dtype, f, stride)


def _mean_taps(x, f, stride, ho, wo):
    """The window means: the f*f strided views added up, divided by f*f."""
    x = _float(x)
    out = np.zeros((x.shape[0], ho, wo, x.shape[3]), x.dtype)
    for view in _taps(x, f, stride, ho, wo):
        out += view
    out /= f * f
    return out


def avg_pool2d_backward(dout, cache):
    """Gradient of average pooling: each window shares dout equally, ``dout / f**2`` each.

    Examples
    --------
    >>> out, cache = avg_pool2d_forward(np.zeros((1, 2, 2, 1)))
    >>> avg_pool2d_backward(np.ones((1, 1, 1, 1)), cache)[0, :, :, 0]
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    shape, dtype, f, stride = cache
    ho, wo = (shape[1] - f) // stride + 1, (shape[2] - f) // stride + 1
    dout = _check_dout("avg_pool2d_backward", dout, (shape[0], ho, wo, shape[3]))
    dx = np.zeros(shape, np.result_type(dtype, dout.dtype))
    share = dout / (f * f)
    for dview in _taps(dx, f, stride, ho, wo):
        dview += share
    return dx


def avg_pool2d(x, f=2, stride=2):
    """Average pooling (fast): the mean of every f x f window, per depth slice.

    Same parameters, shapes and errors as ``max_pool2d``; integer inputs give float64.

    Examples
    --------
    >>> x = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])  # the slide's
    >>> avg_pool2d(x)
    array([[3.25, 5.25],
           [2.  , 2.  ]])
    """
    return _pool("avg_pool2d", _mean_taps, x, f, stride)


def _pool(func, pool_taps, x, f, stride):
    """A fast pooling of a batch, or of one 2-D slice seen as a batch of one (nothing cached)."""
    x4, f, stride, (ho, wo), flat = _check(func, x, f, stride)
    out = pool_taps(x4, f, stride, ho, wo)
    return out[0, :, :, 0] if flat else out


def _pool_loops(func, reduce, x, f, stride):
    x, f, stride, (ho, wo), flat = _check(func, x, f, stride)
    n_images, channels = x.shape[0], x.shape[3]
    out = np.zeros((n_images, ho, wo, channels), x.dtype if reduce is np.max else _float(x).dtype)
    for n in range(n_images):
        for c in range(channels):  # every depth slice is pooled on its own
            for row in range(ho):
                for col in range(wo):
                    top, left = row * stride, col * stride
                    out[n, row, col, c] = reduce(x[n, top:top + f, left:left + f, c])
    return out[0, :, :, 0] if flat else out


def max_pool2d_loops(x, f=2, stride=2):
    """Max pooling written as plain loops: the version to read first (slow).

    Same parameters, results and errors as ``max_pool2d``.

    Examples
    --------
    >>> max_pool2d_loops(np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]))
    array([[6, 8],
           [3, 4]])
    """
    return _pool_loops("max_pool2d_loops", np.max, x, f, stride)


def avg_pool2d_loops(x, f=2, stride=2):
    """Average pooling written as plain loops: the version to read first (slow).

    Same parameters, results and errors as ``avg_pool2d``.

    Examples
    --------
    >>> avg_pool2d_loops(np.array([[1., 3.], [5., 7.]]))
    array([[4.]])
    """
    return _pool_loops("avg_pool2d_loops", np.mean, x, f, stride)
