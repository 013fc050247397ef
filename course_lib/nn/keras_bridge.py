"""The same network in course_lib and in Keras 3: ``to_keras`` and ``from_keras``.

A course ``Sequential`` of ``Dense``, ``Activation``, ``Dropout``, ``Flatten``, ``Conv2D``,
``MaxPooling2D`` and ``AveragePooling2D`` becomes a ``keras.Sequential`` with the same weights,
and back. The two then compute the same numbers (float32 round-off only): the same
predictions, the same parameter counts, the same RMSprop step (tests/course_lib/nn/
test_keras_bridge.py). Keras is optional (``pip install -e ".[keras]"``); importing this module
without it raises ImportError with that command.

Weights differ only in layout:

===========  ======================  ========================
layer        course_lib              Keras (channels last)
===========  ======================  ========================
Dense        ``W (units, inputs)``   ``kernel (inputs, units)``: ``W.T``
Conv2D       ``W (k, f, f, depth)``  ``kernel (f, f, depth, k)``
Conv2D pad   ``pad=p``               ``ZeroPadding2D(p)`` before a ``"valid"`` Conv2D
===========  ======================  ========================

Keras 3 needs a backend; the course uses JAX on the CPU and sets ``KERAS_BACKEND=jax`` when
the environment does not choose one (Keras' own default, TensorFlow, is not installed).
"""

import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
try:
    import keras
except ImportError as err:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "course_lib.nn.keras_bridge needs Keras 3 and JAX: pip install -e \".[keras]\" "
        "(or make setup, which installs them)") from err

from .conv_layers import AveragePooling2D, Conv2D, MaxPooling2D
from .layers import Activation, Dense, Dropout, Flatten
from .optimizers import SGD, RMSprop
from .sequential import Sequential

__all__ = ["to_keras", "from_keras"]

KERAS_ACTIVATIONS = ("linear", "relu", "sigmoid", "softmax", "tanh")
SUPPORTED = ("Dense", "Activation", "Dropout", "Flatten", "Conv2D", "ZeroPadding2D",
             "MaxPooling2D", "AveragePooling2D")


def _activation(layer, kind):
    if kind not in KERAS_ACTIVATIONS:
        raise ValueError(f"to_keras: {layer!r} uses the activation {kind!r}, which Keras does "
                         f"not have; Keras' activations here: {', '.join(KERAS_ACTIVATIONS)}.")
    return kind


def _keras_layers(layer):
    """The Keras layers computing what ``layer`` computes (a padded Conv2D gives two)."""
    act = getattr(layer, "activation", None)
    act = None if act is None else _activation(layer, act.kind)
    if isinstance(layer, Dense):
        return [keras.layers.Dense(layer.units, activation=act, name=layer.name)]
    if isinstance(layer, Conv2D):
        conv = keras.layers.Conv2D(layer.k, layer.f, strides=layer.stride, padding="valid",
                                   activation=act, name=layer.name)
        return [keras.layers.ZeroPadding2D(layer.pad), conv] if layer.pad else [conv]
    if isinstance(layer, (MaxPooling2D, AveragePooling2D)):
        pool = getattr(keras.layers, type(layer).__name__)
        return [pool(pool_size=layer.f, strides=layer.stride, name=layer.name)]
    if isinstance(layer, Activation):
        return [keras.layers.Activation(_activation(layer, layer.kind), name=layer.name)]
    if isinstance(layer, Dropout):
        return [keras.layers.Dropout(layer.rate, name=layer.name)]
    if isinstance(layer, Flatten):
        return [keras.layers.Flatten(name=layer.name)]
    raise ValueError(f"to_keras: no Keras layer for {layer!r}; supported: Dense, Activation, "
                     "Dropout, Flatten, Conv2D, MaxPooling2D, AveragePooling2D.")


def _keras_weights(layer):
    if isinstance(layer, Dense):
        return [layer.W.T, layer.b]
    if isinstance(layer, Conv2D):
        return [layer.W.transpose(1, 2, 3, 0), layer.b]
    return []


def _keras_optimizer(optimizer):
    if isinstance(optimizer, RMSprop):
        if not optimizer.eps_in_sqrt:
            raise ValueError(f"to_keras: {optimizer!r} is Keras 2's RMSprop (epsilon after the "
                             "root); Keras 3's puts it inside. Compile with RMSprop() to get "
                             "Keras 3's numbers.")
        return keras.optimizers.RMSprop(learning_rate=optimizer.learning_rate,
                                        rho=optimizer.rho, epsilon=optimizer.epsilon)
    if isinstance(optimizer, SGD):
        return keras.optimizers.SGD(learning_rate=optimizer.learning_rate,
                                    momentum=optimizer.momentum)
    raise ValueError(f"to_keras: no Keras optimizer for {optimizer!r}.")


def to_keras(model):
    """A ``keras.Sequential`` with ``model``'s layers and weights (compiled like it, if it is).

    Parameters
    ----------
    model : course_lib.nn.Sequential
        Its first layer must know its input shape. Weights not yet allocated are allocated
        (from the model's seed) first, so both models start from the same numbers.

    Returns
    -------
    keras.Sequential
        ``predict(x)`` on a batch ``x`` of shape ``(N, *model.input_shape[1:])`` gives
        ``model.predict(x)`` up to float32 round-off.

    Raises
    ------
    ValueError
        For a layer or activation Keras does not have (``Activation("sign")``).
    """
    model.build()
    layers = [(layer, _keras_layers(layer)) for layer in model.layers]
    kmodel = keras.Sequential([keras.Input(shape=model.layers[0].input_shape)]
                              + [k for _, ks in layers for k in ks], name=model.name)
    for layer, ks in layers:
        weights = _keras_weights(layer)
        if weights:
            # copies: JAX on the CPU may share a NumPy array's memory, and the course model's
            # next step, which updates its arrays in place, would move Keras' weights too
            ks[-1].set_weights([np.array(w, dtype=np.float32, order="C") for w in weights])
    if model.loss is not None:
        kmodel.compile(loss=model.loss, optimizer=_keras_optimizer(model.optimizer),
                       metrics=model.metrics or None)
    return kmodel


def _layer_from_keras(klayer, pad, first_shape):
    kind = type(klayer).__name__
    config = klayer.get_config()
    act = config.get("activation")
    act = None if act in (None, "linear") and kind != "Activation" else act
    kw = {"name": klayer.name}
    if first_shape is not None:
        kw["input_shape"] = first_shape
    if kind == "Dense":
        kernel, bias = klayer.get_weights()
        return Dense(config["units"], activation=act, **kw), [kernel.T, bias]
    if kind == "Conv2D":
        return _conv_from_keras(klayer, config, act, pad, kw)
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        if config["padding"] != "valid":
            raise ValueError(f"from_keras: {klayer.name} pools with padding='same'; course_lib "
                             "pools with padding='valid' only.")
        pool = MaxPooling2D if kind == "MaxPooling2D" else AveragePooling2D
        return pool(config["pool_size"], stride=config["strides"], **kw), []
    if kind == "Activation":
        return Activation(act, **kw), []
    if kind == "Dropout":
        return Dropout(config["rate"], **kw), []
    if kind == "Flatten":
        return Flatten(**kw), []
    raise ValueError(f"from_keras: course_lib has no layer for Keras' {kind} ({klayer.name}); "
                     f"supported: {', '.join(SUPPORTED)}.")


def _conv_from_keras(klayer, config, act, pad, kw):
    f, stride = config["kernel_size"], config["strides"]
    if config["padding"] == "same":
        if pad or stride != (1, 1) or f[0] % 2 == 0:
            raise ValueError(f"from_keras: {klayer.name} uses padding='same' with {f} filters "
                             f"and strides {stride}; course_lib needs an odd size and stride 1.")
        pad = (f[0] - 1) // 2
    kernel, bias = klayer.get_weights()
    conv = Conv2D(config["filters"], f, stride=stride, pad=pad, activation=act, **kw)
    return conv, [kernel.transpose(3, 0, 1, 2), bias]


def _symmetric_pad(klayer):
    (top, bottom), (left, right) = klayer.get_config()["padding"]
    if not top == bottom == left == right:
        raise ValueError(f"from_keras: {klayer.name} pads unevenly ({top}, {bottom}, {left}, "
                         f"{right}); course_lib pads every side alike.")
    return top


def from_keras(kmodel, seed=None):
    """A course ``Sequential`` with ``kmodel``'s layers and weights (not compiled).

    Parameters
    ----------
    kmodel : keras.Sequential
        Built (it knows its input shape), of the layers in ``SUPPORTED``; a
        ``ZeroPadding2D`` must be followed by a ``Conv2D``, which takes it as ``pad``.
    seed : int, optional
        The course model's seed (shuffling and dropout masks in ``fit``).

    Returns
    -------
    course_lib.nn.Sequential
    """
    if not kmodel.built:
        raise ValueError("from_keras: the Keras model is not built; give it keras.Input("
                         "shape=...) as first layer, or call it on a batch first.")
    layers, weights, pad = [], [], 0
    first_shape = tuple(kmodel.inputs[0].shape[1:])
    klayers = kmodel.layers
    for i, klayer in enumerate(klayers):
        if type(klayer).__name__ == "ZeroPadding2D":
            nxt = klayers[i + 1] if i + 1 < len(klayers) else None
            if type(nxt).__name__ != "Conv2D":
                raise ValueError(f"from_keras: {klayer.name} is not followed by a Conv2D; "
                                 "course_lib pads only inside Conv2D(pad=...).")
            pad = _symmetric_pad(klayer)
            continue
        layer, w = _layer_from_keras(klayer, pad, None if layers else first_shape)
        layers.append(layer)
        weights += w
        pad = 0
    model = Sequential(layers, name=kmodel.name, seed=seed)
    model.set_weights(weights)
    return model
