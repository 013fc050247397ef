"""Keras-style layers in NumPy: Dense, Activation, Dropout, Flatten (convolutions: conv_layers).

Every layer has ``forward(x, training=False) -> out`` and ``backward(dout) -> dx`` and calls a
kernel (:mod:`course_lib.dense`, :mod:`course_lib.activations`) for the arithmetic; a layer with
parameters keeps them in ``params`` (``[W, b]``) and their gradients in ``grads``. Shapes leave
out the batch axis: ``Dense(10, input_dim=784)`` has ``input_shape == (784,)``. The base class
``Layer`` is in :mod:`course_lib.nn.base`.
"""

import numpy as np

from ..activations import LAYER_ACTIVATIONS, activation_backward, activation_forward
from ..dense import dense_backward, dense_forward
from ..shapes import check_int
from .base import Layer, glorot_uniform

__all__ = ["Layer", "Dense", "Activation", "Dropout", "Flatten", "glorot_uniform"]

class Activation(Layer):
    """Elementwise activation ``a = g(z)``, or softmax over the last axis.

    The arithmetic is :func:`course_lib.activations.activation_forward` and
    :func:`~course_lib.activations.activation_backward`; the layer keeps the cache and buffers.

    Parameters
    ----------
    activation : str
        One of ``linear``, ``relu``, ``sigmoid``, ``sign``, ``softmax``, ``tanh`` (any case);
        kept, lower-cased, in the attribute ``kind``.

    Notes
    -----
    Backward: ``dz = dout * g'(z)``; for softmax ``dz = p * (dout - sum_k dout_k p_k)``.
    Followed by a categorical cross-entropy, ``Sequential`` skips this and uses the shorter
    ``dz = (p - y) / N`` directly.

    Examples
    --------
    >>> layer = Activation("ReLU")
    >>> layer, layer.kind
    (Activation('relu'), 'relu')
    >>> layer.forward(np.array([[-1.0, 2.0]], dtype=np.float32))
    array([[0., 2.]], dtype=float32)
    """

    def __init__(self, activation, input_shape=None, name=None, dtype="float32"):
        if not isinstance(activation, str) or activation.lower() not in LAYER_ACTIVATIONS:
            raise ValueError(f"Activation: unknown activation {activation!r}; valid names: "
                             f"{', '.join(LAYER_ACTIVATIONS)}.")
        self.kind = activation.lower()
        super().__init__(input_shape, name, dtype)

    def forward(self, x, training=False):
        if self.input_shape is None or self._buffers is None:
            x = self._check_input(x)
        out, self._cache = activation_forward(x, self.kind, out=self._buf("out", x.shape))
        return out

    def backward(self, dout, need_dx=True):
        return activation_backward(dout, self._cache, out=self._buf("dx", dout.shape))

    def _repr_args(self):
        return repr(self.kind)


class ActivatedLayer(Layer):
    """A layer ``z = f(x)`` followed by an optional activation (Keras' ``activation=...``).

    Subclasses set ``self.activation`` (an :class:`Activation` layer, or None), compute ``z``
    and return ``self._activate(z, training)`` from ``forward``, and implement
    ``backward_linear(dz, need_dx)``, the gradient of ``f`` alone.
    """

    activation = None

    def _activate(self, z, training):
        return z if self.activation is None else self.activation.forward(z, training)

    def set_dtype(self, dtype):
        super().set_dtype(dtype)
        if self.activation is not None:
            self.activation.set_dtype(dtype)

    def use_buffers(self, on):
        super().use_buffers(on)
        if self.activation is not None:
            self.activation.use_buffers(on)

    def backward(self, dout, need_dx=True):
        """Gradients: fills ``grads`` and returns the input's gradient (None if not needed)."""
        if self.activation is not None:
            dout = self.activation.backward(dout)
        return self.backward_linear(dout, need_dx)

    def _activation_repr(self):
        return "" if self.activation is None else f", activation={self.activation.kind!r}"


class Dense(ActivatedLayer):
    """Fully connected layer ``z = W x + b``; on a batch ``Z = X W^T + b``.

    The arithmetic is :func:`course_lib.dense.dense_forward` and
    :func:`~course_lib.dense.dense_backward`; the layer holds the weights, the buffers it
    reuses between batches and the cache.

    Parameters
    ----------
    units : int
        Number of neurons (outputs).
    input_dim : int, optional
        Number of inputs; needed on the first layer only.
    activation : str, optional
        Applied after the affine map, like a following ``Activation`` layer; the attribute
        ``activation`` holds that :class:`Activation` layer (or None).
    seed : int, optional
        Seed of the weights when the layer is used on its own (default 0); see ``Layer``.

    Attributes
    ----------
    W : ndarray, shape (units, inputs)
    b : ndarray, shape (units,)

    Notes
    -----
    Backward with ``dZ`` of shape (N, units): ``dW = dZ^T X``, ``db = sum_i dZ_i``,
    ``dX = dZ W``. Parameters: ``inputs*units + units``.

    Examples
    --------
    >>> layer = Dense(10, input_dim=784)
    >>> layer, layer.output_shape, layer.count_params()
    (Dense(10, input_dim=784), (10,), 7850)
    """

    def __init__(self, units, input_dim=None, activation=None, input_shape=None, name=None,
                 dtype="float32", *, seed=None):
        self.units = check_int("Dense", "units", units, minimum=1)
        self.activation = None if activation is None else Activation(activation, dtype=dtype)
        if input_dim is not None:
            input_shape = (check_int("Dense", "input_dim", input_dim, minimum=1),)
        self._show_input = input_shape is not None  # in repr, as the user wrote it
        super().__init__(input_shape, name, dtype, seed)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 1:
            raise ValueError(
                f"Dense({self.units}): expects flat inputs of shape (features,), got "
                f"{input_shape}. Add a Flatten() layer before it (a {input_shape} image becomes "
                f"{int(np.prod(input_shape))} features).")
        return (self.units,)

    def param_shapes(self):
        return [] if self.input_shape is None else [(self.units, self.input_shape[0]),
                                                    (self.units,)]

    def forward(self, x, training=False):
        x = self._check_input(x)
        if x.ndim != 2:
            raise ValueError(f"{self!r}: expected a 2-D batch (N, {self.input_shape[0]}), "
                             f"got shape {x.shape}. Add Flatten() before Dense.")
        z, self._cache = dense_forward(x, self.W, self.b,
                                       out=self._buf("z", (x.shape[0], self.units)))
        return self._activate(z, training)

    def backward_linear(self, dz, need_dx=True):
        """Backward of ``z = W x + b`` alone, given ``dz`` (skips the activation)."""
        dx_buf = self._buf("dx", self._cache[0].shape) if need_dx else None
        dx, _, _ = dense_backward(dz, self._cache, need_dx, out=(dx_buf, *self.grads))
        return dx

    def _repr_args(self):
        s = str(self.units)
        if self._show_input:
            s += f", input_dim={self.input_shape[0]}"
        return s + self._activation_repr()


class Dropout(Layer):
    """Inverted dropout: in training keep each value with probability ``1 - rate`` and scale
    it by ``1 / (1 - rate)``; in prediction pass the input through unchanged.

    Parameters
    ----------
    rate : float in [0, 1)
        Fraction of the inputs set to zero in training.
    seed : int, optional
        Seed of the layer's own random generator (a model replaces it with its own).

    Notes
    -----
    Training: ``out = x * mask / (1 - rate)`` with ``mask`` 1 with probability ``1 - rate``
    (``rate`` rounded to a multiple of 1/65536), so the expected output equals ``x``.
    Backward: ``dx = dout * mask / (1 - rate)``.

    Examples
    --------
    >>> x = np.ones((1, 4), dtype=np.float32)
    >>> Dropout(0.5).forward(x)           # not training: unchanged
    array([[1., 1., 1., 1.]], dtype=float32)
    >>> Dropout(0.5).forward(x, training=True, mask=np.array([[1, 0, 1, 0]], bool))
    array([[2., 0., 2., 0.]], dtype=float32)
    """

    def __init__(self, rate, input_shape=None, name=None, dtype="float32", seed=None):
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be a number in [0, 1) (the fraction of values "
                             f"dropped), got {rate!r}.")
        self.rate = float(rate)
        self._threshold = np.uint16(min(round(self.rate * 65536), 65535))
        self.rng = np.random.default_rng(seed)
        super().__init__(input_shape, name, dtype, seed)

    def forward(self, x, training=False, mask=None):
        """``mask`` (bool, shape of ``x``): the values to keep, instead of a random draw."""
        if self.input_shape is None or self._buffers is None:
            x = self._check_input(x)
        if not training or self.rate == 0:
            self._mask = None
            return x
        if mask is None:
            # 16 random bits per value (four per 64-bit draw) are 3x faster than floats;
            # the rate is then rounded to a multiple of 1/65536
            bits = self.rng.bit_generator.random_raw(-(-x.size // 4)).view(np.uint16)
            mask = np.greater_equal(bits[:x.size].reshape(x.shape), self._threshold,
                                    out=self._buf("keep", x.shape, bool))
        # the kept values' factor 1/(1 - rate) folded into the mask: one multiply each way
        self._mask = np.multiply(mask, self.dtype.type(1.0 / (1.0 - self.rate)),
                                 out=self._buf("mask", x.shape))
        return np.multiply(x, self._mask, out=self._buf("out", x.shape))

    def backward(self, dout, need_dx=True):
        if self._mask is None:
            return dout
        return np.multiply(dout, self._mask, out=self._buf("dx", dout.shape))

    def _repr_args(self):
        return f"{self.rate:g}"


class Flatten(Layer):
    """Reshape each example to one row: ``(N, H, W, C) -> (N, H*W*C)``.

    Examples
    --------
    >>> Flatten(input_shape=(5, 5, 16)).output_shape
    (400,)
    """

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training=False):
        x = self._check_input(x)
        return x.reshape(x.shape[0], -1)

    def backward(self, dout, need_dx=True):
        return dout.reshape((dout.shape[0], *self.input_shape))
