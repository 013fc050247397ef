"""The softmax classifier: softmax, one-hot targets and the cross-entropy loss."""

import numpy as np

from .shapes import as_float_array, check_int

__all__ = ["softmax", "one_hot", "as_labels", "cross_entropy", "softmax_cross_entropy_gradient"]

EPS = 1e-7
"""Probabilities are clipped to [EPS, 1] before the log (Keras clips to [EPS, 1 - EPS])."""


def softmax(z, axis=-1, out=None):
    """Softmax along ``axis``: ``exp(z_k) / sum_j exp(z_j)``.

    Parameters
    ----------
    z : array_like, shape (..., K)
        Logits (scores); one row per example when ``axis=-1``.
    axis : int, default -1
        Axis of the K classes.
    out : ndarray, shape of ``z``, optional
        Where to write the probabilities (a softmax layer's buffer, reused from batch to batch).

    Returns
    -------
    ndarray, same shape as ``z``
        Probabilities: positive, summing to 1 along ``axis``.

    Notes
    -----
    The row maximum is subtracted first: softmax(z) = softmax(z - max z), and then no
    ``exp`` can overflow, even for logits like [1000, 1001].

    Examples
    --------
    >>> softmax([1000.0, 1001.0]).round(4)
    array([0.2689, 0.7311])
    """
    z = as_float_array(z, "softmax")
    if z.ndim == 0:
        raise ValueError("softmax: expected at least one axis of K class scores, got a scalar.")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"softmax: axis {axis} is out of range for an array of shape {z.shape}.")
    if out is None:
        out = np.empty_like(z)
    elif out.shape != z.shape:
        raise ValueError(f"softmax: out has shape {out.shape} but z has shape {z.shape}: "
                         "expected out of z's shape.")
    np.subtract(z, z.max(axis=axis, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=axis, keepdims=True)
    return out


def one_hot(labels, k):
    """One-hot encoding of integer class labels.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class indices in ``0 .. k-1``.
    k : int
        Number of classes.

    Returns
    -------
    ndarray of float32, shape (N, k)
        Row ``i`` is 1 in column ``labels[i]`` and 0 elsewhere.

    Raises
    ------
    ValueError
        If a label is outside ``0 .. k-1``, or ``labels`` is not one-dimensional.

    Examples
    --------
    >>> one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    k = check_int("one_hot", "k", k, minimum=1)
    y = as_labels(labels, "one_hot")
    bad = (y < 0) | (y >= k)
    if bad.any():
        raise ValueError(
            f"one_hot: labels must lie in 0..{k - 1} for k={k} classes, "
            f"got {y[bad][:5].tolist()} (at positions {np.flatnonzero(bad)[:5].tolist()}).")
    out = np.zeros((y.size, k), dtype=np.float32)
    out[np.arange(y.size), y] = 1
    return out


def as_labels(labels, func="as_labels"):
    """Return ``labels`` as a 1-D integer array; floats that are whole numbers are accepted.

    Raises
    ------
    ValueError
        If ``labels`` is not 1-D or holds non-integer values.
    """
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ValueError(
            f"{func}: labels must be a 1-D array of class indices, got shape {y.shape}.")
    if np.issubdtype(y.dtype, np.floating):
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError(f"{func}: labels must be whole numbers, got {y[:5].tolist()}...")
        y = y.astype(np.int64)
    elif not np.issubdtype(y.dtype, np.integer) or y.dtype == bool:
        raise ValueError(f"{func}: labels must be integers, got dtype {y.dtype}.")
    return y.astype(np.int64, copy=False)


def _targets_as_one_hot(probs, targets, func):
    t = np.asarray(targets)
    n, k = probs.shape
    if t.ndim == 1 and t.shape[0] == n and probs.shape != t.shape:
        return one_hot(as_labels(t, func), k)
    if t.ndim == 1 and n == 1 and t.shape == (k,):
        t = t[None, :]
    if t.shape != probs.shape:
        raise ValueError(
            f"{func}: targets of shape {t.shape} do not match probabilities of shape "
            f"{probs.shape}; "
            f"expected one-hot targets of shape {probs.shape} or integer labels of shape ({n},).")
    return as_float_array(t, func)


def _as_prob_matrix(probs, func):
    p = as_float_array(probs, func)
    if p.ndim == 1:
        p = p[None, :]
    if p.ndim != 2:
        raise ValueError(f"{func}: probabilities must have shape (N, K) or (K,), got {p.shape}.")
    if np.any(p < 0) or np.any(p > 1) or not np.allclose(p.sum(axis=1), 1, atol=1e-3):
        raise ValueError(
            f"{func}: expected probabilities (each row in [0, 1] and summing to 1), got rows "
            f"summing to {np.round(p.sum(axis=1)[:3], 4).tolist()}... Did you forget the softmax?")
    return p


def cross_entropy(probs, targets):
    """Mean cross-entropy loss over a batch: ``-1/N sum_i sum_k y_ik log p_ik``.

    Parameters
    ----------
    probs : array_like, shape (N, K) or (K,)
        Predicted probabilities (rows sum to 1), e.g. the output of :func:`softmax`.
    targets : array_like, shape (N, K) or (N,)
        One-hot targets, or integer class labels.

    Returns
    -------
    float
        The mean loss; 0 for a perfect prediction, large for a confident wrong one.

    Raises
    ------
    ValueError
        If ``probs`` are not probabilities or the shapes of ``probs`` and ``targets`` disagree.

    Notes
    -----
    Probabilities are clipped to ``[1e-7, 1]`` before the log, so a confident correct
    prediction (p = 1) costs 0 and a confident wrong one (p = 0) costs ``-log(1e-7) = 16.1``
    instead of infinity.

    Examples
    --------
    >>> round(cross_entropy([[0.7, 0.2, 0.1]], [0]), 4)
    0.3567
    >>> cross_entropy([[1.0, 0.0]], [[1, 0]])
    0.0
    """
    p = _as_prob_matrix(probs, "cross_entropy")
    y = _targets_as_one_hot(p, targets, "cross_entropy")
    logp = np.log(np.clip(p, EPS, 1.0))
    return float(-(y * logp).sum() / p.shape[0]) + 0.0  # + 0.0 turns -0.0 into 0.0


def softmax_cross_entropy_gradient(probs, targets):
    """Gradient of the mean cross-entropy with respect to the logits of a softmax layer.

    Parameters
    ----------
    probs : ndarray, shape (N, K)
        Softmax output.
    targets : array_like, shape (N, K) or (N,)
        One-hot targets or integer labels.

    Returns
    -------
    ndarray, shape (N, K)
        ``(probs - y) / N``.

    Examples
    --------
    >>> softmax_cross_entropy_gradient(np.array([[0.25, 0.75]]), [1])
    array([[ 0.25, -0.25]])
    """
    p = _as_prob_matrix(probs, "softmax_cross_entropy_gradient")
    y = _targets_as_one_hot(p, targets, "softmax_cross_entropy_gradient")
    return ((p - y) / p.shape[0]).astype(p.dtype, copy=False)
