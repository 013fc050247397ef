"""course_lib: the small NumPy library behind the neural-network course notebooks.

Layout convention (the lecture's): height x width x depth.

- an image is ``(H, W, C)``, a batch of images ``(N, H, W, C)``;
- a bank of K filters is ``(K, F, F, C)`` (each filter is as deep as its input), biases ``(K,)``;
- a dense layer's weights are ``(units, inputs)``, so a layer computes ``z = W x + b``; on a
  batch ``X`` of shape ``(N, inputs)`` that is ``Z = X W^T + b`` of shape ``(N, units)``.

Floors, each importing only those below it: kernels (shapes, activations, losses,
convolution, pooling) <- layers and models <- views (plotting, widgets). Data loading and the
grading checks stand apart. Only the view modules import matplotlib or ipywidgets.
"""

# kernels
from .shapes import check_int, conv_output_size, conv_params, dense_params, pool_output_size
from .activations import (
    ACTIVATIONS,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    sign,
    sign_derivative,
    step,
    tanh,
    tanh_derivative,
)
from .losses import cross_entropy, one_hot, softmax, softmax_cross_entropy_gradient
from .convolution import conv2d, conv2d_backward, conv2d_forward, conv2d_loops
from .pooling import (
    avg_pool2d,
    avg_pool2d_backward,
    avg_pool2d_forward,
    avg_pool2d_loops,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_forward,
    max_pool2d_loops,
)
# layers and models
from .layers import Activation, Dense, Dropout, Flatten
from .conv_layers import AveragePooling2D, Conv2D, MaxPooling2D
from .optimizers import SGD, RMSprop
from .model import Sequential
from .architectures import alexnet, lenet5, vgg16

__version__ = "0.1.0"


def __getattr__(name):
    # Data loading stands apart and is imported on first use, so that `python -m
    # course_lib.data` (make data) does not find course_lib.data already imported.
    if name == "load_mnist":
        from .data import load_mnist

        return load_mnist
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


__all__ = [
    "check_int", "conv_output_size", "conv_params", "dense_params", "pool_output_size",
    "ACTIVATIONS", "relu", "relu_derivative", "sigmoid", "sigmoid_derivative", "sign",
    "sign_derivative", "step", "tanh", "tanh_derivative",
    "cross_entropy", "one_hot", "softmax", "softmax_cross_entropy_gradient",
    "conv2d", "conv2d_backward", "conv2d_forward", "conv2d_loops",
    "avg_pool2d", "avg_pool2d_backward", "avg_pool2d_forward", "avg_pool2d_loops",
    "max_pool2d", "max_pool2d_backward", "max_pool2d_forward", "max_pool2d_loops",
    "load_mnist",
    "Activation", "Dense", "Dropout", "Flatten", "AveragePooling2D", "Conv2D", "MaxPooling2D",
    "SGD", "RMSprop", "Sequential", "alexnet", "lenet5", "vgg16",
]
