"""Keras-style layers in NumPy: Dense, Activation, Dropout, Flatten (convolutions: conv_layers).

Every layer has ``forward(x, training=False) -> out`` and ``backward(dout) -> dx``; a layer with
parameters keeps them in ``params`` (``[W, b]``) and their gradients in ``grads``. Shapes leave
out the batch axis: ``Dense(10, input_dim=784)`` has ``input_shape == (784,)``. The base class
``Layer`` is in :mod:`course_lib.nn.base`.
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..shapes import check_int, dense_params
from .base import Layer, glorot_uniform

__all__ = ["Layer", "Dense", "Activation", "Dropout", "Flatten", "glorot_uniform"]

ACTIVATION_NAMES = sorted([*ACTIVATIONS, "softmax"])


class Activation(Layer):
    """Elementwise activation ``a = g(z)``, or softmax over the last axis.

    Parameters
    ----------
    name : str
        One of ``linear``, ``relu``, ``sigmoid``, ``sign``, ``softmax``, ``tanh``.

    Notes
    -----
    Backward: ``dz = dout * g'(z)``; for softmax ``dz = p * (dout - sum_k dout_k p_k)``.
    Followed by a categorical cross-entropy, ``Sequential`` skips this and uses the shorter
    ``dz = (p - y) / N`` directly.

    Examples
    --------
    >>> Activation("relu").forward(np.array([[-1.0, 2.0]], dtype=np.float32))
    array([[0., 2.]], dtype=float32)
    """

    def __init__(self, activation, input_shape=None, name=None, dtype="float32"):
        if not isinstance(activation, str) or activation.lower() not in ACTIVATION_NAMES:
            raise ValueError(f"Activation: unknown activation {activation!r}; valid names: "
                             f"{', '.join(ACTIVATION_NAMES)}.")
        self.activation = activation.lower()
        super().__init__(input_shape, name, dtype)

    def forward(self, x, training=False):
        if self.input_shape is None or self._buffers is None:
            x = self._check_input(x)
        kind = self.activation
        out = self._buf("out", x.shape)
        if kind == "relu":
            np.maximum(x, 0, out=out)
        elif kind == "softmax":
            np.subtract(x, x.max(axis=-1, keepdims=True), out=out)  # exp cannot overflow
            np.exp(out, out=out)
            out /= out.sum(axis=-1, keepdims=True)
        else:
            out[...] = ACTIVATIONS[kind][0](x)
            self._x = x
        self._out = out
        return out

    def backward(self, dout, need_dx=True):
        kind, out = self.activation, self._out
        dx = self._buf("dx", out.shape)
        if kind == "relu":
            # out > 0 exactly where z > 0: the derivative is 1 there, 0 elsewhere
            np.multiply(dout, np.greater(out, 0, out=self._buf("mask", out.shape, bool)), out=dx)
        elif kind == "softmax":
            np.multiply(dout, out, out=dx)
            s = dx.sum(axis=-1, keepdims=True)
            np.subtract(dout, s, out=dx)
            dx *= out
        else:
            np.multiply(dout, ACTIVATIONS[kind][1](self._x), out=dx)
        return dx

    def _repr_args(self):
        return repr(self.activation)


class ActivatedLayer(Layer):
    """A layer ``z = f(x)`` followed by an optional activation (Keras' ``activation=...``).

    Subclasses set ``self.activation`` (an :class:`Activation` or None), compute ``z`` and
    return ``self._activate(z, training)`` from ``forward``, and implement
    ``backward_linear(dz, need_dx)``, the gradient of ``f`` alone.
    """

    activation = None

    def _activate(self, z, training):
        return z if self.activation is None else self.activation.forward(z, training)

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
        return "" if self.activation is None else f", activation={self.activation.activation!r}"


class Dense(ActivatedLayer):
    """Fully connected layer ``z = W x + b``; on a batch ``Z = X W^T + b``.

    Parameters
    ----------
    units : int
        Number of neurons (outputs).
    input_dim : int, optional
        Number of inputs; needed on the first layer only.
    activation : str, optional
        Applied after the affine map, like a following ``Activation`` layer.

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
                 dtype="float32"):
        self.units = check_int("Dense", "units", units, minimum=1)
        self.activation = None if activation is None else Activation(activation, dtype=dtype)
        if input_dim is not None:
            input_shape = (check_int("Dense", "input_dim", input_dim, minimum=1),)
        self._show_input = input_shape is not None  # in repr, as the user wrote it
        super().__init__(input_shape, name, dtype)

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

    def count_params(self):
        return 0 if self.input_shape is None else dense_params(self.input_shape[0], self.units)

    def init_weights(self, rng):
        if self.built:
            return
        n_in = self.input_shape[0]
        self.W = glorot_uniform((self.units, n_in), n_in, self.units, rng, self.dtype)
        self.b = np.zeros(self.units, dtype=self.dtype)
        self.params = [self.W, self.b]
        self.grads = [np.zeros_like(self.W), np.zeros_like(self.b)]
        self.built = True

    def forward(self, x, training=False):
        x = self._check_input(x)
        if x.ndim != 2:
            raise ValueError(f"{self!r}: expected a 2-D batch (N, {self.input_shape[0]}), "
                             f"got shape {x.shape}. Add Flatten() before Dense.")
        self._x = x
        out = np.matmul(x, self.W.T, out=self._buf("z", (x.shape[0], self.units)))
        out += self.b
        return self._activate(out, training)

    def backward_linear(self, dz, need_dx=True):
        """Backward of ``z = W x + b`` alone, given ``dz`` (skips the activation)."""
        np.matmul(dz.T, self._x, out=self.grads[0])
        np.sum(dz, axis=0, out=self.grads[1])
        if not need_dx:
            return None
        return np.matmul(dz, self.W, out=self._buf("dx", self._x.shape))

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
        super().__init__(input_shape, name, dtype)

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
