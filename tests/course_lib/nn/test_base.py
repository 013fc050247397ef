"""Layer (course_lib.nn.base): shapes without memory, Glorot weights once, seeds, buffers."""

import numpy as np
import pytest

from course_lib.nn.base import Layer, glorot_uniform
from course_lib.nn.conv_layers import Conv2D
from course_lib.nn.layers import Dense, Flatten


@pytest.mark.parametrize("layer, fan_in, fan_out", [
    (Dense(10, input_dim=784), 784, 10),
    (Conv2D(6, 5, input_shape=(32, 32, 3)), 5 * 5 * 3, 5 * 5 * 6),
])
def test_init_weights_is_glorot_uniform_with_the_layers_fans(layer, fan_in, fan_out, rng):
    layer.init_weights(np.random.default_rng(3))
    want = glorot_uniform(layer.param_shapes()[0], fan_in, fan_out, np.random.default_rng(3))
    np.testing.assert_array_equal(layer.W, want)
    assert not layer.b.any() and layer.b.shape == layer.param_shapes()[1]
    assert layer.params[0] is layer.W and layer.params[1] is layer.b
    assert [g.shape for g in layer.grads] == [layer.W.shape, layer.b.shape]
    assert np.abs(layer.W).max() <= np.sqrt(6 / (fan_in + fan_out))


def test_init_weights_runs_once():
    layer = Dense(3, input_dim=2)
    layer.init_weights(np.random.default_rng(0))
    w = layer.W
    layer.init_weights(np.random.default_rng(1))
    assert layer.W is w


def test_a_layer_without_parameters_is_only_marked_built():
    layer = Flatten(input_shape=(2, 2, 1))
    layer.init_weights(np.random.default_rng(0))
    assert layer.built and layer.params == [] and layer.count_params() == 0


def test_a_standalone_layer_is_reproducible_and_its_seed_chooses_the_weights():
    x = np.ones((1, 4), np.float32)
    a, b, c, d = Dense(3), Dense(3), Dense(3, seed=5), Dense(3, seed=5)
    np.testing.assert_array_equal(a.forward(x), b.forward(x))  # default seed 0
    np.testing.assert_array_equal(c.forward(x), d.forward(x))
    assert not np.array_equal(a.W, c.W)
    np.testing.assert_array_equal(a.W, glorot_uniform((3, 4), 4, 3, np.random.default_rng(0)))
    assert Conv2D(2, 3, seed=1).seed == 1 and Dense(3).seed == 0


def test_count_params_from_shapes_without_weights():
    layer = Dense(10, input_dim=784)
    assert layer.count_params() == 7_850 and not layer.built
    assert Conv2D(10, 5, input_shape=(32, 32, 3)).count_params() == 760  # the slide's example


def test_buffers_are_reused_only_while_on():
    layer = Layer()
    assert layer._buf("out", (2, 3)) is not layer._buf("out", (2, 3))
    layer.use_buffers(True)
    assert layer._buf("out", (2, 3)) is layer._buf("out", (2, 3))
    assert layer._buf("out", (4, 3)).shape == (4, 3)
    layer.use_buffers(False)
    assert layer._buffers is None


def test_set_dtype_reaches_the_fused_activation():
    layer = Dense(3, input_dim=2, activation="relu")
    layer.set_dtype("float64")
    assert layer.dtype == np.float64 and layer.activation.dtype == np.float64


def test_input_shape_and_seed_must_be_whole_numbers():
    with pytest.raises(TypeError, match=r"Flatten: input_shape must be a tuple of whole numbers"):
        Flatten(input_shape=(2.5, 2))
    with pytest.raises(TypeError, match=r"Dense: seed must be a whole number"):
        Dense(3, seed=1.5)


def test_wrong_input_width_names_the_expected_shape():
    with pytest.raises(ValueError, match=r"expected inputs of shape \(N, 4\), got \(2, 5\)"):
        Dense(3, input_dim=4).forward(np.ones((2, 5)))
