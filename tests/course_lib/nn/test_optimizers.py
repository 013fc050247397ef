"""Optimizers: updates against plain-Python references, in place, in float32; a hand-computed
Dense + RMSprop step."""

import math

import numpy as np
import pytest

from course_lib.nn.layers import Dense
from course_lib.nn.optimizers import SGD, RMSprop, get_optimizer
from course_lib.nn.sequential import Sequential


def rmsprop_reference(w, grads, lr=0.001, rho=0.9, eps=1e-7, eps_in_sqrt=True):
    """RMSprop on a list of floats, one number at a time (Keras 3's form; Keras 2's with
    ``eps_in_sqrt=False``)."""
    w, v = list(w), [0.0] * len(w)
    for g in grads:
        for i, gi in enumerate(g):
            v[i] = rho * v[i] + (1 - rho) * gi * gi
            root = math.sqrt(v[i] + eps) if eps_in_sqrt else math.sqrt(v[i]) + eps
            w[i] -= lr * gi / root
    return w


def sgd_reference(w, grads, lr=0.01, momentum=0.0):
    w, vel = list(w), [0.0] * len(w)
    for g in grads:
        for i, gi in enumerate(g):
            vel[i] = momentum * vel[i] - lr * gi
            w[i] += vel[i]
    return w


@pytest.mark.parametrize("kwargs", [
    {}, {"learning_rate": 0.01, "rho": 0.5, "epsilon": 1e-3},
    {"eps_in_sqrt": False}, {"epsilon": 1e-3, "eps_in_sqrt": False}])
def test_rmsprop_matches_reference(kwargs):
    rng = np.random.default_rng(0)
    w = rng.normal(size=7).astype(np.float32)
    # gradients from 1e-5 to 1: the two forms differ on the small ones
    grads = [(rng.normal(size=7) * 10.0 ** rng.integers(-5, 1, 7)).astype(np.float32)
             for _ in range(5)]
    expected = rmsprop_reference(w.tolist(), [g.tolist() for g in grads], **{
        "lr": kwargs.get("learning_rate", 0.001), "rho": kwargs.get("rho", 0.9),
        "eps": kwargs.get("epsilon", 1e-7), "eps_in_sqrt": kwargs.get("eps_in_sqrt", True)})
    other = rmsprop_reference(w.tolist(), [g.tolist() for g in grads], **{
        "lr": kwargs.get("learning_rate", 0.001), "rho": kwargs.get("rho", 0.9),
        "eps": kwargs.get("epsilon", 1e-7), "eps_in_sqrt": not kwargs.get("eps_in_sqrt", True)})
    assert np.abs(np.subtract(expected, other)).max() > 1e-4   # the test tells the forms apart
    opt, ref = RMSprop(**kwargs), w
    for g in grads:
        opt.step([w], [g])
    assert w is ref and w.dtype == np.float32          # in place, still float32
    np.testing.assert_allclose(w, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_matches_reference(momentum):
    rng = np.random.default_rng(1)
    w = rng.normal(size=(2, 3)).astype(np.float32)
    grads = [rng.normal(size=(2, 3)).astype(np.float32) for _ in range(4)]
    expected = sgd_reference(w.ravel().tolist(), [g.ravel().tolist() for g in grads],
                             lr=0.05, momentum=momentum)
    opt = SGD(learning_rate=0.05, momentum=momentum)
    for g in grads:
        opt.step([w], [g])
    assert w.dtype == np.float32
    np.testing.assert_allclose(w.ravel(), expected, rtol=1e-5)


def test_keras_defaults_and_lr_alias():
    opt = RMSprop()
    assert (opt.learning_rate, opt.rho, opt.epsilon) == (0.001, 0.9, 1e-7)
    assert SGD().learning_rate == 0.01 and SGD().momentum == 0.0
    assert RMSprop(lr=0.01).learning_rate == 0.01
    assert repr(SGD(momentum=0.9)) == "SGD(learning_rate=0.01, momentum=0.9)"
    assert RMSprop().eps_in_sqrt and repr(RMSprop(eps_in_sqrt=False)) == (
        "RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-07, eps_in_sqrt=False)")
    with pytest.raises(TypeError, match="eps_in_sqrt must be True"):
        RMSprop(eps_in_sqrt="keras2")


def test_dense_rmsprop_step_by_hand():
    """One example x = (1, 2), target class 1, Dense(2) + softmax, two RMSprop steps."""
    model = Sequential([Dense(2, input_dim=2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(learning_rate=0.1))
    model.set_weights([np.array([[0.5, -0.5], [0.0, 0.25]]), np.array([0.0, 0.1])])
    x, y = np.array([[1.0, 2.0]]), np.array([[0.0, 1.0]])

    # by hand: z = W x + b = (0.5 - 1.0 + 0, 0 + 0.5 + 0.1) = (-0.5, 0.6)
    e0, e1 = math.exp(-0.5), math.exp(0.6)
    p0, p1 = e0 / (e0 + e1), e1 / (e0 + e1)            # 0.24973, 0.75027
    gz = [p0 - 0.0, p1 - 1.0]                           # dL/dz = p - y
    gw = [[gz[0] * 1.0, gz[0] * 2.0], [gz[1] * 1.0, gz[1] * 2.0]]  # dL/dW = dz x^T
    # first RMSprop step: v = 0.1 g^2, so the step is 0.1 * g / sqrt(0.1 g^2 + 1e-7), within
    # 1e-5 of 0.1 * g / (sqrt(0.1) |g|) = 0.31623 for these gradients (|g| > 0.24)
    def step(g):
        return 0.1 * abs(g) / math.sqrt(0.1 * g * g + 1e-7)
    assert all(abs(step(g) - 0.1 / math.sqrt(0.1)) < 1e-5 for g in [*gw[0], *gw[1], *gz])
    w_expected = [[0.5 - step(gw[0][0]), -0.5 - step(gw[0][1])],
                  [0.0 + step(gw[1][0]), 0.25 + step(gw[1][1])]]
    b_expected = [0.0 - step(gz[0]), 0.1 + step(gz[1])]
    assert abs(p0 - 0.24973) < 1e-5 and gw[0][1] > 0 and gw[1][0] < 0

    model.fit(x, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
    w, b = model.get_weights()
    np.testing.assert_allclose(w, w_expected, rtol=1e-5)
    np.testing.assert_allclose(b, b_expected, rtol=1e-5)
    np.testing.assert_allclose(w[0, 0], 0.18377, atol=1e-5)   # 0.5 - 0.31623

    # second step, checked with the reference loop on the two gradients
    z = [sum(w_expected[j][i] * x[0, i] for i in range(2)) + b_expected[j] for j in range(2)]
    ez = [math.exp(v) for v in z]
    p = [v / sum(ez) for v in ez]
    gz2 = [p[0] - 0.0, p[1] - 1.0]
    first = [gw[0][0], gw[0][1], gw[1][0], gw[1][1], gz[0], gz[1]]
    second = [gz2[0] * 1.0, gz2[0] * 2.0, gz2[1] * 1.0, gz2[1] * 2.0, gz2[0], gz2[1]]
    expected = rmsprop_reference([0.5, -0.5, 0.0, 0.25, 0.0, 0.1], [first, second], lr=0.1)
    model.fit(x, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
    w, b = model.get_weights()
    np.testing.assert_allclose(np.concatenate([w.ravel(), b]), expected, rtol=1e-5)


def test_get_optimizer_names():
    assert isinstance(get_optimizer("sgd"), SGD)
    assert isinstance(get_optimizer("RMSprop"), RMSprop)
    opt = SGD()
    assert get_optimizer(opt) is opt
    with pytest.raises(ValueError, match="unknown optimizer 'adam'.*'sgd', 'rmsprop'"):
        get_optimizer("adam")


@pytest.mark.parametrize("make, match", [
    (lambda: RMSprop(learning_rate=0), r"learning_rate must lie in \(0, inf\)"),
    (lambda: RMSprop(rho=1.0), r"rho must lie in \[0, 1\)"),
    (lambda: SGD(momentum=-0.1), r"momentum must lie in \[0, 1\)"),
])
def test_bad_hyper_parameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_learning_rate_type():
    with pytest.raises(TypeError, match="learning_rate must be a number"):
        SGD(learning_rate="0.1")
