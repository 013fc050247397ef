"""The base of every layer: shapes without memory, weights on demand, reusable buffers.

A layer records the shape of one example (``input_shape``, no batch axis) and computes its
``output_shape`` and parameter count from shapes alone; the weights are only allocated by
``init_weights`` (called on the first forward pass), so ``summary()`` of a huge network costs
no memory. While a model trains, ``use_buffers(True)`` lets each layer reuse its output arrays
from batch to batch instead of allocating new ones.
"""

import numpy as np

from ..shapes import check_int

__all__ = ["Layer", "glorot_uniform"]


def glorot_uniform(shape, fan_in, fan_out, rng, dtype=np.float32):
    """Glorot (Xavier) uniform initialisation, Keras' default for Dense and Conv2D.

    Returns an array of ``shape`` drawn uniformly from ``[-limit, limit]`` with
    ``limit = sqrt(6 / (fan_in + fan_out))``.

    Examples
    --------
    >>> w = glorot_uniform((10, 784), 784, 10, np.random.default_rng(0))
    >>> w.dtype, bool(np.abs(w).max() <= np.sqrt(6 / 794))
    (dtype('float32'), True)
    """
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    w = rng.random(shape, dtype=np.float32 if dtype == np.float32 else np.float64)
    w *= 2 * limit
    w -= limit
    return w.astype(dtype, copy=False)


class Layer:
    """Base class: shape bookkeeping, lazy weights, reusable buffers.

    Parameters
    ----------
    input_shape : tuple of int, optional
        Shape of one example (without the batch axis); only needed on the first layer.
    name : str, optional
        Name shown by ``summary()``; the model gives one (``dense_1``) when missing.
    dtype : str or numpy dtype, default "float32"
        Type of the weights and of the computation (float64 for gradient checks).
    seed : int, optional
        Seed of the weights when the layer initialises them itself (the first ``forward`` of
        a layer used on its own). None means 0: a standalone layer always starts from the
        same weights. In a model, ``Sequential``'s own seeded generator is used instead.
    """

    def __init__(self, input_shape=None, name=None, dtype="float32", seed=None):
        self.input_shape = None if input_shape is None else self._as_shape(input_shape)
        self.output_shape = None
        self.name = name
        self.dtype = np.dtype(dtype)
        self.seed = 0 if seed is None else check_int(type(self).__name__, "seed", seed)
        self.params, self.grads = [], []
        self.built = False
        self._buffers = None  # a dict while a model trains: arrays reused from batch to batch
        if self.input_shape is not None:
            self.build(self.input_shape)

    def _as_shape(self, shape):
        if isinstance(shape, (int, np.integer)):
            shape = (shape,)
        try:
            shape = tuple(check_int(type(self).__name__, "input_shape", s, 1) for s in shape)
        except TypeError:
            raise TypeError(f"{type(self).__name__}: input_shape must be a tuple of whole "
                            f"numbers such as (28, 28, 1), got {shape!r}.") from None
        return shape

    # --- shapes and parameters (no memory needed) ------------------------------------------
    def build(self, input_shape):
        """Record the input shape (one example) and compute ``output_shape``."""
        self.input_shape = self._as_shape(input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)

    def compute_output_shape(self, input_shape):
        return input_shape

    def param_shapes(self):
        """Shapes of the parameters, e.g. ``[(units, inputs), (units,)]`` for Dense."""
        return []

    def count_params(self):
        """Number of parameters, computed from the shapes (no weights are allocated)."""
        return int(sum(np.prod(s, dtype=np.int64) for s in self.param_shapes()))

    def set_dtype(self, dtype):
        """Compute in ``dtype`` from now on (before the weights are allocated)."""
        self.dtype = np.dtype(dtype)

    def init_weights(self, rng):
        """Allocate the weights once: ``W`` Glorot uniform, the biases ``b`` zero.

        A layer whose ``param_shapes()`` is ``[W shape, b shape]`` gets ``self.W``,
        ``self.b``, ``params = [W, b]`` and zero ``grads``; a layer without parameters is
        only marked built.

        Parameters
        ----------
        rng : numpy.random.Generator

        Notes
        -----
        For ``W`` of shape ``(out, *window, in)`` (Dense ``(units, inputs)``, Conv2D
        ``(k, f, f, C)``): ``fan_in = prod(window) * in``, ``fan_out = prod(window) * out``,
        and :func:`glorot_uniform` draws from ``[-limit, limit]``,
        ``limit = sqrt(6 / (fan_in + fan_out))``.
        """
        if self.built:
            return
        shapes = self.param_shapes()
        if shapes:
            w_shape, b_shape = shapes
            window = int(np.prod(w_shape[1:-1], dtype=np.int64))
            fan_in, fan_out = window * w_shape[-1], window * w_shape[0]
            self.W = glorot_uniform(w_shape, fan_in, fan_out, rng, self.dtype)
            self.b = np.zeros(b_shape, dtype=self.dtype)
            self.params = [self.W, self.b]
            self.grads = [np.zeros_like(self.W), np.zeros_like(self.b)]
        self.built = True

    def use_buffers(self, on):
        """Reuse output arrays from batch to batch (on while a model trains or predicts).

        An output returned by ``forward`` is then overwritten by the next call."""
        self._buffers = {} if on else None

    def _buf(self, key, shape, dtype=None):
        """An output array: a fresh one, or while training one reused from the last batch."""
        dtype = self.dtype if dtype is None else dtype
        if self._buffers is None:
            return np.empty(shape, dtype=dtype)
        buf = self._buffers.get((key, shape))
        if buf is None:
            buf = self._buffers[(key, shape)] = np.empty(shape, dtype=dtype)
        return buf

    def _check_input(self, x):
        if not self.built:
            if self.input_shape is None:
                self.build(np.shape(x)[1:])
            self.init_weights(np.random.default_rng(self.seed))
        x = np.asarray(x)
        if x.shape[1:] != self.input_shape:
            raise ValueError(
                f"{self!r}: expected inputs of shape (N, {', '.join(map(str, self.input_shape))})"
                f", got {x.shape}. Reshape the input, or give the first layer the right "
                f"input_dim/input_shape (here {self.input_shape}).")
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        return x

    def forward(self, x, training=False):
        raise NotImplementedError

    def backward(self, dout, need_dx=True):
        """Gradient w.r.t. the input from ``dout`` (fills ``grads``); ``need_dx=False``
        lets the first layer of a model skip computing it."""
        raise NotImplementedError

    def _repr_args(self):
        return ""

    def __repr__(self):
        return f"{type(self).__name__}({self._repr_args()})"
