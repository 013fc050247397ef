"""The losses of ``fit``'s hot loop, one batch at a time, and the checks of its data.

They check nothing themselves (``fit`` checks the targets once, with :func:`check_targets`) and
write the gradient into a reused array; :mod:`course_lib.losses` holds the taught versions,
which they agree with (``tests`` compare them).
"""

import numpy as np

from ..losses import EPS

__all__ = ["LOSSES", "check_loss", "loss_sum", "loss_gradient", "correct_count", "check_x",
           "check_targets"]


LOSSES = ("categorical_crossentropy", "sparse_categorical_crossentropy", "mean_squared_error")
_ALIASES = {"mse": "mean_squared_error"}


def check_loss(loss):
    """Return the canonical name of ``loss``, or raise ValueError listing the valid ones."""
    name = _ALIASES.get(loss, loss) if isinstance(loss, str) else loss
    if name not in LOSSES:
        raise ValueError(f"Sequential.compile: unknown loss {loss!r}; valid losses: "
                         f"{', '.join(map(repr, LOSSES))} (or 'mse').")
    return name


def loss_sum(loss, out, y):
    """Sum over the batch of the per-example losses (the caller divides by N)."""
    if loss == "categorical_crossentropy":
        logp = np.log(np.clip(out, EPS, 1.0))
        return -float(np.vdot(y, logp))
    if loss == "sparse_categorical_crossentropy":
        p = out[np.arange(len(y)), y]
        return -float(np.log(np.clip(p, EPS, 1.0)).sum())
    return float(np.square(out - y).mean(axis=-1).sum())


def loss_gradient(loss, out, y, buf):
    """Gradient of the batch mean loss: w.r.t. the softmax's input for the cross-entropies
    (``(p - y) / N``: softmax and cross-entropy fused), w.r.t. the output for MSE."""
    n = out.shape[0]
    if loss == "categorical_crossentropy":
        np.subtract(out, y, out=buf)
    elif loss == "sparse_categorical_crossentropy":
        np.copyto(buf, out)
        buf[np.arange(n), y] -= 1
    else:
        np.subtract(out, y, out=buf)
        buf *= buf.dtype.type(2.0 / out.shape[-1])
    buf *= buf.dtype.type(1.0 / n)
    return buf


def correct_count(loss, out, y):
    """Number of examples whose most probable class is the true class."""
    pred = out.argmax(axis=-1)
    true = y if loss == "sparse_categorical_crossentropy" else y.argmax(axis=-1)
    return int(np.count_nonzero(pred == true))


def check_x(first, x, func):
    """``x`` as an array of the first layer's dtype, or a ValueError showing the shapes."""
    x = np.asarray(x)
    want = first.input_shape
    if x.shape[1:] != want:
        shape = ", ".join(map(str, want))
        hint = (f" Flatten the images with X.reshape(len(X), {want[0]})."
                if len(want) == 1 and x.ndim > 2 and np.prod(x.shape[1:]) == want[0] else "")
        raise ValueError(f"{func}: X has shape {x.shape}, the model expects (N, {shape})."
                         f"{hint}")
    dtype = first.dtype
    return x if x.dtype == dtype else x.astype(dtype)


def check_targets(loss, last, x, y, func):
    """``y`` checked against the loss and the last layer's output shape."""
    y = np.asarray(y)
    if len(y) != len(x):
        raise ValueError(f"{func}: X has {len(x)} examples but y has {len(y)}; they must "
                         "match.")
    out = last.output_shape
    if loss == "sparse_categorical_crossentropy":
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(
                f"{func}: sparse_categorical_crossentropy expects integer labels of shape "
                f"({len(x)},), got y of shape {y.shape} and dtype {y.dtype}. For one-hot "
                "targets compile with loss='categorical_crossentropy'.")
        if y.min() < 0 or y.max() >= out[0]:
            raise ValueError(f"{func}: labels must lie in 0..{out[0] - 1}, got values "
                             f"from {y.min()} to {y.max()}.")
        return y
    if y.shape[1:] != out:
        fix = (f" Convert the labels with one_hot(y, {out[0]}), or compile with "
               "loss='sparse_categorical_crossentropy'."
               if y.ndim == 1 and loss == "categorical_crossentropy" else "")
        raise ValueError(f"{func}: {loss} expects targets of shape "
                         f"({len(x)}, {', '.join(map(str, out))}) like the model's output, "
                         f"got y of shape {y.shape}.{fix}")
    return y.astype(last.dtype, copy=False)
