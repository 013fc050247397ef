"""Shared fixtures: a seeded random generator and matplotlib's non-interactive backend."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture
def rng():
    """A NumPy generator with a fixed seed, so a failing test fails the same way again."""
    return np.random.default_rng(0)
