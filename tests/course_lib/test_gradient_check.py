"""course_lib.gradient_check: numerical gradients of known functions, rel_error's scale."""

import numpy as np
import pytest

from course_lib.gradient_check import numerical_gradient, rel_error


def test_numerical_gradient_of_known_functions(rng):
    a = rng.normal(size=(3, 4))
    m = rng.normal(size=(3, 4))
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(a * m)), a), m,
                               rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(np.sin(a))), a),
                               np.cos(a), rtol=1e-8, atol=1e-8)


def test_numerical_gradient_restores_the_array(rng):
    a = rng.normal(size=5)
    before = a.copy()
    numerical_gradient(lambda: float(np.sum(a ** 3)), a)
    np.testing.assert_array_equal(a, before)


def test_rel_error_is_relative_elementwise():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1e-3], [1.001e-3]) == pytest.approx(1e-6 / 2.001e-3, rel=1e-6)
    assert rel_error([1000.0, 1e-6], [1000.0, 2e-6]) == pytest.approx(1 / 3)  # the worst entry
    assert rel_error([0.0], [0.0]) == 0.0  # no division by zero
