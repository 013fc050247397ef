"""Conv2D and the pooling layers: gradients, the loop reference, shapes, Keras' names, errors."""

import numpy as np
import pytest

from course_lib.nn.conv_layers import AveragePooling2D, Conv2D, MaxPooling2D


@pytest.mark.parametrize("stride, pad, activation", [(1, 1, None), (2, 0, "relu"), (1, 0, "tanh")])
def test_conv2d_gradients(rng, stride, pad, activation, check_layer):
    layer = Conv2D(3, 3, stride=stride, pad=pad, input_shape=(5, 5, 2), activation=activation,
                   dtype="float64")
    layer.init_weights(rng)
    layer.b[:] = rng.normal(size=3)
    check_layer(layer, rng.normal(size=(2, 5, 5, 2)))


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
@pytest.mark.parametrize("f, stride, n", [(2, 2, 4), (3, 2, 5)])
def test_pooling_gradients(rng, cls, f, stride, n, check_layer):
    layer = cls(f, stride=stride, input_shape=(n, n, 2), dtype="float64")
    check_layer(layer, rng.normal(size=(2, n, n, 2)))


def test_conv2d_forward_matches_loops(rng):
    layer = Conv2D(4, 3, stride=2, pad=1, input_shape=(7, 7, 3))
    layer.init_weights(rng)
    layer.b[:] = rng.normal(size=4)
    x = rng.normal(size=(2, 7, 7, 3)).astype(np.float32)
    expected = np.zeros((2, 4, 4, 4))
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    for n in range(2):
        for i in range(4):
            for j in range(4):
                for k in range(4):
                    patch = xp[n, 2 * i:2 * i + 3, 2 * j:2 * j + 3, :]
                    expected[n, i, j, k] = np.sum(patch * layer.W[k]) + layer.b[k]
    out = layer.forward(x)
    assert out.shape == (2, 4, 4, 4) == (2, *layer.output_shape)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_conv2d_shapes_params_and_keras_aliases():
    conv = Conv2D(6, 5, input_shape=(32, 32, 1))
    assert conv.output_shape == (28, 28, 6) and conv.count_params() == 156
    assert conv.param_shapes() == [(6, 5, 5, 1), (6,)]
    keras = Conv2D(filters=32, kernel_size=(3, 3), strides=1, padding="same",
                   input_shape=(28, 28, 1))
    assert keras.output_shape == (28, 28, 32) and keras.pad == 1
    assert repr(Conv2D(96, 11, stride=4)) == "Conv2D(96, 11, stride=4)"
    assert repr(MaxPooling2D(3, stride=2)) == "MaxPooling2D(f=3, stride=2)"
    assert MaxPooling2D(pool_size=(2, 2)).stride == 2


def test_conv2d_filter_does_not_fit():
    with pytest.raises(ValueError, match=r"\(32 - 5 \+ 2\*0\)/2 \+ 1 = 14.50"):
        Conv2D(6, 5, stride=2, input_shape=(32, 32, 1))


def test_conv2d_needs_image_input():
    with pytest.raises(ValueError, match=r"expects images of shape \(height, width, depth\), "
                                         r"got \(28, 28\)"):
        Conv2D(6, 5, input_shape=(28, 28))
