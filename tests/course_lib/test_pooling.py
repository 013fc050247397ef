"""Max and average pooling: the slide's example, fast vs loops, gradients, ties, errors."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import (
    avg_pool2d,
    avg_pool2d_backward,
    avg_pool2d_forward,
    avg_pool2d_loops,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_forward,
    max_pool2d_loops,
)
from course_lib.gradient_check import numerical_gradient, rel_error

SLIDE = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])


@st.composite
def pool_cases(draw):
    """Random (x, f, stride) that fit, overlapping windows included (stride < f)."""
    f, stride = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    ho, wo = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((n, (ho - 1) * stride + f, (wo - 1) * stride + f, c))
    return x, f, stride


@pytest.mark.parametrize("func", [max_pool2d, max_pool2d_loops])
def test_slide_max_pool_example(func):
    np.testing.assert_array_equal(func(SLIDE), [[6, 8], [3, 4]])
    np.testing.assert_array_equal(func(SLIDE[None, :, :, None])[0, :, :, 0], [[6, 8], [3, 4]])


@pytest.mark.parametrize("func", [avg_pool2d, avg_pool2d_loops])
def test_avg_pool_example(func):
    np.testing.assert_array_equal(func(SLIDE), [[13 / 4, 21 / 4], [2, 2]])


@pytest.mark.parametrize("func", [max_pool2d, avg_pool2d])
def test_alexnet_overlapping_3x3_stride_2(rng, func):
    x = rng.standard_normal((1, 55, 55, 4)).astype(np.float32)
    out = func(x, f=3, stride=2)
    assert out.shape == (1, 27, 27, 4) and out.dtype == np.float32


@settings(max_examples=40, deadline=None)
@given(pool_cases())
def test_fast_matches_loops(case):
    x, f, stride = case
    np.testing.assert_array_equal(max_pool2d(x, f, stride), max_pool2d_loops(x, f, stride))
    np.testing.assert_allclose(avg_pool2d(x, f, stride), avg_pool2d_loops(x, f, stride),
                               rtol=1e-12, atol=1e-12)


def max_pool_backward_loops(x, dout, f, stride):
    """Reference: each window sends its dout to its first maximum (np.argmax's choice)."""
    dx = np.zeros(x.shape)
    for n, row, col, c in np.ndindex(dout.shape):
        window = x[n, row * stride:row * stride + f, col * stride:col * stride + f, c]
        i, j = np.unravel_index(np.argmax(window), window.shape)
        dx[n, row * stride + i, col * stride + j, c] += dout[n, row, col, c]
    return dx


@settings(max_examples=40, deadline=None)
@given(pool_cases(), st.booleans())
def test_max_backward_matches_loops_ties_included(case, ties):
    x, f, stride = case
    if ties:  # few distinct values: many windows hold their maximum twice
        x = np.round(x)
    out, cache = max_pool2d_forward(x, f, stride)
    dout = np.random.default_rng(1).standard_normal(out.shape)
    np.testing.assert_allclose(max_pool2d_backward(dout, cache),
                               max_pool_backward_loops(x, dout, f, stride), rtol=1e-12)


def test_max_pool_of_a_reordered_batch(rng):
    """Pooling keeps depth slices apart: permuting channels permutes the output's channels."""
    x = rng.standard_normal((2, 6, 6, 5))
    perm = rng.permutation(5)
    np.testing.assert_array_equal(max_pool2d(x[..., perm]), max_pool2d(x)[..., perm])


def test_dtypes():
    assert max_pool2d(SLIDE).dtype == SLIDE.dtype
    assert avg_pool2d(SLIDE).dtype == np.float64
    x32 = SLIDE.astype(np.float32)[None, :, :, None]
    assert avg_pool2d(x32).dtype == np.float32
    out, cache = max_pool2d_forward(x32)
    assert max_pool2d_backward(np.ones_like(out), cache).dtype == np.float32


# --- gradients ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape, f, stride", [((2, 4, 4, 3), 2, 2), ((1, 7, 7, 2), 3, 2),
                                              ((1, 5, 6, 1), 2, 1), ((2, 6, 6, 2), 3, 3)])
def test_max_backward_matches_numerical_gradient(rng, shape, f, stride):
    # distinct values far apart: no ties, and eps cannot change which entry is the maximum
    x = rng.permutation(np.prod(shape)).reshape(shape) * 0.1
    out, cache = max_pool2d_forward(x, f, stride)
    dout = rng.standard_normal(out.shape)
    dx = max_pool2d_backward(dout, cache)
    num = numerical_gradient(lambda: np.sum(max_pool2d_loops(x, f, stride) * dout), x)
    assert rel_error(dx, num) < 1e-6


@pytest.mark.parametrize("shape, f, stride", [((2, 4, 4, 3), 2, 2), ((1, 7, 7, 2), 3, 2),
                                              ((1, 5, 6, 1), 2, 1)])
def test_avg_backward_matches_numerical_gradient(rng, shape, f, stride):
    x = rng.standard_normal(shape)
    out, cache = avg_pool2d_forward(x, f, stride)
    dout = rng.standard_normal(out.shape)
    dx = avg_pool2d_backward(dout, cache)
    num = numerical_gradient(lambda: np.sum(avg_pool2d_loops(x, f, stride) * dout), x)
    assert rel_error(dx, num) < 1e-6


def test_max_backward_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array([[0., 7., 7., 1.], [7., 7., 2., 9.]]).reshape(1, 2, 4, 1)
    out, cache = max_pool2d_forward(x)
    dx = max_pool2d_backward(np.array([[10., 20.]]).reshape(1, 1, 2, 1), cache)
    np.testing.assert_array_equal(dx[0, :, :, 0], [[0, 10, 0, 0], [0, 0, 0, 20]])
    x = np.full((1, 2, 2, 1), 3.0)
    dx = max_pool2d_backward(np.ones((1, 1, 1, 1)), max_pool2d_forward(x)[1])
    np.testing.assert_array_equal(dx[0, :, :, 0], [[1, 0], [0, 0]])


# --- errors -------------------------------------------------------------------------------

ALL = [max_pool2d, avg_pool2d, max_pool2d_loops, avg_pool2d_loops, max_pool2d_forward,
       avg_pool2d_forward]


@pytest.mark.parametrize("func", ALL)
def test_window_that_does_not_fit(func):
    pattern = re.escape("does not fit x of shape (1, 5, 4, 1) along the height: ") + ".*" + \
        re.escape("(5 - 2)/2 + 1 = 2.50")
    with pytest.raises(ValueError, match=pattern) as info:
        func(np.zeros((1, 5, 4, 1)))
    assert str(info.value).startswith(func.__name__)
    with pytest.raises(ValueError, match=r"3x3 window.*larger than an input side of 2"):
        func(np.zeros((1, 2, 2, 1)), f=3, stride=1)


@pytest.mark.parametrize("func", ALL)
def test_three_dimensional_x_is_refused(func):
    with pytest.raises(ValueError, match=r"got x of shape \(4, 4, 3\)\. Use \(1, H, W, C\)"):
        func(np.zeros((4, 4, 3)))


@pytest.mark.parametrize("func", [max_pool2d_forward, avg_pool2d_forward])
def test_forward_refuses_a_slice(func):
    with pytest.raises(ValueError, match=r"expected x of shape \(N, H, W, C\), got"):
        func(np.zeros((4, 4)))


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"f": 0}, ValueError, r"f must be >= 1, got f=0"),
    ({"stride": -2}, ValueError, r"stride must be >= 1, got stride=-2"),
    ({"stride": 2.0}, TypeError, r"stride must be a whole number"),
])
@pytest.mark.parametrize("func", [max_pool2d, avg_pool2d])
def test_bad_window_or_stride(func, kwargs, error, pattern):
    with pytest.raises(error, match=f"{func.__name__}: {pattern}"):
        func(np.zeros((1, 4, 4, 1)), **kwargs)


@pytest.mark.parametrize("forward, backward", [(max_pool2d_forward, max_pool2d_backward),
                                               (avg_pool2d_forward, avg_pool2d_backward)])
def test_backward_checks_dout(forward, backward):
    _, cache = forward(np.zeros((2, 4, 4, 3)))
    with pytest.raises(ValueError, match=re.escape(
            f"{backward.__name__}: dout has shape (2, 2, 2) but the forward output had shape "
            "(2, 2, 2, 3)")):
        backward(np.zeros((2, 2, 2)), cache)


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match=r"max_pool2d: x must hold real numbers"):
        max_pool2d(np.array([[True, False], [False, True]]))


def test_overlapping_windows_add_their_gradients():
    x = np.array([[0., 0., 0.], [0., 9., 0.], [0., 0., 0.]]).reshape(1, 3, 3, 1)
    out, cache = max_pool2d_forward(x, f=2, stride=1)  # all four windows hold the 9
    assert max_pool2d_backward(np.ones((1, 2, 2, 1)), cache)[0, 1, 1, 0] == 4


@pytest.mark.parametrize("f, stride, h, w", [(2, 2, 8, 10), (3, 2, 7, 9), (2, 3, 8, 11)])
def test_max_backward_uses_what_the_forward_found(rng, f, stride, h, w):
    """The cache keeps the maxima's positions, not x: overwriting x (as a reused buffer of the
    layer before would) leaves the gradient unchanged."""
    x = np.round(rng.standard_normal((2, h, w, 3)))  # with ties
    out, cache = max_pool2d_forward(x, f, stride)
    dout = rng.standard_normal(out.shape)
    expected = max_pool_backward_loops(x, dout, f, stride)
    x[...] = rng.standard_normal(x.shape)
    np.testing.assert_allclose(max_pool2d_backward(dout, cache), expected, rtol=1e-12)
    assert not any(a is x for a in cache if isinstance(a, np.ndarray))
