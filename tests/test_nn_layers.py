"""Layers: numerical gradient checks of every backward pass, shapes, reprs, errors."""

import numpy as np
import pytest

from course_lib.gradient_check import numerical_gradient, rel_error
from course_lib.nn.conv_layers import AveragePooling2D, Conv2D, MaxPooling2D
from course_lib.nn.layers import Activation, Dense, Dropout, Flatten, glorot_uniform


def check_layer(layer, x, forward_kwargs=None):
    """Compare backward(dout) with numerical gradients of sum(forward(x) * dout)."""
    kw = forward_kwargs or {}
    rng = np.random.default_rng(1)
    out = layer.forward(x, **kw)
    dout = rng.normal(size=out.shape)

    def f():
        return float(np.sum(layer.forward(x, **kw) * dout))

    layer.forward(x, **kw)
    dx = layer.backward(dout)
    analytic = [dx] + [g.copy() for g in layer.grads]
    numeric = [numerical_gradient(f, x)] + [numerical_gradient(f, p) for p in layer.params]
    assert len(numeric) == len(analytic)
    for a, n in zip(analytic, numeric, strict=True):
        assert a.shape == n.shape
        assert a.dtype == np.float64
        assert rel_error(a, n) < 1e-6, rel_error(a, n)


def test_dense_gradients(rng):
    layer = Dense(4, input_dim=5, dtype="float64")
    layer.init_weights(rng)
    layer.b[:] = rng.normal(size=4)
    check_layer(layer, rng.normal(size=(3, 5)))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "softmax", "linear"])
def test_activation_gradients(rng, activation):
    check_layer(Activation(activation, dtype="float64"), rng.normal(size=(4, 6)))


@pytest.mark.parametrize("activation", ["tanh", "relu", "softmax"])
def test_dense_with_activation_gradients(rng, activation):
    layer = Dense(3, input_dim=4, activation=activation, dtype="float64")
    layer.init_weights(rng)
    check_layer(layer, rng.normal(size=(5, 4)))


def test_flatten_gradients(rng):
    layer = Flatten(input_shape=(2, 3, 2), dtype="float64")
    assert layer.output_shape == (12,)
    check_layer(layer, rng.normal(size=(3, 2, 3, 2)))


def test_dropout_gradients_with_fixed_mask(rng):
    x = rng.normal(size=(4, 6))
    mask = rng.random(x.shape) >= 0.3
    check_layer(Dropout(0.3, dtype="float64"), x, {"training": True, "mask": mask})


def test_dense_forward_matches_formula(rng):
    layer = Dense(3, input_dim=4)
    layer.init_weights(rng)
    layer.b[:] = [1, 2, 3]
    x = rng.normal(size=(2, 4)).astype(np.float32)
    expected = np.array([[sum(layer.W[j, i] * x[n, i] for i in range(4)) + layer.b[j]
                          for j in range(3)] for n in range(2)])
    out = layer.forward(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_dense_weights_glorot_float32(rng):
    layer = Dense(500, input_dim=784)
    assert not layer.built and layer.params == []   # lazy: nothing allocated yet
    layer.init_weights(rng)
    assert layer.W.shape == (500, 784) and layer.W.dtype == np.float32
    limit = np.sqrt(6 / (784 + 500))
    assert np.abs(layer.W).max() <= limit
    assert abs(layer.W.std() - limit / np.sqrt(3)) < 0.01 * limit   # uniform: sd = limit/sqrt 3
    assert not layer.b.any()


def test_glorot_uniform_range():
    w = glorot_uniform((1000, 10), 30, 30, np.random.default_rng(0))
    assert w.min() >= -np.sqrt(0.1) and w.max() <= np.sqrt(0.1)
    assert w.min() < -0.9 * np.sqrt(0.1) and w.max() > 0.9 * np.sqrt(0.1)


def test_dropout_training_and_prediction(rng):
    x = np.ones((200, 100), dtype=np.float32)
    layer = Dropout(0.4, seed=0)
    assert layer.forward(x) is x or np.array_equal(layer.forward(x), x)
    out = layer.forward(x, training=True)
    kept = out != 0
    assert abs(kept.mean() - 0.6) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.6, rtol=1e-6)
    assert abs(out.mean() - 1) < 0.05   # inverted dropout keeps the mean


def test_softmax_activation_rows_sum_to_one(rng):
    p = Activation("softmax").forward(rng.normal(size=(4, 7)).astype(np.float32) * 100)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)


def test_reprs():
    assert repr(Dense(10, input_dim=784)) == "Dense(10, input_dim=784)"
    assert repr(Dense(10, activation="relu")) == "Dense(10, activation='relu')"
    assert repr(Activation("tanh")) == "Activation('tanh')"
    assert repr(Dropout(0.4)) == "Dropout(0.4)"
    assert repr(Flatten()) == "Flatten()"


def test_dense_wrong_input_width():
    layer = Dense(10, input_dim=784)
    with pytest.raises(ValueError, match=r"expected inputs of shape \(N, 784\), got \(2, 785\)"):
        layer.forward(np.zeros((2, 785), dtype=np.float32))


def test_dense_needs_flat_input():
    with pytest.raises(ValueError, match=r"got \(28, 28, 1\).*Flatten\(\)"):
        Dense(10, input_shape=(28, 28, 1))


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'rleu'.*relu, sigmoid, sign, "
                                         "softmax, tanh"):
        Activation("rleu")
    with pytest.raises(ValueError, match="unknown activation"):
        Dense(10, activation="soft-max")


@pytest.mark.parametrize("rate", [-0.1, 1.0, "0.5"])
def test_dropout_bad_rate(rate):
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\)"):
        Dropout(rate)


def test_dense_bad_units():
    with pytest.raises(TypeError, match="Dense: units must be a whole number"):
        Dense(10.5)
    with pytest.raises(ValueError, match="Dense: units must be >= 1"):
        Dense(0)


@pytest.mark.parametrize("stride, pad, activation", [(1, 1, None), (2, 0, "relu"), (1, 0, "tanh")])
def test_conv2d_gradients(rng, stride, pad, activation):
    layer = Conv2D(3, 3, stride=stride, pad=pad, input_shape=(5, 5, 2), activation=activation,
                   dtype="float64")
    layer.init_weights(rng)
    layer.b[:] = rng.normal(size=3)
    check_layer(layer, rng.normal(size=(2, 5, 5, 2)))


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
@pytest.mark.parametrize("f, stride, n", [(2, 2, 4), (3, 2, 5)])
def test_pooling_gradients(rng, cls, f, stride, n):
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
