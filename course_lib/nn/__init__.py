"""The framework: Keras-2-shaped layers and models in NumPy, built on the kernels.

Each layer holds its parameters, buffers and cache and calls a kernel of the floor below
(:mod:`course_lib.dense`, :mod:`course_lib.convolution`, :mod:`course_lib.pooling`,
:mod:`course_lib.activations`) for its arithmetic. Shapes leave out the batch axis:
``Dense(10, input_dim=784)`` has ``input_shape == (784,)``.

- :mod:`.base`: ``Layer`` (shapes without memory, weights on demand, reusable buffers);
- :mod:`.layers`: ``Dense``, ``Activation``, ``Dropout``, ``Flatten``;
- :mod:`.conv_layers`: ``Conv2D``, ``MaxPooling2D``, ``AveragePooling2D``;
- :mod:`.optimizers`: ``SGD``, ``RMSprop``;
- :mod:`.sequential`: ``Sequential`` (layers, compile, forward and backward, summary);
  :mod:`.fit`: ``fit``, ``evaluate`` and ``predict``, its loops over mini-batches;
  :mod:`.batch_losses`: the losses of fit's hot loop; :mod:`.history`: the History that
  ``fit`` returns, its progress lines and the summary table;
- :mod:`.architectures`: ``lenet5()``, ``alexnet()``, ``vgg16()``.

:mod:`.keras_bridge` (``to_keras``, ``from_keras``) needs Keras 3 (the ``keras`` extra) and is
imported on its own, never from here.
"""

from .layers import Activation, Dense, Dropout, Flatten
from .conv_layers import AveragePooling2D, Conv2D, MaxPooling2D
from .optimizers import SGD, RMSprop
from .sequential import Sequential
from .architectures import alexnet, lenet5, vgg16

__all__ = [
    "Activation", "Dense", "Dropout", "Flatten", "AveragePooling2D", "Conv2D", "MaxPooling2D",
    "SGD", "RMSprop", "Sequential", "alexnet", "lenet5", "vgg16",
]
