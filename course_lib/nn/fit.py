"""The loops over mini-batches: ``fit`` (epoch after epoch), ``evaluate`` and ``predict``.

:class:`FitLoop` is the part of :class:`~course_lib.nn.sequential.Sequential` that runs the data
through the network; the model itself (layers, compile, forward and backward) is in
:mod:`course_lib.nn.sequential`.
"""

import numpy as np

from ..shapes import check_int
from .batch_losses import correct_count, loss_gradient, loss_sum
from .history import History, Progress, format_logs
from .layers import Dropout

__all__ = ["FitLoop"]


def _minibatches(x, y, batch_size, order, bufs):
    """Yield ``(xb, yb, seen)``: the batches of one epoch, in ``order`` (None: as stored).

    Shuffled batches are copied into the reused arrays ``bufs`` (no new array per batch);
    ``seen`` counts the examples up to the end of the batch.
    """
    n = len(x)
    for lo in range(0, n, batch_size):
        hi = min(n, lo + batch_size)
        if order is None:
            yield x[lo:hi], y[lo:hi], hi
        else:
            idx = order[lo:hi]
            yield (x.take(idx, axis=0, out=bufs[0][:hi - lo]),
                   y.take(idx, axis=0, out=bufs[1][:hi - lo]), hi)


class FitLoop:
    """``fit``, ``evaluate`` and ``predict`` for a model with ``forward``, ``layers``, ``loss``,
    ``optimizer``, ``metrics`` and ``_backward_from_loss`` (that is, for ``Sequential``)."""

    def _batch_logs(self, loss_total, correct, n, prefix=""):
        logs = {prefix + "loss": loss_total / n}
        for m in self.metrics:
            logs[prefix + m] = correct / n
        return logs

    def fit(self, x, y, epochs=1, batch_size=32, validation_data=None, verbose=1, shuffle=True,
            seed=None):
        """Train with mini-batch gradient descent.

        Parameters
        ----------
        x : ndarray, shape (N, *input_shape)
        y : ndarray, shape (N, K) one-hot (or (N,) labels for the sparse loss)
        epochs, batch_size : int
        validation_data : (x_val, y_val), optional
            Evaluated after each epoch (``val_loss``, ``val_accuracy``), Dropout off.
        verbose : {0, 1, 2}
            Silent, a progress bar per epoch, or one line per epoch.
        shuffle : bool
            Shuffle the examples at the start of every epoch.
        seed : int, optional
            Seed for the initial weights (if not built yet), shuffling and dropout.

        Returns
        -------
        History
            ``history["loss"]`` etc., one value per finished epoch. Ctrl-C (or the
            notebook's stop button) ends training cleanly and keeps the finished epochs.
        """
        self._check_compiled("Sequential.fit")
        epochs = check_int("Sequential.fit", "epochs", epochs, minimum=0)
        batch_size = check_int("Sequential.fit", "batch_size", batch_size, minimum=1)
        if verbose not in (0, 1, 2):
            raise ValueError(f"Sequential.fit: verbose must be 0 (silent), 1 (progress bar) or "
                             f"2 (one line per epoch), got {verbose!r}.")
        x, y = self._check_data(x, y, "Sequential.fit")
        if validation_data is not None:
            validation_data = self._check_data(*validation_data,
                                               "Sequential.fit (validation_data)")
        rng = self.rng if seed is None else np.random.default_rng(seed)
        self.build(rng)
        for layer in self.layers:
            if isinstance(layer, Dropout):
                layer.rng = rng
        steps = -(-len(x) // batch_size)
        history = self.history = History()
        history.params = {"epochs": epochs, "batch_size": batch_size, "steps": steps}
        progress = Progress(verbose, epochs, steps)
        size = min(len(x), batch_size)
        bufs = (np.empty((size, *x.shape[1:]), x.dtype),
                np.empty((size, *y.shape[1:]), y.dtype)) if shuffle else None
        with self._running_batches():
            try:
                for epoch in range(epochs):
                    progress.start_epoch(epoch)
                    order = rng.permutation(len(x)) if shuffle else None
                    logs = self._fit_epoch(_minibatches(x, y, batch_size, order, bufs), progress)
                    if validation_data is not None:
                        logs.update(self._evaluate(*validation_data, 256, "val_"))
                    history.append(logs)
                    progress.end_epoch(logs)
            except KeyboardInterrupt:
                history.interrupted = True
                progress.interrupted(len(history.epoch))
        return history

    def _fit_epoch(self, batches, progress):
        """One epoch: forward, loss, backward and an optimizer step per batch; the epoch's logs."""
        params, grads = self.params, self.grads
        total = correct = 0.0
        seen = 0
        for step, (xb, yb, seen) in enumerate(batches, start=1):
            out = self.forward(xb, training=True)
            total += loss_sum(self.loss, out, yb)
            if self.metrics:
                correct += correct_count(self.loss, out, yb)
            dloss = loss_gradient(self.loss, out, yb, self.layers[-1]._buf("dloss", out.shape))
            self._backward_from_loss(dloss)
            self.optimizer.step(params, grads)
            progress.update(step, self._batch_logs(total, correct, seen))
        return self._batch_logs(total, correct, seen)

    def _evaluate(self, x, y, batch_size, prefix=""):
        total = correct = 0.0
        with self._running_batches():
            for lo in range(0, len(x), batch_size):
                out = self.forward(x[lo:lo + batch_size])
                total += loss_sum(self.loss, out, y[lo:lo + batch_size])
                correct += correct_count(self.loss, out, y[lo:lo + batch_size])
        return self._batch_logs(total, correct, len(x), prefix)

    def evaluate(self, x, y, batch_size=256, verbose=0):
        """``[loss, accuracy]`` on ``(x, y)`` (just the loss without metrics); Dropout is off.

        ``batch_size`` only changes the speed, not the result."""
        self._check_compiled("Sequential.evaluate")
        x, y = self._check_data(x, y, "Sequential.evaluate")
        self.build()
        logs = self._evaluate(x, y, batch_size)
        if verbose:
            print(format_logs(logs))
        values = list(logs.values())
        return values if self.metrics else values[0]

    def predict(self, x, batch_size=256, verbose=0):
        """Outputs for ``x`` (class probabilities for a softmax model), Dropout off."""
        x = self._check_x(x, "Sequential.predict")
        self.build()
        result = np.empty((len(x), *self.layers[-1].output_shape), dtype=self.layers[-1].dtype)
        with self._running_batches():
            for lo in range(0, len(x), batch_size):
                result[lo:lo + batch_size] = self.forward(x[lo:lo + batch_size])
        return result
