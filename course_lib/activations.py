"""Activation functions g(z) and their derivatives g'(z), elementwise on any shape.

:func:`activation_forward` / :func:`activation_backward` are the layer's pair in the kernels'
contract (``forward -> (a, cache)``, ``backward(da, cache) -> dz``), softmax included.

Floating inputs keep their dtype (float32 stays float32); integer inputs become float64.
"""

import numpy as np

from .losses import softmax
from .shapes import as_float_array

__all__ = [
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "sign",
    "sign_derivative",
    "step",
    "ACTIVATIONS",
    "LAYER_ACTIVATIONS",
    "activation_forward",
    "activation_backward",
]


def sigmoid(z):
    """Logistic sigmoid, ``1 / (1 + exp(-z))``.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``
        Values in [0, 1].

    Notes
    -----
    Computed as ``exp(-|z|)`` so that no ``exp`` overflows, even for ``|z| > 700``.

    Examples
    --------
    >>> sigmoid([0.0, -1000.0, 1000.0])
    array([0.5, 0. , 1. ])
    """
    z = as_float_array(z, "sigmoid")
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def sigmoid_derivative(z):
    """Derivative of the sigmoid, ``s(z) * (1 - s(z))``.

    At most 0.25 (at ``z = 0``) and nearly 0 once ``|z| > 5``: the saturation that slows
    the learning of deep sigmoid networks.

    Examples
    --------
    >>> float(sigmoid_derivative(0.0))
    0.25
    """
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Hyperbolic tangent, ``(e^z - e^-z) / (e^z + e^-z)``, values in [-1, 1].

    Examples
    --------
    >>> tanh([0.0, 1000.0])
    array([0., 1.])
    """
    return np.tanh(as_float_array(z, "tanh"))


def tanh_derivative(z):
    """Derivative of tanh, ``1 - tanh(z)**2``: 1 at ``z = 0``, four times the sigmoid's slope.

    Examples
    --------
    >>> tanh_derivative([0.0, 3.0]).round(4)
    array([1.    , 0.0099])
    """
    t = tanh(z)
    return 1 - t * t


def relu(z):
    """Rectified linear unit, ``max(0, z)``.

    It does not saturate for ``z > 0`` (its slope stays 1), which is why deep networks use it.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    z = as_float_array(z, "relu")
    return np.maximum(z, 0, dtype=z.dtype)


def relu_derivative(z):
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (0 at ``z = 0`` by convention).

    Examples
    --------
    >>> relu_derivative([-2.0, 0.0, 3.0])
    array([0., 0., 1.])
    """
    z = as_float_array(z, "relu_derivative")
    return (z > 0).astype(z.dtype)


def sign(z):
    """Sign activation: +1 where ``z >= 0``, -1 where ``z < 0``.

    The perceptron's convention: ``sign(0) = +1`` (NumPy's ``np.sign`` gives 0 there).
    The lecture's truth tables use 0/1 outputs: that is :func:`step`.

    Examples
    --------
    >>> sign([-3.0, 0.0, 2.0])
    array([-1.,  1.,  1.])
    """
    z = as_float_array(z, "sign")
    return np.where(z >= 0, 1, -1).astype(z.dtype)


def sign_derivative(z):
    """Derivative of sign: 0 everywhere it exists (which is why perceptrons are not
    trained by gradient descent).

    Examples
    --------
    >>> sign_derivative([-1.0, 2.0])
    array([0., 0.])
    """
    return np.zeros_like(as_float_array(z, "sign_derivative"))


def step(z):
    """Step activation with 0/1 outputs: 1 where ``z >= 0``, else 0.

    ``step(z) == (sign(z) + 1) / 2``: the 0/1 form of the truth tables on the slides.

    Examples
    --------
    >>> step([-3.0, 0.0, 2.0])
    array([0., 1., 1.])
    """
    z = as_float_array(z, "step")
    return (z >= 0).astype(z.dtype)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "sign": (sign, sign_derivative),
    "linear": (lambda z: as_float_array(z, "linear"),
               lambda z: np.ones_like(as_float_array(z, "linear"))),
}
"""Name -> (g, g') for every elementwise activation; softmax lives in :mod:`losses`."""


LAYER_ACTIVATIONS = sorted([*ACTIVATIONS, "softmax"])
"""The names :func:`activation_forward` accepts: the elementwise ones and ``softmax``."""


def activation_forward(z, kind, out=None):
    """Forward pass of an activation layer, ``a = g(z)``, keeping what the backward needs.

    Parameters
    ----------
    z : ndarray, any shape; for softmax (..., K)
    kind : str
        One of :data:`LAYER_ACTIVATIONS` (softmax is taken over the last axis).
    out : ndarray, shape of ``z``, optional
        Where to write ``a`` (a buffer reused from batch to batch).

    Returns
    -------
    a : ndarray, shape of ``z``
    cache : tuple
        ``(kind, z, a)`` for :func:`activation_backward`.

    Notes
    -----
    Softmax subtracts the row maximum first, so no ``exp`` can overflow.

    Examples
    --------
    >>> a, cache = activation_forward(np.array([[-1.0, 2.0]]), "relu")
    >>> a
    array([[0., 2.]])
    """
    if kind not in LAYER_ACTIVATIONS:
        raise ValueError(f"activation_forward: unknown activation {kind!r}; valid names: "
                         f"{', '.join(LAYER_ACTIVATIONS)}.")
    z = as_float_array(z, "activation_forward")
    if out is None:
        out = np.empty_like(z)
    if kind == "relu":
        np.maximum(z, 0, out=out)
    elif kind == "softmax":  # the taught one, so that grading switches both off together
        softmax(z, out=out)
    else:
        out[...] = ACTIVATIONS[kind][0](z)
    return out, (kind, z, out)


def activation_backward(da, cache, out=None):
    """Backward pass of :func:`activation_forward`: the gradient ``dz`` from ``da``.

    Parameters
    ----------
    da : ndarray, shape of ``a``
        Gradient of the loss with respect to the activation's output.
    cache : tuple
        The second value returned by ``activation_forward``.
    out : ndarray, shape of ``a``, optional
        Where to write ``dz``.

    Returns
    -------
    dz : ndarray, shape of ``a``

    Notes
    -----
    Elementwise: ``dz = da * g'(z)``. Softmax over the last axis:
    ``dz = a * (da - sum_k da_k a_k)``.

    Examples
    --------
    >>> a, cache = activation_forward(np.array([[-1.0, 2.0]]), "relu")
    >>> activation_backward(np.array([[5.0, 5.0]]), cache)
    array([[0., 5.]])
    """
    kind, z, a = cache
    da = as_float_array(da, "activation_backward")
    if da.shape != a.shape:
        raise ValueError(f"activation_backward: da has shape {da.shape} but the forward output "
                         f"had shape {a.shape}: expected da of that shape.")
    if out is None:
        out = np.empty_like(a)
    if kind == "relu":
        np.sign(a, out=out)  # a > 0 exactly where z > 0: 1 there, 0 elsewhere (a >= 0)
        out *= da
    elif kind == "softmax":
        np.multiply(da, a, out=out)
        s = out.sum(axis=-1, keepdims=True)
        np.subtract(da, s, out=out)
        out *= a
    else:
        np.multiply(da, ACTIVATIONS[kind][1](z), out=out)
    return out
