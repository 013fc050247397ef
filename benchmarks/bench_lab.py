"""One training epoch of the lab's MLPs and of LeNet-5: course_lib's Sequential against PyTorch.

Same architecture, same batch loop (shuffle, mini-batches of 256, loss and accuracy summed per
batch as Keras reports them), same RMSprop (lr 0.001, rho/alpha 0.9, eps 1e-7), float32, same
thread count. Random data of MNIST's shape: the time of an epoch does not depend on the pixel
values, and no download is needed. Targets: NumPy/PyTorch <= 1.0 for the three MLPs (issue 4),
<= 1.5 for LeNet-5 (issue 16), timed on a subset (LENET_N images) and scaled to 60,000. The
epochs of the two libraries alternate; a ratio is reported only when their spread is below
10% (see ``benchmarks/_timing.py``).
"""

import os

import numpy as np

from benchmarks._timing import Row, compare, print_rows, torch_or_none
from course_lib import (
    Activation,
    Dense,
    Dropout,
    RMSprop,
    Sequential,
    lenet5,
    one_hot,
)

N, D, K, BATCH = 60_000, 784, 10, 256
LENET_N, LENET_BATCH = int(os.environ.get("BENCH_LENET_N", "3000")), 128
# (label, hidden sizes, dropout rate)
MODELS = [
    ("model 1: 784-10 relu-10 softmax", [10], None),
    ("model 2: 784-500 relu-10 softmax", [500], None),
    ("model 4: 784-500-300-10, dropout 0.4", [500, 300], 0.4),
]
TARGET, LENET_TARGET = 1.0, 1.5


def numpy_mlp(hidden, dropout, seed=0):
    layers, n_in = [], D
    for i, units in enumerate(hidden):
        layers += [Dense(units, input_dim=n_in) if i == 0 else Dense(units), Activation("relu")]
        if dropout:
            layers.append(Dropout(dropout))
        n_in = units
    model = Sequential(layers + [Dense(K), Activation("softmax")], seed=seed)
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(), metrics=["accuracy"])
    return model


def torch_mlp(torch, hidden, dropout):
    nn, layers, n_in = torch.nn, [], D
    for units in hidden:
        layers += [nn.Linear(n_in, units), nn.ReLU()]
        if dropout:
            layers.append(nn.Dropout(dropout))
        n_in = units
    return nn.Sequential(*layers, nn.Linear(n_in, K))


def torch_lenet(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, K))


def torch_epoch(torch, model, x, labels, batch):
    """The PyTorch loop: shuffle, and per batch forward, loss, backward, RMSprop step."""
    opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()  # log-softmax + NLL, fused
    model.train()

    def epoch():
        perm = torch.randperm(len(x))
        total, correct = 0.0, 0
        for lo in range(0, len(x), batch):
            idx = perm[lo:lo + batch]
            xb, yb = x[idx], labels[idx]
            opt.zero_grad()
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            correct += int((out.argmax(1) == yb).sum())
        return total / len(x), correct / len(x)

    return epoch


def _progress(row):
    """One line as soon as a case is done: the whole run takes minutes."""
    ratio = "spread too large" if row.ratio is None else f"ratio {row.ratio:.2f}"
    print(f"  {row.case}: NumPy {row.numpy_ms / 1e3:.2f} s, PyTorch {row.ref_ms / 1e3:.2f} s, "
          f"spread {100 * row.spread:.1f}%, {ratio}", flush=True)


def main():
    torch = torch_or_none()
    if torch is None:
        print("\nbench_mlp: PyTorch is not installed (pip install torch==2.13.0): skipped.")
        return
    rng = np.random.default_rng(0)
    x = rng.random((N, D), dtype=np.float32)
    labels = rng.integers(0, K, N)
    y = one_hot(labels, K)
    xt, lt = torch.from_numpy(x), torch.from_numpy(labels)
    torch.manual_seed(0)
    rows = []
    for label, hidden, dropout in MODELS:
        model = numpy_mlp(hidden, dropout)
        ours = lambda m=model: m.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)  # noqa: E731
        theirs = torch_epoch(torch, torch_mlp(torch, hidden, dropout), xt, lt, BATCH)
        rows.append(Row(f"{label}, one epoch", *compare(ours, theirs, repeat=5, sample_time=0,
                                                         rounds=2), target=TARGET))
        _progress(rows[-1])

    xi = x[:LENET_N].reshape(LENET_N, 28, 28, 1)
    model = lenet5(input_shape=(28, 28, 1), seed=0)
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(), metrics=["accuracy"])
    ours = lambda: model.fit(xi, y[:LENET_N], epochs=1, batch_size=LENET_BATCH,  # noqa: E731
                             verbose=0)
    theirs = torch_epoch(torch, torch_lenet(torch), torch.from_numpy(
        np.ascontiguousarray(xi.transpose(0, 3, 1, 2))), lt[:LENET_N], LENET_BATCH)
    scale = N / LENET_N
    ours_ms, theirs_ms, spread = compare(ours, theirs, repeat=9, sample_time=0, rounds=2)
    rows.append(Row(f"LeNet-5 28x28, batch {LENET_BATCH}, epoch (from {LENET_N:,} images)",
                    ours_ms * scale, theirs_ms * scale, spread, LENET_TARGET,
                    note=f"times scaled x{scale:g} to 60,000 images"))
    _progress(rows[-1])
    print_rows(f"One training epoch, {N:,} x {D} float32, RMSprop (ms)", rows)


if __name__ == "__main__":
    from benchmarks.__main__ import main as run_all

    run_all(["mlp"])
