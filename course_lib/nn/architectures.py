"""The lecture's classic networks as ``Sequential`` models: LeNet-5, AlexNet, VGG16.

Building one allocates no weights, so ``vgg16().summary()`` and ``count_params()`` are instant
and cost no memory; the weights appear on the first ``fit``, ``predict`` or ``get_weights``.
"""

from .conv_layers import AveragePooling2D, Conv2D, MaxPooling2D
from .layers import Activation, Dense, Dropout, Flatten
from .sequential import Sequential

__all__ = ["lenet5", "alexnet", "vgg16"]


def _pooling(kind, func):
    pools = {"max": MaxPooling2D, "average": AveragePooling2D}
    if kind not in pools:
        raise ValueError(f"{func}: pooling must be 'max' or 'average', got {kind!r}.")
    return pools[kind]


def lenet5(input_shape=(32, 32, 1), activation="relu", pooling="max", classes=10, seed=None):
    """LeNet-5 as usually rebuilt: conv 6@5x5, pool, conv 16@5x5, pool, FC 120-84-classes.

    Parameters
    ----------
    input_shape : (H, W, C), default (32, 32, 1)
        LeNet's 32x32 input; for MNIST's 28x28 images the first convolution is padded by 2,
        so the shapes (and the 61,706 parameters) stay the same.
    activation : str, default "relu"
        "tanh" with ``pooling="average"`` is closer to the 1998 original.
    pooling : {"max", "average"}, default "max"
    classes : int, default 10
    seed : int, optional
        Seed of the model (initial weights, shuffling).

    Examples
    --------
    >>> lenet5().count_params(), lenet5(input_shape=(28, 28, 1)).count_params()
    (61706, 61706)
    """
    pool = _pooling(pooling, "lenet5")
    pad = 2 if tuple(input_shape[:2]) == (28, 28) else 0
    return Sequential([
        Conv2D(6, 5, pad=pad, input_shape=input_shape, activation=activation),
        pool(2, stride=2),
        Conv2D(16, 5, activation=activation),
        pool(2, stride=2),
        Flatten(),
        Dense(120, activation=activation),
        Dense(84, activation=activation),
        Dense(classes),
        Activation("softmax"),
    ], name="lenet5", seed=seed)


def alexnet(input_shape=(227, 227, 3), classes=1000, dropout=0.5, seed=None):
    """AlexNet (2012) in one tower: five convolutions, three max pools, FC 4096-4096-1000.

    ``conv 96@11x11/4 -> pool 3/2 -> conv 256@5x5 pad 2 -> pool 3/2 -> conv 384@3x3 pad 1 ->
    conv 384@3x3 pad 1 -> conv 256@3x3 pad 1 -> pool 3/2 -> FC 4096 -> FC 4096 -> FC 1000``,
    with ReLU and dropout after each hidden FC layer; the local response normalisation of
    the paper is left out (it has no parameters).

    Examples
    --------
    >>> alexnet().count_params()
    62378344
    """
    return Sequential([
        Conv2D(96, 11, stride=4, input_shape=input_shape, activation="relu"),
        MaxPooling2D(3, stride=2),
        Conv2D(256, 5, pad=2, activation="relu"),
        MaxPooling2D(3, stride=2),
        Conv2D(384, 3, pad=1, activation="relu"),
        Conv2D(384, 3, pad=1, activation="relu"),
        Conv2D(256, 3, pad=1, activation="relu"),
        MaxPooling2D(3, stride=2),
        Flatten(),
        Dense(4096, activation="relu"),
        Dropout(dropout),
        Dense(4096, activation="relu"),
        Dropout(dropout),
        Dense(classes),
        Activation("softmax"),
    ], name="alexnet", seed=seed)


def vgg16(input_shape=(224, 224, 3), classes=1000, seed=None):
    """VGG16 (configuration D): 13 convolutions 3x3 pad 1 in five blocks, each block ending
    in a 2x2/2 max pool, then FC 4096-4096-1000.

    Examples
    --------
    >>> vgg16().count_params()
    138357544
    """
    layers = []
    for i, (k, n) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]):
        for j in range(n):
            first = i == 0 and j == 0
            layers.append(Conv2D(k, 3, pad=1, activation="relu",
                                 input_shape=input_shape if first else None))
        layers.append(MaxPooling2D(2, stride=2))
    layers += [Flatten(), Dense(4096, activation="relu"), Dropout(0.5),
               Dense(4096, activation="relu"), Dropout(0.5), Dense(classes),
               Activation("softmax")]
    return Sequential(layers, name="vgg16", seed=seed)
