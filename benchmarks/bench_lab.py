"""The lab's training epochs: course_lib against Keras 3 (JAX, CPU) and PyTorch (when installed).

One epoch of each of the lab's three MLPs and of LeNet-5 on the 60,000 real MNIST training
images (``BENCH_LAB_N`` for fewer), mini-batches of 256 for the MLPs, 128 for LeNet-5,
RMSprop (lr 0.001, rho 0.9, eps 1e-7), float32, every library in the same process on the same
thread count (``BENCH_THREADS``, default 2: NumPy's BLAS, PyTorch's intra-op threads; XLA's
CPU thread pool is told the same through ``XLA_FLAGS`` when it is 1). Each library runs its own
``fit``-style loop (shuffle, batches, loss and accuracy per batch), as a student would call it:
``model.fit(x, y, epochs=1, batch_size=256, verbose=0)`` for course_lib and Keras. The epochs
of the two sides alternate; a ratio is reported only when their spread is below 10% (see
``benchmarks/_timing.py``). Targets (the performance issue): each MLP epoch <= 1.0x Keras and
<= 1.0x PyTorch; LeNet-5 <= 1.0x Keras, and its PyTorch ratio reported (NumPy's GEMM floor).

    python -m benchmarks lab [--json PATH]          # about 5 minutes on 2 cores
    BENCH_LAB_MODELS=lenet5 BENCH_LAB_N=10000 python -m benchmarks lab   # one model, fewer images
"""

import os

from benchmarks._results import write_json
from benchmarks._timing import THREADS, Row, compare, print_rows, torch_or_none

if THREADS == 1:   # XLA reads this when JAX starts: before Keras is imported below
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                                       "intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402

from course_lib import load_mnist, one_hot  # noqa: E402
from course_lib.nn import lenet5  # noqa: E402
from course_lib.nn.lecture_curves import build  # noqa: E402

N = int(os.environ.get("BENCH_LAB_N", "60000"))
BATCH, LENET_BATCH, K = 256, 128, 10
MLPS = ("model 1", "model 2", "model 4")
SELECTED = [m.strip().replace("model", "model ").replace("  ", " ") for m in
            os.environ.get("BENCH_LAB_MODELS", ",".join((*MLPS, "lenet5"))).split(",")]
LABELS = {"model 1": "model 1 (784-10-10)", "model 2": "model 2 (784-500-10)",
          "model 4": "model 4 (784-500-300-10, dropout 0.4)", "lenet5": "LeNet-5 (28x28, pad 2)"}
TARGETS = {"keras": {"model 1": 1.0, "model 2": 1.0, "model 4": 1.0, "lenet5": 1.0},
           "torch": {"model 1": 1.0, "model 2": 1.0, "model 4": 1.0, "lenet5": None}}


def course_model(name):
    """The lab's model (``build``) or LeNet-5, compiled with RMSprop()."""
    if name != "lenet5":
        return build(name)
    model = lenet5(input_shape=(28, 28, 1), seed=0)
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    return model


def keras_or_none():
    """The Keras bridge (Keras 3 on JAX), or None without the keras extra."""
    try:
        from course_lib.nn import keras_bridge
    except ImportError:
        return None
    return keras_bridge


def torch_model(torch, name):
    """The same network in PyTorch (logits out: CrossEntropyLoss applies the softmax)."""
    nn = torch.nn
    if name == "lenet5":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, K))
    hidden = {"model 1": [10], "model 2": [500], "model 4": [500, 300]}[name]
    layers, n_in = [], 784
    for units in hidden:
        layers += [nn.Linear(n_in, units), nn.ReLU()]
        layers += [nn.Dropout(0.4)] if name == "model 4" else []
        n_in = units
    return nn.Sequential(*layers, nn.Linear(n_in, K))


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


def _data():
    (x, labels), _ = load_mnist(verbose=False)
    x, labels = x[:N], labels[:N]
    return x.reshape(len(x), 784), labels, one_hot(labels, K)


def _epochs(name, x, y):
    """``(course_lib's epoch, Keras' epoch or None)`` as functions of no argument."""
    batch = LENET_BATCH if name == "lenet5" else BATCH
    x = x.reshape(len(x), 28, 28, 1) if name == "lenet5" else x
    ours_model = course_model(name)
    bridge = keras_or_none()
    keras_model = None if bridge is None else bridge.to_keras(ours_model)

    def ours():
        ours_model.fit(x, y, epochs=1, batch_size=batch, verbose=0)

    def keras():
        keras_model.fit(x, y, epochs=1, batch_size=batch, verbose=0)

    return ours, (None if keras_model is None else keras)


def _case(name, reference, ours, theirs):
    repeat = 3 if name == "lenet5" else 5
    row = Row(f"{LABELS[name]}, one epoch vs {reference}",
              *compare(ours, theirs, repeat=repeat, sample_time=0, rounds=2),
              target=TARGETS["keras" if reference.startswith("Keras") else "torch"][name])
    ratio = "spread too large" if row.ratio is None else f"ratio {row.ratio:.2f}"
    print(f"  {row.case}: course_lib {row.numpy_ms / 1e3:.2f} s, {reference} "
          f"{row.ref_ms / 1e3:.2f} s, spread {100 * row.spread:.1f}%, {ratio}", flush=True)
    return row


def as_json(rows):
    """The rows as plain data: seconds, the ratio (None when the spread withheld it)."""
    return [{"case": r.case, "course_lib_seconds": r.numpy_ms / 1e3,
             "reference_seconds": r.ref_ms / 1e3, "spread": r.spread, "ratio": r.ratio,
             "target_ratio": r.target, "met": r.ok} for r in rows]


def main(json_path=None):
    x, labels, y = _data()
    torch = torch_or_none()
    if keras_or_none() is None:
        print("\nbench_lab: Keras 3 is not installed (pip install -e '.[keras]'): no Keras rows.")
    if torch is None:
        print("bench_lab: PyTorch is not installed (pip install -e '.[bench]'): no PyTorch rows.")
    rows = []
    unknown = [name for name in SELECTED if name not in LABELS]
    if unknown:
        raise ValueError(f"BENCH_LAB_MODELS: unknown {unknown}; known: {', '.join(LABELS)} "
                         "(model1 for model 1, ...).")
    for name in SELECTED:
        ours, keras = _epochs(name, x, y)
        if keras is not None:
            rows.append(_case(name, "Keras 3 (JAX)", ours, keras))
        if torch is not None:
            shape = (-1, 1, 28, 28) if name == "lenet5" else (-1, 784)
            xt = torch.from_numpy(np.ascontiguousarray(x.reshape(shape)))
            theirs = torch_epoch(torch, torch_model(torch, name), xt, torch.from_numpy(labels),
                                 LENET_BATCH if name == "lenet5" else BATCH)
            rows.append(_case(name, "PyTorch", ours, theirs))
    if rows:
        print_rows(f"One training epoch on {len(x):,} MNIST images, RMSprop, {THREADS} "
                   "threads (ms; ratio = course_lib / reference)", rows)
    if json_path is not None:
        write_json(json_path, "lab", as_json(rows), threads=THREADS, images=len(x))
    return rows


if __name__ == "__main__":
    from benchmarks.__main__ import main as run_all

    run_all(["lab"])
