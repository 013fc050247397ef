"""The fully connected (dense) layer: ``out = x W^T + b``, its forward and backward pass.

A batch ``x`` is ``(N, inputs)``, the weights ``W`` are ``(units, inputs)`` (one row per
neuron, so one neuron computes ``z = w . x + b``), the biases ``b`` are ``(units,)``; the
output is ``(N, units)``. The same contract as :mod:`course_lib.convolution`:
``dense_forward -> (out, cache)``, ``dense_backward(dout, cache) -> (dx, dW, db)``.

The optional ``out=`` arrays let a layer that runs batch after batch write into the same
arrays every time instead of allocating new ones (``course_lib.nn.Dense`` does).
"""

import numpy as np

from .shapes import as_real_array

__all__ = ["dense_forward", "dense_backward", "dense_loops"]


def _check(func, x, w, b):
    """Validate; return float arrays x (N, inputs), W (units, inputs), b (units,)."""
    x, w, b = (as_real_array(func, name, a) for name, a in (("x", x), ("W", w), ("b", b)))
    if w.ndim != 2:
        raise ValueError(f"{func}: W must have shape (units, inputs), got W of shape {w.shape}.")
    units, inputs = w.shape
    if x.ndim != 2 or x.shape[1] != inputs:
        raise ValueError(
            f"{func}: x of shape {x.shape} does not fit W of shape {w.shape}: out = x W^T + b "
            f"needs x of shape (N, {inputs}) (one row of {inputs} inputs per example). "
            "Flatten images first, e.g. x.reshape(len(x), -1).")
    if b.shape != (units,):
        raise ValueError(f"{func}: b has shape {b.shape} but W of shape {w.shape} has {units} "
                         f"units, one bias each: expected b of shape ({units},).")
    dtype = np.result_type(x.dtype, w.dtype, b.dtype)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.float64
    return (a.astype(dtype, copy=False) for a in (x, w, b))


def dense_forward(x, W, b, out=None):
    """Forward pass of a dense layer, keeping what the backward pass needs.

    Parameters
    ----------
    x : ndarray, shape (N, inputs)
    W : ndarray, shape (units, inputs)
    b : ndarray, shape (units,)
    out : ndarray, shape (N, units), optional
        Where to write the result (a buffer reused from batch to batch).

    Returns
    -------
    out : ndarray, shape (N, units)
        ``x W^T + b``; dtype ``np.result_type(x, W, b)`` (integers give float64).
    cache : tuple
        ``(x, W)`` for :func:`dense_backward`.

    Raises
    ------
    ValueError
        If the shapes do not fit ``x W^T + b`` (the message names them).

    Notes
    -----
    .. math:: out_{nu} = b_u + \\sum_i x_{ni} W_{ui}

    Examples
    --------
    >>> out, cache = dense_forward(np.ones((2, 3)), np.ones((4, 3)), np.arange(4.0))
    >>> out
    array([[3., 4., 5., 6.],
           [3., 4., 5., 6.]])
    """
    x, W, b = _check("dense_forward", x, W, b)
    out = np.matmul(x, W.T, out=out)
    out += b
    return out, (x, W)


def dense_backward(dout, cache, need_dx=True, out=None):
    """Backward pass of :func:`dense_forward`: gradients of the loss for x, W and b.

    Parameters
    ----------
    dout : ndarray, shape (N, units)
        Gradient of the loss with respect to the output.
    cache : tuple
        The second value returned by ``dense_forward``.
    need_dx : bool, default True
        False skips ``dx`` (returned as None): the first layer of a network needs no
        gradient for its input.
    out : (dx, dW, db) arrays, optional
        Where to write the gradients (``dx`` may be None); buffers reused between batches.

    Returns
    -------
    dx : ndarray, shape (N, inputs), or None if not ``need_dx``
    dW : ndarray, shape (units, inputs)
    db : ndarray, shape (units,)

    Notes
    -----
    ``dW = dout^T x``, ``db = sum_n dout_n``, ``dx = dout W``.

    Examples
    --------
    >>> out, cache = dense_forward(np.ones((2, 3)), np.ones((4, 3)), np.zeros(4))
    >>> dx, dW, db = dense_backward(np.ones((2, 4)), cache)
    >>> dx
    array([[4., 4., 4.],
           [4., 4., 4.]])
    >>> dW.shape, db
    ((4, 3), array([2., 2., 2., 2.]))
    """
    x, W = cache
    dout = as_real_array("dense_backward", "dout", dout)
    if dout.shape != (x.shape[0], W.shape[0]):
        raise ValueError(f"dense_backward: dout has shape {dout.shape} but the forward output "
                         f"x W^T + b had shape {(x.shape[0], W.shape[0])}: expected dout of "
                         "that shape.")
    dx_out, dw_out, db_out = (None, None, None) if out is None else out
    dW = np.matmul(dout.T, x, out=dw_out)
    db = np.sum(dout, axis=0, out=db_out)
    dx = np.matmul(dout, W, out=dx_out) if need_dx else None
    return dx, dW, db


def dense_loops(x, W, b):
    """Dense layer written as plain loops: the version to read first (slow).

    Same parameters, result and errors as :func:`dense_forward` (without the cache).

    Examples
    --------
    >>> dense_loops(np.array([[1.0, 2.0]]), np.array([[1.0, 1.0], [0.0, -1.0]]), np.zeros(2))
    array([[ 3., -2.]])
    """
    x, W, b = _check("dense_loops", x, W, b)
    out = np.zeros((x.shape[0], W.shape[0]), x.dtype)
    for n in range(x.shape[0]):
        for u in range(W.shape[0]):  # one neuron: a weighted sum of the inputs plus its bias
            out[n, u] = b[u] + sum(x[n, i] * W[u, i] for i in range(W.shape[1]))
    return out
