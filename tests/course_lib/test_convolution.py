"""conv2d: the slide's examples, fast vs loops vs SciPy on random shapes, gradients, errors."""

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.signal import convolve2d, correlate

from course_lib import conv2d, conv2d_backward, conv2d_forward, conv2d_loops
from course_lib.gradient_check import numerical_gradient, rel_error


@st.composite
def conv_cases(draw, max_n=2, max_c=3, max_k=3):
    """Random (x, w, b, stride, pad) that fit: the input size is derived from the output size."""
    f = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 3))
    pad = draw(st.integers(0, min(2, f - 1)))
    ho, wo = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = (ho - 1) * stride + f - 2 * pad, (wo - 1) * stride + f - 2 * pad
    assume(h >= 1 and w >= 1)
    n, c, k = draw(st.integers(1, max_n)), draw(st.integers(1, max_c)), draw(st.integers(1, max_k))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((n, h, w, c))
    filters = rng.standard_normal((k, f, f, c))
    b = rng.standard_normal(k) if draw(st.booleans()) else None
    return x, filters, b, stride, pad


def scipy_conv2d(x, w, b, stride, pad):
    """Independent reference: per output channel, SciPy's correlation summed over the depth."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n, k = x.shape[0], w.shape[0]
    rows = []
    for i in range(n):
        maps = [sum(correlate(xp[i, :, :, c], w[j, :, :, c], mode="valid")
                    for c in range(x.shape[3]))[::stride, ::stride] for j in range(k)]
        rows.append(np.stack(maps, axis=-1))
    out = np.stack(rows)
    return out if b is None else out + b


# --- the slide's examples ------------------------------------------------------------------

@pytest.mark.parametrize("stride, pad, size", [(1, 0, 5), (2, 0, 3), (3, 1, 3), (1, 1, 7)])
@pytest.mark.parametrize("func", [conv2d, conv2d_loops])
def test_slide_7x7_input_3x3_filter(func, stride, pad, size):
    x = np.arange(49.0).reshape(7, 7)
    assert func(x, np.ones((3, 3)), stride=stride, pad=pad).shape == (size, size)


@pytest.mark.parametrize("func", [conv2d, conv2d_loops])
def test_slide_7x7_stride_3_does_not_fit(func):
    with pytest.raises(ValueError, match=re.escape("(7 - 3 + 2*0)/3 + 1 = 2.33")):
        func(np.zeros((7, 7)), np.ones((3, 3)), stride=3)


@pytest.mark.parametrize("func", [conv2d, conv2d_loops, conv2d_forward])
def test_a_side_that_does_not_fit_is_named_with_its_own_size(func):
    # 9 rows fit a 3x3 filter with stride 2, 8 columns do not: the message speaks of the 8
    with pytest.raises(ValueError, match=r"along the width: .*an input side of 8 .*"
                                         r"\(8 - 3 \+ 2\*0\)/2 \+ 1 = 3\.50") as err:
        func(np.zeros((1, 9, 8, 1)), np.ones((1, 3, 3, 1)), stride=2)
    assert "9x9" not in str(err.value) and "8x8" not in str(err.value)


def test_slide_32x32x3_ten_5x5_filters_pad_2(rng):
    x = rng.standard_normal((2, 32, 32, 3)).astype(np.float32)
    w = rng.standard_normal((10, 5, 5, 3)).astype(np.float32)
    assert conv2d(x, w, np.zeros(10, np.float32), stride=1, pad=2).shape == (2, 32, 32, 10)


def test_small_example_by_hand():
    x = np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]])
    w = np.array([[1, 0], [0, 2]])  # not symmetric: a flipped filter would give other numbers
    expected = np.array([[1 + 2, 2 + 6], [0 + 0, 1 + 2]]) + 0.5
    np.testing.assert_array_equal(conv2d(x, w, 0.5), expected)
    np.testing.assert_array_equal(conv2d_loops(x, w, 0.5), expected)
    assert not np.array_equal(conv2d(x, w), convolve2d(x, w, mode="valid"))


def test_slice_is_the_same_as_a_batch_of_one(rng):
    x, w = rng.standard_normal((6, 5)), rng.standard_normal((3, 3))
    batch = conv2d(x[None, :, :, None], w[None, :, :, None], np.array([0.3]), pad=1)
    np.testing.assert_allclose(conv2d(x, w, 0.3, pad=1), batch[0, :, :, 0])


# --- fast vs loops vs SciPy on random shapes --------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_fast_matches_loops(case):
    x, w, b, stride, pad = case
    np.testing.assert_allclose(conv2d(x, w, b, stride, pad), conv2d_loops(x, w, b, stride, pad),
                               rtol=1e-10, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_fast_matches_scipy_correlate(case):
    x, w, b, stride, pad = case
    np.testing.assert_allclose(conv2d(x, w, b, stride, pad), scipy_conv2d(x, w, b, stride, pad),
                               rtol=1e-10, atol=1e-10)


def test_forward_matches_conv2d(rng):
    x, w, b = rng.standard_normal((2, 9, 7, 3)), rng.standard_normal((4, 3, 3, 3)), np.ones(4)
    out, _ = conv2d_forward(x, w, b, stride=2, pad=1)
    np.testing.assert_array_equal(out, conv2d(x, w, b, stride=2, pad=1))


# --- dtypes -------------------------------------------------------------------------------

def test_float32_stays_float32_and_float64_weight_promotes(rng):
    x = rng.standard_normal((1, 6, 6, 2)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 2))
    assert conv2d(x, w.astype(np.float32), np.zeros(3, np.float32)).dtype == np.float32
    assert conv2d(x, w.astype(np.float32), np.zeros(3)).dtype == np.float32
    assert conv2d(x, w).dtype == np.float64
    assert conv2d(np.ones((4, 4), int), np.ones((3, 3), int)).dtype == np.float64
    out, cache = conv2d_forward(x, w.astype(np.float32))
    assert all(g.dtype == np.float32 for g in conv2d_backward(np.ones_like(out), cache))


# --- gradients ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape, k, f, stride, pad", [
    ((2, 5, 5, 3), 4, 3, 1, 1), ((1, 7, 5, 2), 3, 3, 2, 0), ((2, 6, 6, 1), 2, 2, 2, 1),
    ((1, 10, 7, 2), 2, 5, 3, 2)])
def test_backward_matches_numerical_gradient(rng, shape, k, f, stride, pad):
    x = rng.standard_normal(shape)
    w = rng.standard_normal((k, f, f, shape[3]))
    b = rng.standard_normal(k)
    out, cache = conv2d_forward(x, w, b, stride, pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)

    def loss():  # the fast forward: it is checked against the loops and SciPy above
        return np.sum(conv2d(x, w, b, stride, pad) * dout)

    assert rel_error(dx, numerical_gradient(loss, x)) < 1e-6
    assert rel_error(dw, numerical_gradient(loss, w)) < 1e-6
    assert rel_error(db, numerical_gradient(loss, b)) < 1e-6
    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape


@settings(max_examples=25, deadline=None)
@given(conv_cases(max_n=2, max_c=2, max_k=2))
def test_backward_on_random_shapes(case):
    x, w, b, stride, pad = case
    b = np.zeros(w.shape[0]) if b is None else b
    out, cache = conv2d_forward(x, w, b, stride, pad)
    dout = np.random.default_rng(1).standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)

    def loss():
        return np.sum(conv2d(x, w, b, stride, pad) * dout)

    for grad, param in ((dx, x), (dw, w), (db, b)):
        assert rel_error(grad, numerical_gradient(loss, param)) < 1e-6


# --- errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("func", [conv2d, conv2d_loops, conv2d_forward])
@pytest.mark.parametrize("x_shape, w_shape, b_shape, kwargs, pattern", [
    ((2, 8, 8, 3), (4, 3, 3, 2), None, {},
     r"x of shape \(2, 8, 8, 3\) has depth C=3 but the filters w of shape \(4, 3, 3, 2\)"),
    ((1, 4, 4, 1), (2, 7, 7, 1), None, {},
     r"x of shape \(1, 4, 4, 1\) and w of shape \(2, 7, 7, 1\) do not fit.*"
     r"7x7 filter is larger than an input side of 4 with padding 0"),
    ((8, 8, 3), (4, 3, 3, 3), None, {}, r"got x of shape \(8, 8, 3\).*Use \(1, H, W, C\)"),
    ((1, 8, 8, 3), (4, 3, 2, 3), None, {}, r"must be square.*\(4, 3, 2, 3\)"),
    ((1, 8, 8, 3), (4, 3, 3, 3), (3,), {}, r"b has shape \(3,\).*expected b of shape \(4,\)"),
    ((1, 8, 8, 3), (4, 3, 3, 3), None, {"stride": 0}, r"stride must be >= 1, got stride=0"),
    ((1, 8, 8, 3), (4, 3, 3, 3), None, {"pad": -1}, r"pad must be >= 0, got pad=-1"),
    ((1, 8, 8, 3), (3, 3), None, {}, r"needs filters w of shape \(K, F, F, C\).*\(3, 3\)"),
])
def test_errors_name_the_shapes(func, x_shape, w_shape, b_shape, kwargs, pattern):
    b = None if b_shape is None else np.zeros(b_shape)
    with pytest.raises(ValueError, match=pattern) as info:
        func(np.zeros(x_shape), np.zeros(w_shape), b, **kwargs)
    assert str(info.value).startswith(func.__name__)


@pytest.mark.parametrize("func", [conv2d, conv2d_loops])
def test_slice_errors(func):
    with pytest.raises(ValueError, match=r"one 2-D slice, so w must be one \(F, F\) filter"):
        func(np.zeros((7, 7)), np.zeros((1, 3, 3, 1)))
    with pytest.raises(ValueError, match=r"b must be a single number, got b of shape \(2,\)"):
        func(np.zeros((7, 7)), np.zeros((3, 3)), np.zeros(2))


def test_forward_refuses_a_slice():
    with pytest.raises(ValueError, match=r"conv2d_forward: expected x of shape \(N, H, W, C\)"):
        conv2d_forward(np.zeros((7, 7)), np.zeros((3, 3)))


@pytest.mark.parametrize("kwargs", [{"stride": 1.5}, {"pad": 1.0}, {"stride": True}])
def test_non_integer_stride_or_pad(kwargs):
    with pytest.raises(TypeError, match=r"conv2d: (stride|pad) must be a whole number"):
        conv2d(np.zeros((1, 8, 8, 1)), np.zeros((1, 3, 3, 1)), **kwargs)


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match=r"conv2d: x must hold real numbers, got dtype <U1"):
        conv2d(np.array([["a"]]), np.ones((1, 1)))


def test_backward_checks_dout(rng):
    out, cache = conv2d_forward(np.zeros((2, 6, 6, 1)), np.zeros((3, 3, 3, 1)))
    with pytest.raises(ValueError, match=r"conv2d_backward: dout has shape \(2, 4, 4, 2\) "
                                         r"but the forward output had shape \(2, 4, 4, 3\)"):
        conv2d_backward(np.zeros((2, 4, 4, 2)), cache)


@pytest.mark.parametrize("need_dx", [True, False])
def test_fused_relu_is_relu_after_the_convolution(rng, need_dx):
    x, w, b = rng.standard_normal((3, 7, 7, 2)), rng.standard_normal((4, 3, 3, 2)), np.zeros(4)
    out, cache = conv2d_forward(x, w, b, pad=1, relu=True)
    z, plain = conv2d_forward(x, w, b, pad=1)
    np.testing.assert_array_equal(out, np.maximum(z, 0))
    assert (out == 0).mean() > 0.2  # the ReLU has something to do
    dout = rng.standard_normal(out.shape)
    fused = conv2d_backward(dout, cache, need_dx=need_dx)
    expected = conv2d_backward(dout * (z > 0), plain, need_dx=need_dx)
    for got, want in zip(fused, expected, strict=True):
        if want is None:
            assert got is None
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
