"""Shared helpers for the benchmarks: fair timing, memory, optional PyTorch, a result table.

Use from a ``bench_*.py`` module::

    from benchmarks._timing import Row, compare_ms, print_rows, torch_or_none

    torch = torch_or_none()              # None when PyTorch is not installed
    rows = [Row("my case", *compare_ms(numpy_fn, torch_fn), target=1.5)]
    print_rows("My benchmarks", rows)

Every comparison runs in the same process, on the same thread count (``THREADS``, default 2,
overridable with the environment variable ``BENCH_THREADS``), so the ratios are fair even on a
noisy machine; absolute times are not.
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

import numpy as np  # noqa: E402  (after the thread settings, on purpose)

__all__ = ["THREADS", "Row", "compare_ms", "median_ms", "peak_bytes", "print_rows",
           "torch_or_none"]


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


def median_ms(fn, repeat=7, warmup=1, min_time=0.0):
    """Median wall time of ``fn()`` in milliseconds, after ``warmup`` untimed calls.

    ``min_time`` (seconds): keep repeating beyond ``repeat`` until that much time was spent,
    which steadies the median of very short calls. The median ignores the odd slow run
    caused by other processes on the machine.
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


def compare_ms(fn, ref, repeat=9, warmup=1, min_time=0.0):
    """Median times in milliseconds of ``fn()`` and ``ref()``, called in turn.

    Alternating the two calls lets both see the same load from other processes, so their
    ratio stays meaningful on a busy machine. ``repeat``, ``warmup`` and ``min_time`` (the
    least total time to spend, in seconds) are as in ``median_ms``.
    """
    for _ in range(warmup):
        fn()
        ref()
    times, ref_times = [], []
    start = time.perf_counter()
    while len(times) < repeat or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        ref()
        times.append(t1 - t0)
        ref_times.append(time.perf_counter() - t1)
    return 1e3 * float(np.median(times)), 1e3 * float(np.median(ref_times))


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

    ``target`` is the largest acceptable ``numpy_ms / ref_ms`` (None: reported only).
    """

    case: str
    numpy_ms: float
    ref_ms: float
    target: float = None
    note: str = ""

    @property
    def ratio(self):
        return self.numpy_ms / self.ref_ms

    @property
    def ok(self):
        return None if self.target is None else self.ratio <= self.target


def print_rows(title, rows):
    """Print ``case | numpy ms | reference ms | ratio | target | ok?`` for every row."""
    width = max([len(r.case) for r in rows] + [4])
    print(f"\n{title}")
    print(f"{'case':<{width}} | numpy ms | reference ms |  ratio | target | ok?")
    print("-" * (width + 51))
    for r in rows:
        target = "-" if r.target is None else f"<= {r.target:g}"
        ok = "-" if r.ok is None else ("yes" if r.ok else "NO")
        print(f"{r.case:<{width}} | {r.numpy_ms:8.2f} | {r.ref_ms:12.2f} | {r.ratio:6.3g} | "
              f"{target:>6} | {ok}{'  ' + r.note if r.note else ''}")
