"""Softmax, one-hot and cross-entropy against naive formulas and SciPy."""

import warnings

import numpy as np
import pytest
import scipy.special
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib import cross_entropy, one_hot, softmax, softmax_cross_entropy_gradient

logits = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 8)),
                elements=st.floats(-1e4, 1e4, allow_nan=False))


@given(logits)
def test_softmax_matches_scipy_and_sums_to_one(z):
    p = softmax(z)
    np.testing.assert_allclose(p, scipy.special.softmax(z, axis=-1), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)


def test_softmax_survives_the_slide_logits_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(np.array([1000.0, 1001.0]))
        q = softmax(np.array([-1000.0, -1001.0]))
    np.testing.assert_allclose(p, [1 / (1 + np.e), np.e / (1 + np.e)])
    np.testing.assert_allclose(q, p[::-1])


def test_softmax_along_another_axis(rng):
    z = rng.normal(size=(4, 3))
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T).T)
    with pytest.raises(ValueError, match=r"softmax: axis 2 is out of range .*\(4, 3\)"):
        softmax(z, axis=2)


@given(logits)
def test_softmax_into_a_buffer_is_the_same_softmax(z):
    out = np.full_like(z, np.nan)
    assert softmax(z, out=out) is out
    np.testing.assert_allclose(out, scipy.special.softmax(z, axis=-1), rtol=1e-10, atol=1e-300)


def test_softmax_says_when_the_buffer_has_the_wrong_shape():
    with pytest.raises(ValueError, match=r"out has shape \(3, 2\) but z has shape \(2, 3\)"):
        softmax(np.zeros((2, 3)), out=np.zeros((3, 2)))


def test_one_hot_the_four_vehicle_classes():
    # pedestrian, car, motorcycle, truck
    y = one_hot([1, 3, 0], 4)
    np.testing.assert_array_equal(y, [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]])
    assert y.dtype == np.float32


@pytest.mark.parametrize("labels, k, pattern", [
    ([0, 4], 4, r"one_hot: labels must lie in 0\.\.3 for k=4 classes, got \[4\]"),
    ([-1], 3, r"got \[-1\]"),
    ([[0, 1]], 3, r"1-D array of class indices, got shape \(1, 2\)"),
    ([0.5], 3, "whole numbers"),
])
def test_one_hot_errors(labels, k, pattern):
    with pytest.raises(ValueError, match=pattern):
        one_hot(labels, k)


def _naive_cross_entropy(p, y):
    total = 0.0
    for row, label in zip(p, y, strict=True):
        total -= np.log(row[label])
    return total / len(y)


@given(logits, st.randoms(use_true_random=False))
def test_cross_entropy_matches_the_naive_sum(z, random):
    z = np.clip(z, -5, 5)  # p >= e**-10 / 8, above the 1e-7 clip
    p = softmax(z)
    y = np.array([random.randrange(z.shape[1]) for _ in range(z.shape[0])])
    expected = _naive_cross_entropy(p, y)
    assert cross_entropy(p, y) == pytest.approx(expected, rel=1e-10)
    assert cross_entropy(p, one_hot(y, z.shape[1])) == pytest.approx(expected, rel=1e-6)


def test_confident_answers():
    assert cross_entropy([[1.0, 0.0]], [0]) == 0.0  # no log(0) = inf for a right answer
    wrong = cross_entropy([[1.0, 0.0]], [1])
    assert np.isfinite(wrong) and wrong == pytest.approx(-np.log(1e-7))


def test_cross_entropy_refuses_logits_and_mismatched_targets():
    with pytest.raises(ValueError, match="Did you forget the softmax"):
        cross_entropy([[2.0, -1.0]], [0])
    with pytest.raises(ValueError, match=r"targets of shape \(2, 3\) do not match .*\(2, 4\)"):
        cross_entropy(np.full((2, 4), 0.25), np.zeros((2, 3)))


def test_gradient_matches_central_differences(rng):
    z = rng.normal(size=(5, 4))
    y = rng.integers(0, 4, size=5)
    grad = softmax_cross_entropy_gradient(softmax(z), y)
    h = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += h
        zm[idx] -= h
        numeric[idx] = (cross_entropy(softmax(zp), y) - cross_entropy(softmax(zm), y)) / (2 * h)
    rel = np.abs(grad - numeric).max() / np.abs(numeric).max()
    assert rel < 1e-6
