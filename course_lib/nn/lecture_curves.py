"""The lecture's long runs: models 1, 2 and 4 of the MNIST lab trained for 100 epochs.

The lecture's loss-curve slides come from ``run_network(..., epochs=100)`` with mini-batches of
256 images and RMSprop. Training all three models that long takes minutes, too long for a
notebook cell, so this script trains them once and stores every epoch's numbers in a small
JSON file beside it (``lecture_curves.json``), which notebook 07 reads::

    python -m course_lib.nn.lecture_curves              # the lecture's settings (minutes)
    python -m course_lib.nn.lecture_curves --quick      # a smoke test: 2 epochs on 2,000 images

The file records the settings, the seconds each model took and the date with the curves.
The lecture ran Keras 2, whose RMSprop adds epsilon after the square root; the script trains
with that form, ``RMSprop(eps_in_sqrt=False)`` (``LECTURE_OPTIMIZER``), while ``build`` and the
notebooks use Keras 3's ``RMSprop()``. Over 100 epochs the two differ visibly (notebook 07,
section 11).
"""

import argparse
import datetime
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from ..data import load_mnist
from ..losses import one_hot
from .layers import Activation, Dense, Dropout
from .optimizers import RMSprop
from .sequential import Sequential

__all__ = ["LECTURE_CURVES", "LECTURE_OPTIMIZER", "LAYERS", "build", "train_curves",
           "load_curves", "main"]

LECTURE_CURVES = Path(__file__).with_name("lecture_curves.json")
# The lab's three networks as (hidden widths, dropout rate after each hidden layer).
LAYERS = {"model 1": ((10,), None), "model 2": ((500,), None), "model 4": ((500, 300), 0.4)}
# The lecture's optimizer: Keras 2's RMSprop() (epsilon after the root; see RMSprop)
LECTURE_OPTIMIZER = {"learning_rate": 0.001, "rho": 0.9, "epsilon": 1e-7, "eps_in_sqrt": False}


def build(name, seed=0, optimizer=None):
    """One of the lab's networks (``"model 1"``, ``"model 2"``, ``"model 4"``), compiled with
    ``optimizer`` (default ``RMSprop()``, Keras 3's form).

    Examples
    --------
    >>> build("model 1").count_params()
    7960
    """
    if name not in LAYERS:
        raise ValueError(f"build: the lab's models are {sorted(LAYERS)}, got {name!r}.")
    hidden, rate = LAYERS[name]
    layers, n_in = [], 784
    for width in hidden:
        layers += [Dense(width, input_dim=n_in), Activation("relu")]
        layers += [Dropout(rate)] if rate else []
        n_in = width
    model = Sequential([*layers, Dense(10), Activation("softmax")], seed=seed)
    model.compile(loss="categorical_crossentropy",
                  optimizer=RMSprop() if optimizer is None else optimizer, metrics=["accuracy"])
    return model


def _data(n_train):
    (x_train, y_train), (x_test, y_test) = load_mnist(verbose=False)
    x_train, x_test = x_train.reshape(-1, 784), x_test.reshape(-1, 784)
    if n_train is not None:
        x_train, y_train = x_train[:n_train], y_train[:n_train]
    return x_train, one_hot(y_train, 10), x_test, one_hot(y_test, 10)


def train_curves(epochs=100, batch=256, n_train=None, names=None, seed=0, log=print):
    """Train the lab's models and return their curves, settings and timings (plain data).

    Parameters
    ----------
    epochs, batch : int
        The lecture's 100 and 256 by default.
    n_train : int, optional
        Train on the first ``n_train`` images only (all 60,000 by default).
    names : sequence of str, optional
        Which models (all three by default).

    Returns
    -------
    dict
        ``{"settings": {...}, "seconds": {name: s}, "curves": {name: {"loss": [...], ...}}}``,
        the numbers rounded to 5 decimals.
    """
    x_train, y_train, x_test, y_test = _data(n_train)
    names = tuple(LAYERS) if names is None else names
    optimizer = repr(RMSprop(**LECTURE_OPTIMIZER))
    result = {"settings": {"epochs": epochs, "batch": batch, "optimizer": optimizer,
                           "seed": seed, "train_images": len(x_train),
                           "test_images": len(x_test)},
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, float32 NumPy",
              "date": datetime.date.today().isoformat(), "seconds": {}, "curves": {}}
    for name in names:
        model = build(name, seed, RMSprop(**LECTURE_OPTIMIZER))
        start = time.perf_counter()
        history = model.fit(x_train, y_train, batch_size=batch, epochs=epochs, verbose=0,
                            validation_data=(x_test, y_test))
        seconds = time.perf_counter() - start
        result["seconds"][name] = round(seconds, 1)
        result["curves"][name] = {key: [round(float(v), 5) for v in history[key]]
                                  for key in ("loss", "val_loss", "accuracy", "val_accuracy")}
        log(f"{name}: {epochs} epochs in {seconds:.0f} s, last test accuracy "
            f"{history['val_accuracy'][-1]:.4f}, lowest test loss {min(history['val_loss']):.4f}"
            f" after epoch {int(np.argmin(history['val_loss'])) + 1}")
    return result


def load_curves(path=LECTURE_CURVES):
    """The stored curves (see :func:`train_curves`), read from ``path``."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv=None):
    """Command line: train and write the JSON file."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.nn.lecture_curves",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--quick", action="store_true",
                        help="2 epochs on 2,000 images, for a smoke test")
    parser.add_argument("--out", type=Path, default=LECTURE_CURVES)
    args = parser.parse_args(argv)
    epochs, n_train = (2, 2000) if args.quick else (args.epochs, None)
    result = train_curves(epochs, args.batch, n_train)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return result


if __name__ == "__main__":
    main()
