"""Shared fixtures: a seeded random generator, a classifier's predictions on random digits,
an IDX file built by hand, a layer's gradient check, matplotlib's non-interactive backend, and
one released course per session that every test needing one copies."""

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from course_lib.gradient_check import numerical_gradient, rel_error

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.log")


@pytest.fixture
def rng():
    """A NumPy generator with a fixed seed, so a failing test fails the same way again."""
    return np.random.default_rng(0)


@pytest.fixture
def predictions(rng):
    """200 random 28x28 images, labels and probabilities: the first 150 right, most others wrong."""
    n = 200
    images = rng.random((n, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, n)
    probs = rng.dirichlet(np.ones(10), size=n).astype(np.float32)
    probs[np.arange(150), y[:150]] += 5.0     # the first 150 are right, the rest mostly wrong
    probs /= probs.sum(axis=1, keepdims=True)
    return images, y, probs


def _idx_bytes(array, code=0x08):
    """An IDX file built by hand with struct (independent of course_lib.data.idx)."""
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}I",
                                                                     *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.fixture(scope="session")
def idx_bytes():
    """The function ``idx_bytes(array, code=0x08)``: the bytes of an IDX file, made by hand."""
    return _idx_bytes


def _check_layer(layer, x, forward_kwargs=None):
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


@pytest.fixture(scope="session")
def check_layer():
    """The function ``check_layer(layer, x, forward_kwargs=None)``: every gradient of a layer
    (input and parameters) against numerical gradients, relative error below 1e-6."""
    return _check_layer


def _gate_weights(table):
    """Small integer ``(b, w1, w2)`` with step(b + w1 x1 + w2 x2) = ``table`` on the inputs
    (0, 0), (0, 1), (1, 0), (1, 1), found by search; None when no perceptron computes it."""
    inputs = [(0, 0), (0, 1), (1, 0), (1, 1)]
    return next(((b, w1, w2) for b in range(-3, 4) for w1 in range(-3, 4) for w2 in range(-3, 4)
                 if [int(b + w1 * x1 + w2 * x2 >= 0) for x1, x2 in inputs] == list(table)), None)


@pytest.fixture(scope="session")
def gate_weights():
    """The function ``gate_weights(table)``: weights of a perceptron that computes a 2-input
    truth table (a search over small integers: the tests' reference, not the course's)."""
    return _gate_weights


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """A course whose every assignment is released: ``notebooks/``, ``nbgrader_config.py``,
    ``release/`` and the gradebook, made by ``nbgrader generate_assignment`` once per session.
    Shared: a test that hands in, grades or publishes works on a copy
    (:func:`copy_released_course`)."""
    root = tmp_path_factory.mktemp("released") / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    for folder in sorted((ROOT / "notebooks").iterdir()):
        if any(folder.glob("*.ipynb")):
            shutil.copytree(folder, root / "notebooks" / folder.name, ignore=_IGNORE)
    env = dict(os.environ)
    # nbgrader runs `alembic` (the gradebook's migrations) from PATH: put the venv first
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "*",
                           "--force"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root


@pytest.fixture(scope="session")
def copy_released_course(released_course):
    """The function ``copy_released_course(dest)``: a copy of :func:`released_course` at
    ``dest`` (modification times kept, so the release stays current), to hand in and grade."""

    def copy(dest):
        shutil.copytree(released_course, dest, ignore=_IGNORE)
        return Path(dest)

    return copy
