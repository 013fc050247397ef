"""Convolution and pooling layers on image batches ``(N, H, W, C)``.

The arithmetic is in :mod:`course_lib.convolution` and :mod:`course_lib.pooling`; these classes
add shapes, weights and the Keras-style interface.
"""

import numpy as np

from ..convolution import conv2d_backward, conv2d_forward
from ..pooling import (
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)
from ..shapes import check_int, conv_output_size, pool_output_size
from .layers import ActivatedLayer, Activation, Layer

__all__ = ["Conv2D", "MaxPooling2D", "AveragePooling2D"]


def _size(func, name, value):
    """An int, or a square Keras-style tuple such as (3, 3)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or value[0] != value[1]:
            raise ValueError(f"{func}: {name} must be square, got {tuple(value)}; give one "
                             "number such as 3 (meaning 3x3).")
        value = value[0]
    return check_int(func, name, value, minimum=1)


def _check_image_shape(layer, input_shape):
    if len(input_shape) != 3:
        raise ValueError(f"{layer!r}: expects images of shape (height, width, depth), got "
                         f"{input_shape}. For grey images use input_shape=(28, 28, 1).")


class Conv2D(ActivatedLayer):
    """Convolutional layer: ``k`` filters of ``f x f x depth``, slid with ``stride``.

    Parameters
    ----------
    k : int
        Number of filters (the output depth). Keras: ``filters``.
    f : int or (int, int)
        Filter width and height. Keras: ``kernel_size``.
    stride : int, default 1
        Keras: ``strides``.
    pad : int, default 0
        Zeros added on each side. Keras' ``padding="same"`` means ``pad=(f-1)/2``.
    input_shape : (H, W, C), optional
        Needed on the first layer only.
    activation : str, optional
        Applied after the convolution, like a following ``Activation`` layer; the attribute
        ``activation`` holds that :class:`Activation` layer (or None). ``"relu"`` is fused
        into the kernel (``conv2d_forward(..., relu=True)``): the same numbers, fewer passes.
    seed : int, optional
        Seed of the weights when the layer is used on its own (default 0); see ``Layer``.

    Attributes
    ----------
    W : ndarray, shape (k, f, f, C)
    b : ndarray, shape (k,)

    Notes
    -----
    Output ``(N, H', W', k)`` with ``H' = (H - f + 2 pad) / stride + 1``;
    parameters ``f*f*C*k + k``.

    Examples
    --------
    >>> conv = Conv2D(6, 5, input_shape=(32, 32, 1))
    >>> conv.output_shape, conv.count_params()
    ((28, 28, 6), 156)
    """

    def __init__(self, k=None, f=None, stride=1, pad=0, input_shape=None, activation=None,
                 name=None, dtype="float32", *, filters=None, kernel_size=None, strides=None,
                 padding=None, seed=None):
        k, f = (filters if k is None else k), (kernel_size if f is None else f)
        if k is None or f is None:
            raise TypeError("Conv2D: give the number of filters and their size, e.g. "
                            "Conv2D(6, 5) for six 5x5 filters.")
        self.k = check_int("Conv2D", "k", k, minimum=1)
        self.f = _size("Conv2D", "f", f)
        self.stride = _size("Conv2D", "stride", stride if strides is None else strides)
        if padding is not None:
            if padding not in ("valid", "same"):
                raise ValueError(f"Conv2D: padding must be 'valid' or 'same', got {padding!r}.")
            if padding == "same" and (self.f % 2 == 0 or self.stride != 1):
                raise ValueError("Conv2D: padding='same' needs an odd f and stride 1; give pad=.")
            pad = (self.f - 1) // 2 if padding == "same" else 0
        self.pad = check_int("Conv2D", "pad", pad, minimum=0)
        self.activation = None if activation is None else Activation(activation, dtype=dtype)
        super().__init__(input_shape, name, dtype, seed)

    def compute_output_shape(self, input_shape):
        _check_image_shape(self, input_shape)
        h, w, _ = input_shape
        return (conv_output_size(h, self.f, self.stride, self.pad),
                conv_output_size(w, self.f, self.stride, self.pad), self.k)

    def param_shapes(self):
        if self.input_shape is None:
            return []
        return [(self.k, self.f, self.f, self.input_shape[2]), (self.k,)]

    def forward(self, x, training=False):
        x = self._check_input(x)
        fused = self.activation is not None and self.activation.kind == "relu"
        out, self._cache = conv2d_forward(x, self.W, self.b, stride=self.stride, pad=self.pad,
                                          relu=fused)
        return out if fused else self._activate(out, training)

    def backward(self, dout, need_dx=True):
        """Gradients: fills ``grads``; returns the input's gradient (None if not needed)."""
        if self._cache[-1] is not None:  # ReLU fused into the kernel: it masks dout itself
            return self.backward_linear(dout, need_dx)
        return super().backward(dout, need_dx)

    def backward_linear(self, dz, need_dx=True):
        """Backward of the convolution alone, given the gradient ``dz`` at its output (with a
        fused ReLU, masking ``dz`` again by ``out > 0`` changes nothing)."""
        dx, dw, db = conv2d_backward(dz, self._cache, need_dx=need_dx)
        np.copyto(self.grads[0], dw)
        np.copyto(self.grads[1], db)
        return dx

    def _repr_args(self):
        s = f"{self.k}, {self.f}"
        if self.stride != 1:
            s += f", stride={self.stride}"
        if self.pad:
            s += f", pad={self.pad}"
        return s + self._activation_repr()


class _Pooling2D(Layer):
    _forward = _backward = None

    def __init__(self, f=2, stride=None, input_shape=None, name=None, dtype="float32", *,
                 pool_size=None, strides=None):
        func = type(self).__name__
        self.f = _size(func, "f", f if pool_size is None else pool_size)
        stride = stride if strides is None else strides
        self.stride = self.f if stride is None else _size(func, "stride", stride)
        super().__init__(input_shape, name, dtype)

    def compute_output_shape(self, input_shape):
        _check_image_shape(self, input_shape)
        h, w, c = input_shape
        return (pool_output_size(h, self.f, self.stride), pool_output_size(w, self.f, self.stride),
                c)

    def forward(self, x, training=False):
        x = self._check_input(x)
        out, self._cache = type(self)._forward(x, f=self.f, stride=self.stride)
        return out

    def backward(self, dout, need_dx=True):
        return type(self)._backward(dout, self._cache)

    def _repr_args(self):
        return f"f={self.f}, stride={self.stride}"


class MaxPooling2D(_Pooling2D):
    """Max pooling: the largest value of each ``f x f`` window, depth by depth.

    Parameters
    ----------
    f : int, default 2
        Window width (Keras: ``pool_size``).
    stride : int, optional
        Step between windows; defaults to ``f`` (Keras: ``strides``).

    Notes
    -----
    Output ``(N, (H - f)/stride + 1, (W - f)/stride + 1, C)``; no parameters. Backward sends
    each window's gradient to the position of its maximum.

    Examples
    --------
    >>> MaxPooling2D(input_shape=(28, 28, 6)).output_shape
    (14, 14, 6)
    """

    _forward = staticmethod(max_pool2d_forward)
    _backward = staticmethod(max_pool2d_backward)


class AveragePooling2D(_Pooling2D):
    """Average pooling: the mean of each ``f x f`` window, depth by depth.

    Same parameters and output shape as :class:`MaxPooling2D`; backward spreads each
    window's gradient evenly, ``dout / f^2``, over the window.

    Examples
    --------
    >>> AveragePooling2D(3, stride=2, input_shape=(55, 55, 96)).output_shape
    (27, 27, 96)
    """

    _forward = staticmethod(avg_pool2d_forward)
    _backward = staticmethod(avg_pool2d_backward)
