"""dense_forward / dense_backward: a loop reference on random shapes, gradients, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import dense_backward, dense_forward, dense_loops
from course_lib.gradient_check import numerical_gradient, rel_error


@st.composite
def dense_cases(draw):
    """Random (x, W, b) of matching shapes."""
    n, inputs, units = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return (rng.standard_normal((n, inputs)), rng.standard_normal((units, inputs)),
            rng.standard_normal(units))


def naive_dense(x, w, b):
    """Independent reference: every neuron's weighted sum written out."""
    out = np.zeros((x.shape[0], w.shape[0]))
    for n in range(x.shape[0]):
        for u in range(w.shape[0]):
            out[n, u] = b[u] + sum(x[n, i] * w[u, i] for i in range(x.shape[1]))
    return out


@settings(max_examples=40, deadline=None)
@given(dense_cases())
def test_forward_matches_the_loop_reference(case):
    x, w, b = case
    out, _ = dense_forward(x, w, b)
    assert out.shape == (x.shape[0], w.shape[0])
    np.testing.assert_allclose(out, naive_dense(x, w, b), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dense_loops(x, w, b), naive_dense(x, w, b), rtol=1e-12, atol=1e-12)


def test_slide_example_one_neuron():
    # z = w . x + b = 0.5*1 + (-1)*2 + 0.25*4 + 1 = 0.5
    out, _ = dense_forward(np.array([[1.0, 2.0, 4.0]]), np.array([[0.5, -1.0, 0.25]]), [1.0])
    assert out.tolist() == [[0.5]]


@settings(max_examples=15, deadline=None)
@given(dense_cases())
def test_backward_matches_numerical_gradients(case):
    x, w, b = case
    dout = np.random.default_rng(1).standard_normal((x.shape[0], w.shape[0]))

    def loss():
        return float(np.sum(dense_forward(x, w, b)[0] * dout))

    _, cache = dense_forward(x, w, b)
    dx, dw, db = dense_backward(dout, cache)
    assert rel_error(dx, numerical_gradient(loss, x)) < 1e-6
    assert rel_error(dw, numerical_gradient(loss, w)) < 1e-6
    assert rel_error(db, numerical_gradient(loss, b)) < 1e-6


def test_need_dx_false_skips_dx_and_out_buffers_are_filled(rng):
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    buf = np.empty((4, 2))
    out, cache = dense_forward(x, w, b, out=buf)
    assert out is buf
    dout = rng.normal(size=(4, 2))
    dw_buf, db_buf = np.empty_like(w), np.empty_like(b)
    dx, dw, db = dense_backward(dout, cache, need_dx=False, out=(None, dw_buf, db_buf))
    assert dx is None and dw is dw_buf and db is db_buf
    np.testing.assert_allclose(dw, dout.T @ x)
    np.testing.assert_allclose(db, dout.sum(axis=0))


def test_dtypes_float32_stays_and_integers_become_float64():
    x32, w32, b32 = (np.ones(s, np.float32) for s in ((2, 3), (4, 3), (4,)))
    assert dense_forward(x32, w32, b32)[0].dtype == np.float32
    assert dense_forward(np.ones((2, 3), int), np.ones((4, 3), int), np.zeros(4, int))[0].dtype \
        == np.float64


@pytest.mark.parametrize("x, w, b, pattern", [
    (np.ones((2, 5)), np.ones((4, 3)), np.ones(4),
     r"dense_forward: x of shape \(2, 5\) does not fit W of shape \(4, 3\): out = x W\^T \+ b "
     r"needs x of shape \(N, 3\)"),
    (np.ones((2, 3)), np.ones((4, 3)), np.ones(3),
     r"dense_forward: b has shape \(3,\) but W of shape \(4, 3\) has 4 units, one bias each: "
     r"expected b of shape \(4,\)"),
    (np.ones((2, 3)), np.ones(3), np.ones(3),
     r"dense_forward: W must have shape \(units, inputs\)"),
    (np.ones((2, 2, 3)), np.ones((4, 3)), np.ones(4), r"x of shape \(2, 2, 3\) does not fit"),
])
def test_shape_mismatch_names_the_shapes_and_the_formula(x, w, b, pattern):
    with pytest.raises(ValueError, match=pattern):
        dense_forward(x, w, b)


def test_wrong_dout_shape_and_non_numbers():
    _, cache = dense_forward(np.ones((2, 3)), np.ones((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"dense_backward: dout has shape \(4, 2\) but the forward "
                                         r"output x W\^T \+ b had shape \(2, 4\)"):
        dense_backward(np.ones((4, 2)), cache)
    with pytest.raises(TypeError, match=r"dense_forward: x must hold real numbers, got dtype <U1"):
        dense_forward([["a"]], np.ones((1, 1)), np.zeros(1))
