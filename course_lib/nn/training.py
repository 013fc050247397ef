"""What ``Sequential`` needs besides the layers: losses, accuracy, checks of the data, History,
progress output and the summary table.

The losses here work on one batch in the hot loop of ``fit``: they check nothing (``fit``
checks the targets once) and write the gradient into a reused array.
"""

import sys
import time

import numpy as np

from ..losses import EPS

__all__ = ["LOSSES", "History", "Progress", "check_loss", "check_x", "check_targets"]

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


class History:
    """What ``fit`` returns: ``history.history["loss"]`` (Keras) or ``history["loss"]``.

    Attributes
    ----------
    history : dict of str to list of float
        One value per finished epoch: ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``.
    epoch : list of int
        The epochs run (0-based, as in Keras).
    interrupted : bool
        True when training was stopped with Ctrl-C (or the notebook's stop button).

    Examples
    --------
    >>> h = History()
    >>> h.append({"loss": 0.5, "accuracy": 0.9})
    >>> h["loss"], h.history["accuracy"]
    ([0.5], [0.9])
    """

    def __init__(self):
        self.history, self.epoch, self.params, self.interrupted = {}, [], {}, False

    def append(self, logs):
        self.epoch.append(len(self.epoch))
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __getitem__(self, key):
        try:
            return self.history[key]
        except KeyError:
            raise KeyError(f"History: no {key!r}; recorded: {', '.join(self.history)}. "
                           "val_ values need fit(..., validation_data=(X_test, y_test)).") from None

    def __contains__(self, key):
        return key in self.history

    def keys(self):
        return self.history.keys()

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


def format_logs(logs):
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


def summary_table(name, rows, total):
    """Keras' summary table from rows of (``"name (Type)"``, output shape, parameters)."""
    w0 = max([29] + [len(r[0]) + 1 for r in rows])
    w1 = max([26] + [len(r[1]) + 1 for r in rows])
    width = w0 + w1 + 10

    def row(a, b, c):
        return f"{a:<{w0}}{b:<{w1}}{c}"

    lines = [f'Model: "{name}"', "_" * width, row("Layer (type)", "Output Shape", "Param #"),
             "=" * width]
    for i, r in enumerate(rows):
        lines.append(row(*r))
        lines.append("=" * width if i == len(rows) - 1 else "_" * width)
    lines += [f"Total params: {total:,}", f"Trainable params: {total:,}",
              "Non-trainable params: 0", "_" * width]
    return "\n".join(lines)


class Progress:
    """Keras-like progress output for ``fit``.

    ``verbose=1``: a bar per epoch that redraws itself in place (``\\r``), at most ten times
    a second; ``verbose=2``: one line per epoch; ``verbose=0``: nothing.
    """

    width = 30

    def __init__(self, verbose, epochs, steps, stream=None):
        self.verbose, self.epochs, self.steps = verbose, epochs, steps
        self.stream = sys.stdout if stream is None else stream
        self._last_len = 0

    def _write(self, text):
        self.stream.write(text)
        self.stream.flush()

    def start_epoch(self, epoch):
        self.epoch, self.t0, self._shown = epoch, time.perf_counter(), 0.0
        if self.verbose == 1:
            self._write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def _bar(self, step):
        done = int(self.width * step / self.steps)
        arrow = ">" if step < self.steps else "="
        bar = "=" * max(done - 1, 0) + (arrow if done else "")
        w = len(str(self.steps))
        return f"{step:>{w}}/{self.steps} [{bar:.<{self.width}}]"

    def _redraw(self, text):
        pad = " " * max(self._last_len - len(text), 0)
        self._write("\r" + text + pad)
        self._last_len = len(text)

    def update(self, step, logs):
        if self.verbose != 1:
            return
        now = time.perf_counter()
        if now - self._shown < 0.1:
            return
        self._shown = now
        eta = (now - self.t0) / step * (self.steps - step)
        self._redraw(f"{self._bar(step)} - ETA: {eta:.0f}s - {format_logs(logs)}")

    def end_epoch(self, logs):
        seconds = time.perf_counter() - self.t0
        if self.verbose == 1:
            per_step = 1000 * seconds / max(self.steps, 1)
            self._redraw(f"{self._bar(self.steps)} - {seconds:.0f}s {per_step:.0f}ms/step - "
                         f"{format_logs(logs)}")
            self._write("\n")
        elif self.verbose == 2:
            self._write(f"Epoch {self.epoch + 1}/{self.epochs} - {seconds:.1f}s - "
                        f"{format_logs(logs)}\n")

    def interrupted(self, done):
        if self.verbose == 1 and self._last_len:
            self._write("\n")
        self._write(f"Training interrupted after {done} of {self.epochs} epochs; returning the "
                    "history so far (the weights keep the updates of the unfinished epoch).\n")
