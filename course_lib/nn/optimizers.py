"""Optimizers: SGD (with momentum) and RMSprop, with Keras' defaults.

Both update the weights in place, in the weights' own dtype (float32 stays float32), with
scratch arrays allocated once: an out-of-place RMSprop step costs many times more than the
arithmetic it does.
"""

import numpy as np

__all__ = ["Optimizer", "SGD", "RMSprop", "get_optimizer"]


def _check_number(func, name, value, low, high=None, low_open=False):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"{func}: {name} must be a number, got {value!r}.")
    bad_low = value <= low if low_open else value < low
    if bad_low or (high is not None and value >= high):
        where = f"{'(' if low_open else '['}{low}, {high if high is not None else 'inf'})"
        raise ValueError(f"{func}: {name} must lie in {where}, got {name}={value}.")
    return float(value)


class Optimizer:
    """Base class: ``step(params, grads)`` updates every array of ``params`` in place."""

    def __init__(self, learning_rate):
        name = type(self).__name__
        self.learning_rate = _check_number(name, "learning_rate", learning_rate, 0,
                                           low_open=True)
        self._state = None
        self.iterations = 0

    def step(self, params, grads):
        """Apply one update to every parameter array (in place) from its gradient."""
        if self._state is None or len(self._state) != len(params):
            self._state = [self._new_state(p) for p in params]
        for p, g, s in zip(params, grads, self._state, strict=True):
            self._update(p, g, s)
        self.iterations += 1

    def _new_state(self, p):
        return None

    def _update(self, p, g, state):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v:g}" for k, v in self._config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (Keras' form).

    Parameters
    ----------
    learning_rate : float, default 0.01
    momentum : float in [0, 1), default 0.0

    Notes
    -----
    Without momentum: ``w <- w - lr * g``. With momentum ``m``:
    ``v <- m * v - lr * g`` then ``w <- w + v`` (``v`` starts at 0).

    Examples
    --------
    >>> w = np.array([1.0, 2.0], dtype=np.float32)
    >>> SGD(learning_rate=0.1).step([w], [np.array([1.0, -1.0], dtype=np.float32)])
    >>> w
    array([0.9, 2.1], dtype=float32)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, lr=None):
        super().__init__(learning_rate if lr is None else lr)
        self.momentum = _check_number("SGD", "momentum", momentum, 0, 1)

    def _new_state(self, p):
        if self.momentum == 0:
            return np.empty_like(p)  # scratch for lr * g
        return np.zeros_like(p), np.empty_like(p)

    def _update(self, p, g, state):
        lr = p.dtype.type(self.learning_rate)
        if self.momentum == 0:
            p -= np.multiply(g, lr, out=state)
            return
        v, tmp = state
        v *= p.dtype.type(self.momentum)
        v -= np.multiply(g, lr, out=tmp)
        p += v

    def _config(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum}


class RMSprop(Optimizer):
    """RMSprop: divide each step by a running root mean square of the recent gradients.

    Parameters
    ----------
    learning_rate : float, default 0.001
    rho : float in [0, 1), default 0.9
        Decay of the running mean of squared gradients.
    epsilon : float, default 1e-7
        Added to the mean square (or to its root) so the division is safe.
    eps_in_sqrt : bool, default True
        Keras 3's form (and Optax's ``eps_in_sqrt``): ``epsilon`` inside the root. False gives
        Keras 2's form, which the lecture ran, and PyTorch's: ``epsilon`` after the root.

    Notes
    -----
    With ``v`` starting at 0, per parameter:

    .. math:: v \\leftarrow \\rho v + (1 - \\rho) g^2, \\qquad
              w \\leftarrow w - \\frac{\\eta\\, g}{\\sqrt{v + \\epsilon}}
              \\quad\\text{(Keras 2, PyTorch: } \\sqrt{v} + \\epsilon\\text{)}

    One step from the same weights and gradients gives Keras 3's weights to float32
    round-off (tests/course_lib/nn/test_keras_bridge.py). The two forms take the same step
    wherever the gradients' root mean square is well above ``sqrt(epsilon)`` (about 3e-4).
    Below it Keras 3's step shrinks with the gradient, while Keras 2's stays near
    ``eta / sqrt(1 - rho)``: late in a long run, when most gradients are tiny, Keras 2's form
    keeps pushing the training loss towards 0 (notebook 07, section 11).

    Examples
    --------
    >>> w = np.array([1.0], dtype=np.float32)
    >>> RMSprop().step([w], [np.array([0.5], dtype=np.float32)])
    >>> w    # v = 0.1 * 0.25, step = 0.001 * 0.5 / sqrt(0.025): about 0.00316
    array([0.99684], dtype=float32)
    >>> w = np.array([0.0], dtype=np.float32)  # a tiny gradient: the two forms differ
    >>> RMSprop().step([w], [np.array([1e-4], dtype=np.float32)]); float(w[0])
    -0.00032
    >>> w = np.array([0.0], dtype=np.float32)
    >>> RMSprop(eps_in_sqrt=False).step([w], [np.array([1e-4], dtype=np.float32)]); float(w[0])
    -0.00315
    """

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7, lr=None, eps_in_sqrt=True):
        super().__init__(learning_rate if lr is None else lr)
        self.rho = _check_number("RMSprop", "rho", rho, 0, 1)
        self.epsilon = _check_number("RMSprop", "epsilon", epsilon, 0)
        if not isinstance(eps_in_sqrt, bool):
            raise TypeError(f"RMSprop: eps_in_sqrt must be True (Keras 3) or False (Keras 2, "
                            f"PyTorch), got {eps_in_sqrt!r}.")
        self.eps_in_sqrt = eps_in_sqrt

    def _new_state(self, p):
        return np.zeros_like(p), np.empty_like(p)

    def _update(self, p, g, state):
        v, tmp = state
        t = p.dtype.type
        v *= t(self.rho)
        np.multiply(g, g, out=tmp)
        tmp *= t(1 - self.rho)
        v += tmp
        if self.eps_in_sqrt:
            np.add(v, t(self.epsilon), out=tmp)
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(v, out=tmp)
            tmp += t(self.epsilon)
        np.divide(g, tmp, out=tmp)
        tmp *= t(self.learning_rate)
        p -= tmp

    def _config(self):
        return {"learning_rate": self.learning_rate, "rho": self.rho, "epsilon": self.epsilon}

    def __repr__(self):
        extra = "" if self.eps_in_sqrt else ", eps_in_sqrt=False"
        return super().__repr__()[:-1] + extra + ")"


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop}


def get_optimizer(optimizer):
    """An optimizer from an instance or a name (``"sgd"``, ``"rmsprop"``, with defaults).

    Examples
    --------
    >>> get_optimizer("rmsprop")
    RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-07)
    """
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str) and optimizer.lower() in OPTIMIZERS:
        return OPTIMIZERS[optimizer.lower()]()
    raise ValueError(f"get_optimizer: unknown optimizer {optimizer!r}; give an optimizer such "
                     f"as RMSprop(learning_rate=0.001) or one of the names "
                     f"{', '.join(map(repr, OPTIMIZERS))}.")
