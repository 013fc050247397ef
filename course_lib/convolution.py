"""The convolutional layer: a readable loop version and a fast one, in the lecture's layout.

An image batch is ``(N, H, W, C)``, a bank of K filters ``(K, F, F, C)``, biases ``(K,)``; the
output is ``(N, H', W', K)`` with ``H' = (H - F + 2P)/S + 1`` (see ``conv_output_size``).

Like every deep-learning library, "convolution" here is cross-correlation: the filter is
slid over the input as it is, without flipping it.

The fast version (:mod:`course_lib.speed.im2col`) builds the patch matrix with one copy per filter
tap (F*F copies, a loop over the filter, not over positions) and multiplies it with the filters
in one matrix product per chunk of the batch, so the patches never take much memory.
Reshaping ``np.lib.stride_tricks.sliding_window_view`` into that matrix gives the same numbers
but was measured up to 1.7x slower on this course's layers (it copies a few floats at a time).
"""

import numpy as np

from .shapes import as_real_array, check_int, conv_output_size
from .speed.im2col import conv_backward_chunks, conv_forward_chunks

__all__ = ["conv2d", "conv2d_forward", "conv2d_backward", "conv2d_loops"]

_HINT = "Use (1, H, W, C) for one image or (H, W) with a (F, F) filter for one slice."


def _check(func, x, w, b, stride, pad, allow_2d=True):
    """Validate the inputs; return 4-D x, w, 1-D b (or None), (H', W'), and whether x was 2-D."""
    stride = check_int(func, "stride", stride, minimum=1)
    pad = check_int(func, "pad", pad, minimum=0)
    x, w = as_real_array(func, "x", x), as_real_array(func, "w", w)
    flat = x.ndim == 2 and allow_2d
    x, w, b = _as_batch(func, x, w, b) if flat else _check_ranks(func, x, w, b, allow_2d)
    _check_filters(func, x, w)
    if b is not None:
        b = as_real_array(func, "b", b)
        if b.shape != (w.shape[0],):
            raise ValueError(f"{func}: b has shape {b.shape} but the {w.shape[0]} filters of w "
                             f"{w.shape} need one bias each: expected b of shape ({w.shape[0]},).")
    sizes = tuple(_output_size(func, x, w, axis, stride, pad) for axis in (1, 2))
    dtype = np.result_type(x.dtype, w.dtype)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.float64
    x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
    b = None if b is None else b.astype(dtype, copy=False)
    return x, w, b, stride, pad, sizes, flat


def _as_batch(func, x, w, b):
    """One 2-D slice and one (F, F) filter as a batch of one image and a bank of one filter."""
    if w.ndim != 2:
        raise ValueError(
            f"{func}: x of shape {x.shape} is one 2-D slice, so w must be one (F, F) "
            f"filter, got w of shape {w.shape}. For filters of shape (K, F, F, C) pass "
            "x of shape (N, H, W, C).")
    if b is not None and np.ndim(b) != 0:
        raise ValueError(
            f"{func}: with a 2-D slice x {x.shape} and one filter {w.shape}, b must be a "
            f"single number, got b of shape {np.shape(b)}.")
    return x[None, :, :, None], w[None, :, :, None], None if b is None else np.reshape(b, (1,))


def _check_ranks(func, x, w, b, allow_2d):
    if x.ndim != 4:
        expected = "(N, H, W, C) or a 2-D slice (H, W)" if allow_2d else "(N, H, W, C)"
        raise ValueError(f"{func}: expected x of shape {expected}, got x of shape {x.shape}. "
                         + _HINT)
    if w.ndim != 4:
        raise ValueError(f"{func}: x of shape {x.shape} needs filters w of shape (K, F, F, C), "
                         f"got w of shape {w.shape}.")
    return x, w, b


def _check_filters(func, x, w):
    """Square filters, each as deep as the input."""
    k, f, f2, c = w.shape
    if f != f2:
        raise ValueError(f"{func}: filters must be square (K, F, F, C), got w of shape "
                         f"{w.shape} ({f}x{f2}). Use a filter with as many rows as columns.")
    if x.shape[3] != c:
        raise ValueError(
            f"{func}: x of shape {x.shape} has depth C={x.shape[3]} but the filters w of shape "
            f"{w.shape} have depth {c}: every filter must be as deep as its input "
            f"(expected w of shape ({k}, {f}, {f}, {x.shape[3]})).")


def _output_size(func, x, w, axis, stride, pad):
    """H' (axis 1) or W' (axis 2), with the formula worked through when the filter misfits."""
    try:
        return conv_output_size(x.shape[axis], w.shape[1], stride, pad)
    except ValueError as err:
        name = "height" if axis == 1 else "width"
        raise ValueError(f"{func}: x of shape {x.shape} and w of shape {w.shape} do not "
                         f"fit along the {name}: {err}") from None


def conv2d_forward(x, w, b=None, stride=1, pad=0, *, relu=False):
    """Fast forward pass of a convolutional layer, keeping what the backward pass needs.

    Parameters
    ----------
    x : ndarray, shape (N, H, W, C)
    w : ndarray, shape (K, F, F, C)
    b : ndarray, shape (K,), or None
    stride, pad : int
        Step of the filter and zeros added on each side.
    relu : bool, default False
        Apply ReLU to the output (a layer with ``activation="relu"``), fused: chunk by chunk
        while it is in the cache, and ``conv2d_backward`` then takes the gradient at the
        ReLU's output.

    Returns
    -------
    out : ndarray, shape (N, H', W', K)
        ``H' = (H - F + 2*pad)/stride + 1``, same for ``W'``.
    cache : tuple
        For ``conv2d_backward``: ``(x, w, stride, pad, out or None)``, references, no copies
        (the backward pass rebuilds the patch matrix a chunk at a time instead of keeping it;
        ``out`` is kept only with ``relu``).

    Examples
    --------
    >>> out, cache = conv2d_forward(np.ones((2, 5, 5, 3)), np.ones((4, 3, 3, 3)), pad=1)
    >>> out.shape, float(out[0, 2, 2, 0]), float(out[0, 0, 0, 0])
    ((2, 5, 5, 4), 27.0, 12.0)
    """
    x, w, b, stride, pad, (ho, wo), _ = _check("conv2d_forward", x, w, b, stride, pad, False)
    out = conv_forward_chunks(x, w, b, stride, pad, ho, wo, relu=bool(relu))
    return out, (x, w, stride, pad, out if relu else None)


def conv2d_backward(dout, cache, need_dx=True):
    """Backward pass of ``conv2d_forward``: gradients of the loss for x, w and b.

    Parameters
    ----------
    dout : ndarray, shape (N, H', W', K)
        Gradient of the loss with respect to the output (the ReLU's, if it was fused).
    cache : tuple
        The second value returned by ``conv2d_forward``.
    need_dx : bool, default True
        False skips ``dx`` (returned as None): a network's first layer has no use for it,
        and it costs more than ``dw`` and ``db`` together.

    Returns
    -------
    dx : ndarray, shape (N, H, W, C), or None
    dw : ndarray, shape (K, F, F, C)
    db : ndarray, shape (K,)
        Sum of ``dout`` over N, H', W' (returned even when the forward pass had no bias).

    Notes
    -----
    With the patch matrix P (rows: taps, columns: positions) and ``out^T = W P``:
    ``dW = dout^T P^T``, ``dP = W^T dout^T``; dx adds dP back at the positions each tap read.

    Examples
    --------
    >>> out, cache = conv2d_forward(np.ones((1, 4, 4, 1)), np.ones((1, 3, 3, 1)))
    >>> dx, dw, db = conv2d_backward(np.ones_like(out), cache)
    >>> dx[0, :, :, 0]
    array([[1., 2., 2., 1.],
           [2., 4., 4., 2.],
           [2., 4., 4., 2.],
           [1., 2., 2., 1.]])
    >>> dw.shape, db
    ((1, 3, 3, 1), array([4.]))
    >>> conv2d_backward(np.ones_like(out), cache, need_dx=False)[0] is None
    True
    """
    x, w, stride, pad, relu_out = cache
    (n, h, wd, _), (k, f) = x.shape, w.shape[:2]
    ho = (h - f + 2 * pad) // stride + 1
    wo = (wd - f + 2 * pad) // stride + 1
    dout = as_real_array("conv2d_backward", "dout", dout)
    if dout.shape != (n, ho, wo, k):
        raise ValueError(f"conv2d_backward: dout has shape {dout.shape} but the forward output "
                         f"had shape {(n, ho, wo, k)}: expected dout of that shape.")
    dout = np.ascontiguousarray(dout, dtype=w.dtype)
    return conv_backward_chunks(dout, x, w, stride, pad, need_dx, relu_out)


def conv2d(x, w, b=None, stride=1, pad=0):
    """Convolutional layer (cross-correlation, as in every deep-learning library), fast.

    Parameters
    ----------
    x : ndarray, shape (N, H, W, C), or one slice (H, W)
    w : ndarray, shape (K, F, F, C), or one filter (F, F) for a slice
        Square filters, as deep as the input. The filter is not flipped.
    b : ndarray, shape (K,), a number for a slice, or None
    stride : int, default 1
    pad : int, default 0
        Zeros added on each side of the height and the width.

    Returns
    -------
    ndarray, shape (N, H', W', K), or (H', W') for a slice
        dtype ``np.result_type(x, w)`` (integers give float64): a float64 ``w`` turns a
        float32 ``x`` into float64, which is about twice as slow.

    Raises
    ------
    ValueError
        On mismatched shapes, a 3-D x, a filter that does not fit, or a bad stride or pad.

    Notes
    -----
    .. math:: out[n, y, x, k] = b_k + \\sum_{i,j,c} w[k, i, j, c]\\,
              x_{pad}[n, yS + i, xS + j, c],
              \\qquad H' = \\frac{H - F + 2P}{S} + 1

    Examples
    --------
    >>> x = np.arange(49.0).reshape(7, 7)
    >>> conv2d(x, np.ones((3, 3))).shape, conv2d(x, np.ones((3, 3)), stride=2).shape
    ((5, 5), (3, 3))
    >>> conv2d(np.zeros((1, 32, 32, 3)), np.zeros((10, 5, 5, 3)), pad=2).shape
    (1, 32, 32, 10)
    """
    x, w, b, stride, pad, (ho, wo), flat = _check("conv2d", x, w, b, stride, pad)
    out = conv_forward_chunks(x, w, b, stride, pad, ho, wo)
    return out[0, :, :, 0] if flat else out


def conv2d_loops(x, w, b=None, stride=1, pad=0):
    """Convolutional layer written as plain loops: the version to read first (slow).

    Same parameters, results and errors as ``conv2d``.

    Examples
    --------
    >>> x = np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]])
    >>> conv2d_loops(x, np.array([[1, 0], [0, 1]]))
    array([[2., 5.],
           [0., 2.]])
    """
    x, w, b, stride, pad, (ho, wo), flat = _check("conv2d_loops", x, w, b, stride, pad)
    n_images, k_filters, f = x.shape[0], w.shape[0], w.shape[1]
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))  # zeros around each image
    out = np.zeros((n_images, ho, wo, k_filters), x.dtype)
    for n in range(n_images):
        for k in range(k_filters):
            for row in range(ho):
                for col in range(wo):
                    top, left = row * stride, col * stride
                    window = xp[n, top:top + f, left:left + f, :]  # F x F x C
                    out[n, row, col, k] = np.sum(window * w[k])
                    if b is not None:
                        out[n, row, col, k] += b[k]
    return out[0, :, :, 0] if flat else out
