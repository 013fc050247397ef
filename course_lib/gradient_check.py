"""Numerical gradients: the independent reference every backward pass is checked against."""

import numpy as np

__all__ = ["numerical_gradient", "rel_error"]


def numerical_gradient(f, a, h=1e-5):
    """Central differences of a scalar function with respect to every entry of an array.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float computed from ``a`` (and whatever else it closes over).
    a : ndarray, any shape, floating
        The array to perturb. It is changed in place one entry at a time and restored.
    h : float, default 1e-5
        Step of the central difference.

    Returns
    -------
    ndarray, same shape as ``a``
        ``(f(a + h e_i) - f(a - h e_i)) / (2h)`` for every entry ``i``.

    Notes
    -----
    Use float64: in float32 the rounding error of ``f`` swamps the difference.

    Examples
    --------
    >>> x = np.array([1.0, -2.0])
    >>> numerical_gradient(lambda: float((x ** 2).sum()), x).round(6)
    array([ 2., -4.])
    """
    grad = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        old = a[idx]
        a[idx] = old + h
        plus = f()
        a[idx] = old - h
        minus = f()
        a[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Largest relative difference between two arrays (CS231n's check).

    ``max |a - b| / max(1e-8, |a| + |b|)``: around 1e-7 or less means the gradients agree.

    Examples
    --------
    >>> rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
