"""Shapes and parameter counts: the arithmetic of the lecture's slides.

Every size and count here works on plain integers, so a student can check a slide by hand;
:func:`check_int` and :func:`as_real_array` are the argument checks every kernel shares.
"""

from numbers import Integral

import numpy as np

__all__ = [
    "as_float_array",
    "check_int",
    "as_real_array",
    "conv_output_size",
    "pool_output_size",
    "dense_params",
    "conv_params",
]


def check_int(func, name, value, minimum=0):
    """Return ``value`` as an ``int`` or raise an error that names the argument.

    Parameters
    ----------
    func : str
        Name of the calling function, used at the start of the message.
    name : str
        Name of the argument.
    value : object
        The value the caller received.
    minimum : int, default 0
        Smallest allowed value.

    Raises
    ------
    TypeError
        If ``value`` is not a whole number (``bool`` is refused too).
    ValueError
        If ``value`` is smaller than ``minimum``.

    Examples
    --------
    >>> check_int("conv_output_size", "stride", 2, minimum=1)
    2
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{func}: {name} must be a whole number (int), got {value!r} "
            f"of type {type(value).__name__}.")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be >= {minimum}, got {name}={value}.")
    return int(value)


def as_real_array(func, name, a):
    """Return ``a`` as a NumPy array of real numbers (its dtype kept), or raise a TypeError.

    Parameters
    ----------
    func : str
        Name of the calling function, used at the start of the message.
    name : str or None
        Name of the argument (``"x"``); None for a function of one array (``relu``).
    a : array_like

    Raises
    ------
    TypeError
        If ``a`` holds booleans, complex numbers or something other than numbers.

    Examples
    --------
    >>> as_real_array("conv2d", "x", [1, 2]).dtype
    dtype('int64')
    >>> as_real_array("conv2d", "x", ["a"])
    Traceback (most recent call last):
    ...
    TypeError: conv2d: x must hold real numbers, got dtype <U1.
    """
    arr = np.asarray(a)
    numeric = arr.dtype != bool and np.issubdtype(arr.dtype, np.number)
    if numeric and not np.iscomplexobj(arr):
        return arr
    if name is not None:
        raise TypeError(f"{func}: {name} must hold real numbers, got dtype {arr.dtype}.")
    if numeric:
        raise TypeError(f"{func}: expected real numbers, got dtype {arr.dtype}.")
    raise TypeError(f"{func}: expected numbers, got an array of dtype {arr.dtype}.")


def as_float_array(z, func="as_float_array"):
    """Return ``z`` as a floating NumPy array, keeping float32 as float32.

    Raises
    ------
    TypeError
        If ``z`` holds something other than numbers.
    """
    arr = as_real_array(func, None, z)
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def _output_size(func, n, f, stride, pad):
    """``(n - f + 2*pad)/stride + 1`` for one side of the input; ``pad=None`` for a pooling
    window (no padding: the formula and the advice leave it out)."""
    n = check_int(func, "n", n, minimum=1)
    f = check_int(func, "f", f, minimum=1)
    stride = check_int(func, "stride", stride, minimum=1)
    pooling = pad is None
    pad = 0 if pooling else check_int(func, "pad", pad, minimum=0)
    span = n - f + 2 * pad
    what = "window" if pooling else "filter"
    side = f"an input side of {n}" + ("" if pooling else f" with padding {pad}")
    formula = f"({n} - {f})/{stride} + 1" if pooling else f"({n} - {f} + 2*{pad})/{stride} + 1"
    if span < 0:
        padded = f"{n} < {f}" if pooling else f"{n} + 2*{pad} = {n + 2 * pad} < {f}"
        advice = "Use a smaller window." if pooling else "Use a smaller filter or more padding."
        raise ValueError(f"{func}: a {f}x{f} {what} is larger than {side} ({padded}): "
                         f"{formula} = {span / stride + 1:.2f} is below 1. {advice}")
    if span % stride:
        advice = ("Change the window or the stride (pooling adds no padding)." if pooling
                  else "Change the stride or add padding.")
        raise ValueError(f"{func}: a {f}x{f} {what} with stride {stride} does not fit {side}: "
                         f"{formula} = {span / stride + 1:.2f} is not a whole number. {advice}")
    return span // stride + 1


def conv_output_size(n, f, stride=1, pad=0):
    """Spatial size of a convolution's output, as on the slide.

    Parameters
    ----------
    n : int
        Input width (or height).
    f : int
        Filter width (or height).
    stride : int, default 1
        Step between two positions of the filter.
    pad : int, default 0
        Zeros added on each side.

    Returns
    -------
    int
        ``(n - f + 2*pad) / stride + 1``.

    Raises
    ------
    ValueError
        If the filter does not fit: the formula does not give a whole number, or gives
        less than 1. The message works the formula through with the numbers.
    TypeError
        If an argument is not an integer.

    Notes
    -----
    .. math:: N' = \\frac{N - F + 2P}{S} + 1

    Examples
    --------
    >>> conv_output_size(7, 3)
    5
    >>> conv_output_size(7, 3, stride=2)
    3
    >>> conv_output_size(7, 3, stride=3, pad=1)
    3
    >>> conv_output_size(32, 5, stride=1, pad=2)
    32
    """
    return _output_size("conv_output_size", n, f, stride, pad)


def pool_output_size(n, f, stride):
    """Spatial size of a pooling layer's output (no padding, as on the slide).

    Parameters
    ----------
    n, f, stride : int
        Input width (or height), window width and the step between two windows, as for
        :func:`conv_output_size` (pooling adds no padding).

    Returns
    -------
    int
        ``(n - f) / stride + 1``.

    Raises
    ------
    ValueError
        If the window does not fit the input.

    Examples
    --------
    >>> pool_output_size(224, 2, 2)
    112
    >>> pool_output_size(4, 2, 2)
    2
    """
    return _output_size("pool_output_size", n, f, stride, None)


def dense_params(n_in, n_out):
    """Number of parameters of a fully connected (Dense) layer.

    Parameters
    ----------
    n_in : int
        Number of inputs (``input_dim``).
    n_out : int
        Number of units.

    Returns
    -------
    int
        ``n_in * n_out`` weights plus ``n_out`` biases.

    Examples
    --------
    >>> dense_params(784, 10)
    7850
    >>> dense_params(5 * 5 * 16, 120)
    48120
    """
    n_in = check_int("dense_params", "n_in", n_in, minimum=1)
    n_out = check_int("dense_params", "n_out", n_out, minimum=1)
    return n_in * n_out + n_out


def conv_params(f, depth, k):
    """Number of parameters of a convolutional layer with ``k`` filters of ``f x f x depth``.

    Parameters
    ----------
    f : int
        Filter width (and height).
    depth : int
        Depth of the input, which is also the depth of every filter.
    k : int
        Number of filters.

    Returns
    -------
    int
        ``f*f*depth*k`` weights plus ``k`` biases.

    Examples
    --------
    >>> conv_params(5, 3, 10)
    760
    """
    f = check_int("conv_params", "f", f, minimum=1)
    depth = check_int("conv_params", "depth", depth, minimum=1)
    k = check_int("conv_params", "k", k, minimum=1)
    return f * f * depth * k + k
