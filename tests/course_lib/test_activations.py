"""Activations against their textbook formulas, numerical derivatives, and stability."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from course_lib import (
    ACTIVATIONS,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    sign,
    step,
    tanh,
    tanh_derivative,
)
from course_lib.activations import LAYER_ACTIVATIONS, activation_backward, activation_forward
from course_lib.gradient_check import numerical_gradient, rel_error

moderate = arrays(np.float64, array_shapes(max_dims=3, max_side=5),
                  elements=st.floats(-30, 30, allow_nan=False))


@given(moderate)
def test_sigmoid_matches_the_formula(z):
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)


@given(moderate)
def test_tanh_matches_the_formula(z):
    expected = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    np.testing.assert_allclose(tanh(z), expected, rtol=1e-9, atol=1e-15)


@given(moderate)
def test_relu_and_sign_and_step(z):
    np.testing.assert_array_equal(relu(z), [max(0.0, v) for v in z.ravel()] if z.ndim == 1
                                  else np.where(z > 0, z, 0))
    np.testing.assert_array_equal(sign(z), np.where(z >= 0, 1.0, -1.0))
    np.testing.assert_array_equal(step(z), (sign(z) + 1) / 2)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_derivatives_match_central_differences(name, rng):
    g, dg = ACTIVATIONS[name]
    z = rng.uniform(-4, 4, size=(6, 7))
    z = z[np.abs(z) > 1e-3] if name == "relu" else z  # ReLU has no derivative at 0
    h = 1e-6
    numeric = (g(z + h) - g(z - h)) / (2 * h)
    np.testing.assert_allclose(dg(z), numeric, rtol=1e-6, atol=1e-9)


def test_named_derivatives_at_known_points():
    assert sigmoid_derivative(0.0) == pytest.approx(0.25)
    assert tanh_derivative(0.0) == pytest.approx(1.0)
    np.testing.assert_array_equal(relu_derivative([-1.0, 0.0, 2.0]), [0, 0, 1])


def test_sigmoid_is_stable_for_huge_inputs():
    z = np.array([-1000.0, -710.0, 0.0, 710.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        s = sigmoid(z)
        d = sigmoid_derivative(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(d))
    np.testing.assert_allclose(s, [0, 0, 0.5, 1, 1], atol=1e-300)


def test_dtype_and_shape_are_kept():
    z32 = np.ones((2, 3, 4), dtype=np.float32)
    for name, (g, dg) in ACTIVATIONS.items():
        assert g(z32).dtype == np.float32, name
        assert g(z32).shape == (2, 3, 4), name
        assert dg(z32).shape == (2, 3, 4), name
    assert sigmoid([1, 2]).dtype == np.float64  # integers become float64


def test_sign_of_zero_is_plus_one_unlike_numpy():
    assert sign(0.0) == 1.0 and np.sign(0.0) == 0.0


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match=r"relu: expected numbers, got an array of dtype <U1"):
        relu(["a"])
    with pytest.raises(TypeError, match="sigmoid: expected real numbers"):
        sigmoid(np.array([1j]))


# --- the layer's kernel pair: activation_forward / activation_backward ---------------------

@pytest.mark.parametrize("kind", ["sigmoid", "tanh", "relu", "linear", "softmax"])
def test_activation_backward_matches_numerical_gradients(kind, rng):
    z = rng.normal(size=(4, 5))
    if kind == "relu":
        z[np.abs(z) < 1e-3] = 0.5  # ReLU has no derivative at 0
    da = rng.normal(size=z.shape)

    def loss():
        return float(np.sum(activation_forward(z, kind)[0] * da))

    a, cache = activation_forward(z, kind)
    dz = activation_backward(da, cache)
    assert rel_error(dz, numerical_gradient(loss, z)) < 1e-6


@pytest.mark.parametrize("kind", ["sigmoid", "tanh", "relu", "sign", "linear"])
def test_activation_forward_is_the_elementwise_function(kind, rng):
    z = rng.normal(size=(3, 4)).astype(np.float32)
    buf = np.empty_like(z)
    a, _ = activation_forward(z, kind, out=buf)
    assert a is buf and a.dtype == np.float32
    np.testing.assert_allclose(a, ACTIVATIONS[kind][0](z), rtol=1e-6)


def test_activation_forward_softmax_rows_and_errors():
    a, _ = activation_forward(np.array([[1000.0, 1001.0]]), "softmax")
    np.testing.assert_allclose(a, [[0.26894142, 0.73105858]])
    assert sorted(LAYER_ACTIVATIONS) == ["linear", "relu", "sigmoid", "sign", "softmax", "tanh"]
    with pytest.raises(ValueError, match=r"activation_forward: unknown activation 'swish'; "
                                         r"valid names: linear, relu"):
        activation_forward(np.zeros(2), "swish")
    _, cache = activation_forward(np.zeros((2, 3)), "relu")
    with pytest.raises(ValueError, match=r"activation_backward: da has shape \(3, 2\) but the "
                                         r"forward output had shape \(2, 3\)"):
        activation_backward(np.zeros((3, 2)), cache)
