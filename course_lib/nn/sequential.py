"""``Sequential``: a stack of layers with Keras 2's ``add / compile / fit / evaluate / predict``.

The lab's Keras code runs on it nearly verbatim::

    model = Sequential()
    model.add(Dense(10, input_dim=784))
    model.add(Activation("relu"))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(), metrics=["accuracy"])
    history = model.fit(X_train, Y_train, epochs=10, batch_size=256,
                        validation_data=(X_test, Y_test), verbose=2)
"""

import re
from contextlib import contextmanager

import numpy as np

from ..speed.threads import one_blas_thread
from .batch_losses import check_loss, check_targets, check_x, loss_gradient, loss_sum
from .conv_layers import Conv2D
from .fit import FitLoop
from .history import summary_table
from .layers import ActivatedLayer, Activation, Layer
from .optimizers import get_optimizer

__all__ = ["Sequential"]

_METRICS = ("accuracy", "acc")


def _snake(name):
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


class Sequential(FitLoop):
    """A plain stack of layers, each feeding the next.

    ``fit``, ``evaluate`` and ``predict`` (the loops over mini-batches) are in
    :class:`course_lib.nn.fit.FitLoop`.

    Parameters
    ----------
    layers : list of Layer, optional
        The layers, in order (more can be added with :meth:`add`).
    name : str, default "sequential"
    seed : int, optional
        Seed of the weights' initialisation, the shuffling and the dropout masks:
        two models built and trained with the same seed are identical.
    dtype : str, optional
        Override every layer's dtype (``"float64"`` for gradient checks).

    Examples
    --------
    >>> from course_lib import Dense, Activation
    >>> model = Sequential([Dense(10, input_dim=784), Activation("relu"), Dense(10)])
    >>> model.count_params()
    7960
    """

    def __init__(self, layers=None, name="sequential", seed=None, dtype=None):
        self.layers, self.name, self.dtype = [], name, dtype
        self.rng = np.random.default_rng(seed)
        self.loss = self.optimizer = None
        self.metrics, self.history, self._buffering = [], None, False
        self._counts = {}
        for layer in layers or []:
            self.add(layer)

    # --- building -------------------------------------------------------------------------
    def add(self, layer):
        """Append a layer; its input shape is the previous layer's output shape."""
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: expected a layer such as Dense(10), got "
                            f"{layer!r} of type {type(layer).__name__}.")
        if self.dtype is not None:
            layer.set_dtype(self.dtype)
        if layer.name is None:
            base = _snake(type(layer).__name__)
            self._counts[base] = self._counts.get(base, 0) + 1
            layer.name = f"{base}_{self._counts[base]}"
        if self.layers and self.layers[-1].output_shape is not None:
            prev = self.layers[-1].output_shape
            if layer.input_shape is not None and layer.input_shape != prev:
                raise ValueError(
                    f"Sequential.add: {layer!r} was given input_shape {layer.input_shape} but "
                    f"the layer before it outputs {prev}. Remove input_shape/input_dim (only "
                    "the first layer needs it).")
            layer.build(prev)
        self.layers.append(layer)

    def _require_shapes(self, func):
        if not self.layers:
            raise ValueError(f"{func}: the model has no layers yet; add some with model.add().")
        first = self.layers[0]
        if first.input_shape is None:
            raise ValueError(
                f"{func}: the first layer, {first!r}, does not know the size of its input. "
                "Give it one: Dense(10, input_dim=784), or Conv2D(6, 5, input_shape=(28, 28, 1))"
                " (Flatten and the other layers take input_shape too).")

    @property
    def input_shape(self):
        return None if not self.layers else (None, *self.layers[0].input_shape)

    @property
    def output_shape(self):
        self._require_shapes("Sequential.output_shape")
        return (None, *self.layers[-1].output_shape)

    def count_params(self):
        """Total number of parameters, from the shapes alone (no weights are allocated)."""
        self._require_shapes("Sequential.count_params")
        return sum(layer.count_params() for layer in self.layers)

    def build(self, rng=None):
        """Allocate all the weights (done by the first fit/predict/get_weights)."""
        self._require_shapes("Sequential.build")
        for layer in self.layers:
            layer.init_weights(self.rng if rng is None else rng)

    @property
    def params(self):
        self.build()
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self):
        return [g for layer in self.layers for g in layer.grads]

    def get_weights(self):
        """Copies of all parameter arrays, layer by layer (Dense: ``W (units, inputs)``, ``b``)."""
        return [p.copy() for p in self.params]

    def set_weights(self, weights):
        """Overwrite the parameters with arrays of the same shapes (as from get_weights)."""
        params = self.params
        if len(weights) != len(params):
            raise ValueError(f"Sequential.set_weights: expected {len(params)} arrays, got "
                             f"{len(weights)}.")
        for i, (p, w) in enumerate(zip(params, weights, strict=True)):
            if np.shape(w) != p.shape:
                raise ValueError(f"Sequential.set_weights: array {i} has shape {np.shape(w)}, "
                                 f"expected {p.shape}.")
            p[...] = w

    # --- forward and backward -------------------------------------------------------------
    @contextmanager
    def _running_batches(self):
        """The loops over mini-batches run in this: the layers reuse their output arrays, and
        a ConvNet's small matrix products run on a one-thread BLAS, the convolutions splitting
        the batch between the cores themselves (:func:`~course_lib.speed.threads.one_blas_thread`).
        """
        if self._buffering:
            yield
            return
        self._buffering = True
        for layer in self.layers:
            layer.use_buffers(True)
        try:
            with one_blas_thread(any(isinstance(layer, Conv2D) for layer in self.layers)):
                yield
        finally:
            self._buffering = False
            for layer in self.layers:
                layer.use_buffers(False)

    def forward(self, x, training=False):
        """Output of the network for a batch ``x`` (Dropout is active only if ``training``)."""
        self.build()
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def _backward_from_loss(self, dloss):
        """Backward through every layer, ``dloss`` being what ``loss_gradient`` returned."""
        layers = self.layers
        i = len(layers) - 1
        if self._fused:  # dloss is already the gradient at the softmax's input
            last = layers[i]
            if not isinstance(last, Activation):  # Dense(..., activation="softmax")
                dloss = last.backward_linear(dloss, need_dx=i > 0)
            i -= 1
        for j in range(i, -1, -1):
            dloss = layers[j].backward(dloss, need_dx=j > 0)

    def gradients(self, x, y, training=False):
        """Mean loss on the batch and its gradients w.r.t. ``params`` (same order).

        Returns
        -------
        loss : float
        grads : list of ndarray
            Views of the layers' gradient arrays (overwritten by the next call).
        """
        self._check_compiled("Sequential.gradients")
        x, y = self._check_data(x, y, "Sequential.gradients")
        out = self.forward(x, training)
        loss = loss_sum(self.loss, out, y) / len(x)
        self._backward_from_loss(loss_gradient(self.loss, out, y, np.empty_like(out)))
        return loss, self.grads

    # --- compile (fit, evaluate and predict: FitLoop) ------------------------------------
    def compile(self, loss="categorical_crossentropy", optimizer="rmsprop", metrics=None):
        """Choose the loss, the optimizer (object or "rmsprop"/"sgd") and metrics."""
        self._require_shapes("Sequential.compile")
        loss = check_loss(loss)
        metrics = [] if metrics is None else list(metrics)
        for m in metrics:
            if m not in _METRICS:
                raise ValueError(f"Sequential.compile: unknown metric {m!r}; valid metrics: "
                                 f"{', '.join(map(repr, _METRICS))}.")
        last = self.layers[-1]
        act = last.activation if isinstance(last, ActivatedLayer) else last
        softmax_last = isinstance(act, Activation) and act.kind == "softmax"
        if loss.endswith("crossentropy") and not softmax_last:
            raise ValueError(
                f"Sequential.compile: {loss} needs probabilities, but the last layer is "
                f"{last!r}. End the model with Activation('softmax') (or Dense(10, "
                "activation='softmax')).")
        self.loss, self.optimizer, self.metrics = loss, get_optimizer(optimizer), metrics
        self._fused = loss.endswith("crossentropy")

    def _check_compiled(self, func):
        if self.loss is None:
            raise ValueError(f"{func}: the model is not compiled yet. Call model.compile("
                             "loss='categorical_crossentropy', optimizer=RMSprop(), "
                             "metrics=['accuracy']) first.")

    def _check_x(self, x, func):
        self._require_shapes(func)
        return check_x(self.layers[0], x, func)

    def _check_data(self, x, y, func):
        x = self._check_x(x, func)
        return x, check_targets(self.loss, self.layers[-1], x, y, func)

    # --- display --------------------------------------------------------------------------
    def summary(self, print_fn=print):
        """Print the Keras table: layer (type), output shape and parameter count."""
        self._require_shapes("Sequential.summary")
        rows = [(f"{layer.name} ({type(layer).__name__})",
                 str((None, *layer.output_shape)), str(layer.count_params()))
                for layer in self.layers]
        print_fn(summary_table(self.name, rows, self.count_params()))

    def __repr__(self):
        return f"Sequential([{', '.join(map(repr, self.layers))}])"
