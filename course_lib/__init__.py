"""course_lib: the small NumPy library behind the neural-network course notebooks.

Layout convention (the lecture's): height x width x depth.

- an image is ``(H, W, C)``, a batch of images ``(N, H, W, C)``;
- a bank of K filters is ``(K, F, F, C)`` (each filter is as deep as its input), biases ``(K,)``;
- a dense layer's weights are ``(units, inputs)``, so a layer computes ``z = W x + b``; on a
  batch ``X`` of shape ``(N, inputs)`` that is ``Z = X W^T + b`` of shape ``(N, units)``.

The tree shows the floors; each imports only the floors below it (``tests/test_floors.py``):

1. the taught kernels, at the top of the package: :mod:`.shapes`, :mod:`.activations`,
   :mod:`.losses`, :mod:`.dense`, :mod:`.convolution` (its patch matrices built a few images
   at a time by :mod:`.speed.im2col`; long passes split between the cores by
   :mod:`.speed.threads`),
   :mod:`.pooling`, :mod:`.gradient_check`: pure NumPy functions, a ``forward -> (out,
   cache)`` / ``backward(dout, cache) -> grads`` pair wherever a network trains through them;
2. :mod:`.nn`: the Keras-shaped framework (layers that hold parameters, buffers and caches and
   call the kernels; optimizers; ``Sequential``; LeNet-5, AlexNet, VGG16);
3. :mod:`.views`: plots and widgets, the only modules that import matplotlib or ipywidgets.

Apart from the floors: :mod:`.data` (MNIST) and :mod:`.checking` (the student's side of
checking: instant checks, blank answers, each student's numbers, 07's harness). Grading is the
instructor's package, ``course_grader``, which nothing here imports.
"""

# 1. kernels
from .shapes import check_int, conv_output_size, conv_params, dense_params, pool_output_size
from .activations import (
    ACTIVATIONS,
    activation_backward,
    activation_forward,
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
from .dense import dense_backward, dense_forward, dense_loops
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
# 2. the framework
from .nn import (
    SGD,
    Activation,
    AveragePooling2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPooling2D,
    RMSprop,
    Sequential,
    alexnet,
    lenet5,
    vgg16,
)
# apart: data
from .data import load_mnist

__version__ = "0.1.0"

__all__ = [
    "check_int", "conv_output_size", "conv_params", "dense_params", "pool_output_size",
    "ACTIVATIONS", "activation_backward", "activation_forward", "relu", "relu_derivative",
    "sigmoid", "sigmoid_derivative", "sign", "sign_derivative", "step", "tanh", "tanh_derivative",
    "cross_entropy", "one_hot", "softmax", "softmax_cross_entropy_gradient",
    "dense_backward", "dense_forward", "dense_loops",
    "conv2d", "conv2d_backward", "conv2d_forward", "conv2d_loops",
    "avg_pool2d", "avg_pool2d_backward", "avg_pool2d_forward", "avg_pool2d_loops",
    "max_pool2d", "max_pool2d_backward", "max_pool2d_forward", "max_pool2d_loops",
    "load_mnist",
    "Activation", "Dense", "Dropout", "Flatten", "AveragePooling2D", "Conv2D", "MaxPooling2D",
    "SGD", "RMSprop", "Sequential", "alexnet", "lenet5", "vgg16",
]
