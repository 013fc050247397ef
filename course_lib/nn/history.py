"""What ``fit`` records and prints: the History it returns, its progress lines and the
summary table of ``Sequential.summary()``."""

import sys
import time

__all__ = ["History", "Progress", "format_logs", "summary_table"]


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
