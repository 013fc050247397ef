"""Shared helpers for the benchmarks: fair timing, a spread gate, memory, optional PyTorch.

Use from a ``bench_*.py`` module::

    from benchmarks._timing import Row, compare, print_rows, torch_or_none

    torch = torch_or_none()              # None when PyTorch is not installed
    rows = [Row("my case", *compare(numpy_fn, torch_fn), target=1.5)]
    print_rows("My benchmarks", rows)

Every comparison runs in the same process, on the same thread count (``THREADS``, default 2,
overridable with the environment variable ``BENCH_THREADS``), and interleaves the two sides
sample by sample, so a busy machine slows both alike. The ratio is the ratio of the medians;
it is reported only when the spread of the samples (see ``spread``) is below ``SPREAD_LIMIT``,
otherwise the row says "spread too large" instead of a number that would only be noise.

Why ``OPENBLAS_THREAD_TIMEOUT``: after a matrix product, OpenBLAS keeps its worker threads
spinning for about 2**28 cycles (a tenth of a second) before they sleep. Interleaved with
PyTorch, that spinning thread takes one of the two cores during PyTorch's call: PyTorch's conv2d
was measured 6 to 20 times slower than alone (0.3 ms became 5.5 ms), which made NumPy look up
to 5 times better than it is. The shortest timeout (2**4 cycles) removes that; it did not
change NumPy's own times measurably (1.6 vs 1.6 ms, 37 vs 36 ms).

Why ``GOMP_SPINCOUNT``, the same on PyTorch's side: PyTorch's OpenMP (GNU libgomp) workers
spin after every parallel region, so NumPy's next call found one core taken, which split
passes feel most (the 3x3x64 conv2d forward: 11-12 ms alone, 16-21 ms right after any PyTorch
call, even an addition). A spin count of 20000 removed that (11.4-12.7 ms) and left
PyTorch's own times as they were (0.24-0.29 ms, 0.68-0.83 ms on the 5x5 layers, three runs
each); 0 made PyTorch slower (0.37 ms, 1.0-1.1 ms), so it is not used.
"""

import os
import time
import tracemalloc
from dataclasses import dataclass

THREADS = int(os.environ.get("BENCH_THREADS", "2"))
# OpenBLAS reads these when NumPy is first imported: this module sets them before it imports
# NumPy, so import it first (benchmarks/__main__.py does). An explicit setting is respected.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, str(THREADS))
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")  # see the module docstring
os.environ.setdefault("GOMP_SPINCOUNT", "20000")  # read when PyTorch loads libgomp: likewise

import numpy as np  # noqa: E402  (after the thread settings, on purpose)

from benchmarks._stats import SPREAD_LIMIT, gated_ratio, spread  # noqa: E402

__all__ = ["SPREAD_LIMIT", "THREADS", "Row", "compare", "gated_ratio", "median_ms",
           "peak_bytes", "print_rows", "spread", "torch_or_none"]

def _limit_blas_threads():
    """Pin NumPy's BLAS to THREADS threads if threadpoolctl is there (a no-op otherwise)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(THREADS)


_LIMITS = _limit_blas_threads()


def torch_or_none():
    """Return the ``torch`` module pinned to ``THREADS`` threads, or None if not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(THREADS)
    return torch


def _number(fn, sample_time):
    """How many calls of ``fn`` make one sample of at least ``sample_time`` seconds.

    The first call is a warm-up (a cold first call can be 10x slower); the second is timed."""
    fn()
    if sample_time <= 0:
        return 1
    t0 = time.perf_counter()
    fn()
    once = time.perf_counter() - t0
    return max(1, int(np.ceil(sample_time / max(once, 1e-7))))


def _sample(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def _round(fn, ref, repeat, numbers):
    times, ref_times = [], []
    for _ in range(repeat):  # interleaved: both sides see the same load
        times.append(_sample(fn, numbers[0]))
        ref_times.append(_sample(ref, numbers[1]))
    return times, ref_times


def compare(fn, ref, repeat=15, sample_time=0.005, rounds=3):
    """Interleaved timing of ``fn()`` and ``ref()``: ``(fn ms, ref ms, spread)``, medians.

    Each of the ``repeat`` samples per side times enough calls to last ``sample_time`` seconds
    (short calls are averaged over several, as ``timeit`` does), the two sides in turn. When
    the spread is at or above ``SPREAD_LIMIT``, a fresh round is measured, up to ``rounds``;
    the round with the smallest spread is returned.
    """
    numbers = (_number(fn, sample_time), _number(ref, sample_time))  # also the warm-up
    best = None
    for _ in range(rounds):
        times, ref_times = _round(fn, ref, repeat, numbers)
        worst = max(spread(times), spread(ref_times))
        if best is None or worst < best[2]:
            best = (1e3 * float(np.median(times)), 1e3 * float(np.median(ref_times)), worst)
        if worst < SPREAD_LIMIT:
            break
    return best


def median_ms(fn, repeat=7, warmup=1, min_time=0.0):
    """Median wall time of ``fn()`` in milliseconds, after ``warmup`` untimed calls.

    ``min_time`` (seconds): keep repeating beyond ``repeat`` until that much time was spent.
    """
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < repeat or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(times))


def peak_bytes(fn):
    """Peak memory allocated while ``fn()`` runs, above what was allocated before, in bytes.

    Measured with ``tracemalloc``, which sees NumPy's array buffers (NumPy reports them) but
    not PyTorch's or BLAS's internal work space.
    """
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@dataclass
class Row:
    """One line of a result table: NumPy's time against a reference's, and the target ratio.

    ``spread`` is that of the samples (None: not gated, e.g. a single slow reference run);
    ``target`` is the largest acceptable ``numpy_ms / ref_ms`` (None: reported only).
    """

    case: str
    numpy_ms: float
    ref_ms: float
    spread: float = None
    target: float = None
    note: str = ""

    @property
    def ratio(self):
        """The ratio, or None when the spread is too large for it to mean anything."""
        if self.spread is not None and self.spread >= SPREAD_LIMIT:
            return None
        return self.numpy_ms / self.ref_ms

    @property
    def ok(self):
        """True/False against the target; None without a target or without a ratio."""
        return None if self.target is None or self.ratio is None else self.ratio <= self.target


def print_rows(title, rows):
    """Print ``case | numpy ms | reference ms | spread | ratio | target | ok?`` per row."""
    width = max([len(r.case) for r in rows] + [4])
    print(f"\n{title}")
    print(f"{'case':<{width}} | numpy ms | reference ms | spread |  ratio | target | ok?")
    print("-" * (width + 60))
    for r in rows:
        target = "-" if r.target is None else f"<= {r.target:g}"
        spread_ = "-" if r.spread is None else f"{100 * r.spread:5.1f}%"
        if r.ratio is None:
            ratio, ok = "  n/a", f"spread too large (>= {100 * SPREAD_LIMIT:g}%): not reported"
        else:
            ratio = f"{r.ratio:6.3g}"
            ok = "-" if r.ok is None else ("yes" if r.ok else "NO")
        print(f"{r.case:<{width}} | {r.numpy_ms:8.2f} | {r.ref_ms:12.2f} | {spread_:>6} | "
              f"{ratio:>6} | {target:>6} | {ok}{'  ' + r.note if r.note else ''}")
