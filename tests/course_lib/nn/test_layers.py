"""Layers: numerical gradient checks of every backward pass, shapes, reprs, errors."""

import numpy as np
import pytest

from course_lib.nn.layers import Activation, Dense, Dropout, Flatten, glorot_uniform


def test_dense_gradients(rng, check_layer):
    layer = Dense(4, input_dim=5, dtype="float64")
    layer.init_weights(rng)
    layer.b[:] = rng.normal(size=4)
    check_layer(layer, rng.normal(size=(3, 5)))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "softmax", "linear"])
def test_activation_gradients(rng, activation, check_layer):
    check_layer(Activation(activation, dtype="float64"), rng.normal(size=(4, 6)))


@pytest.mark.parametrize("activation", ["tanh", "relu", "softmax"])
def test_dense_with_activation_gradients(rng, activation, check_layer):
    layer = Dense(3, input_dim=4, activation=activation, dtype="float64")
    layer.init_weights(rng)
    check_layer(layer, rng.normal(size=(5, 4)))


def test_flatten_gradients(rng, check_layer):
    layer = Flatten(input_shape=(2, 3, 2), dtype="float64")
    assert layer.output_shape == (12,)
    check_layer(layer, rng.normal(size=(3, 2, 3, 2)))


def test_dropout_gradients_with_fixed_mask(rng, check_layer):
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
