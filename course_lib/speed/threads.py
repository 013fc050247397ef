"""Split a batch between the machine's cores: the kernels' one piece of threading.

NumPy runs a copy or an elementwise operation on one core, and OpenBLAS spreads a matrix
product over its threads; a convolution's many small products (one per chunk of the batch)
and its patch copies then keep the second core mostly idle. ``over_batch`` gives each core
its own part of the batch instead: NumPy releases the GIL inside its loops and matrix
products, so the parts run at once, each with a one-thread BLAS (set for the duration, then
restored). A split pays only when each NumPy call is long: between calls the threads take
turns at Python's lock, so many short calls on two threads were measured slower than on one.
The callers split their long passes only (``split=``): on 2 cores, conv2d on 3x3x64 and
5x5x3 layers 1.1-1.4x faster, its input gradient 1.2-1.5x, max pooling's backward pass on
26 MB 2x. LeNet's small layers are not split, and a ConvNet's batch loops run on a one-thread
BLAS (``one_blas_thread``): its small products lose more to BLAS's threads than they gain.

``COURSE_THREADS`` sets the number of parts (default: the number of cores, at most 4); 1
turns the threading off. Without ``threadpoolctl`` (a dependency of scikit-learn, and of this
package), BLAS cannot be told to use one thread, so the parts run one after the other.
"""

import os
import queue
import threading
from concurrent.futures import Future, wait
from contextlib import contextmanager

__all__ = ["SPLIT_BYTES", "WORKERS", "one_blas_thread", "over_batch", "parts"]


def _workers():
    value = os.environ.get("COURSE_THREADS", "")
    if value.strip():
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"COURSE_THREADS must be a whole number of threads, got "
                             f"{value!r}.") from None
    return max(1, min(4, os.cpu_count() or 1))


WORKERS = _workers()
SPLIT_BYTES = 8 << 20
"""Smallest output of an elementwise pass worth splitting (max pooling's backward pass: 2x
faster on two threads at 26 MB, no faster at 2-3 MB, 2x slower at 0.8 MB)."""
_HELPERS = None  # (task queue, number of helper threads), made by the first split
_LOCK = threading.Lock()  # one split at a time: a second caller runs its parts itself
_BLAS = None


def _forget_the_helpers():
    """In a forked child: the parent's threads are gone, so the next split starts new ones."""
    global _HELPERS, _LOCK
    _HELPERS, _LOCK = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_the_helpers)


def _blas():
    """The controllers of the BLAS libraries that NumPy loaded (an empty list without
    threadpoolctl)."""
    global _BLAS
    if _BLAS is None:
        try:  # threadpoolctl loads every BLAS it finds: only when threads are first set
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _BLAS = []
        else:
            _BLAS = [lib for lib in ThreadpoolController().lib_controllers
                     if lib.user_api == "blas"]
    return _BLAS


def _serve(tasks):
    while True:
        future, work, lo, hi = tasks.get()
        try:
            future.set_result(work(lo, hi))
        except BaseException as err:  # noqa: BLE001  (raised again in the caller's thread)
            future.set_exception(err)


def _helpers():
    """``(tasks, m)``: ``WORKERS - 1`` threads serving a queue, started once; fewer (``m``) if a
    process limit stopped the rest from starting."""
    global _HELPERS
    if _HELPERS is None:
        tasks, started = queue.SimpleQueue(), 0
        try:
            for i in range(WORKERS - 1):
                threading.Thread(target=_serve, args=(tasks,), name=f"course_lib-{i}",
                                 daemon=True).start()
                started += 1
        except RuntimeError:  # "can't start new thread": the ones that started serve
            pass
        _HELPERS = (tasks, started)
    return _HELPERS


def parts(n, k=None):
    """``[(lo, hi), ...]``: ``n`` items in at most ``k`` (default ``WORKERS``) near-equal runs.

    >>> parts(10, 3)
    [(0, 3), (3, 6), (6, 10)]
    >>> parts(1, 2)
    [(0, 1)]
    """
    k = max(1, min(WORKERS if k is None else k, n))
    return [(i * n // k, (i + 1) * n // k) for i in range(k)]


def over_batch(work, n, split=True):
    """``[work(lo, hi), ...]`` over ``parts(n)``, the parts run at once on the cores.

    The caller's thread runs the first part, helper threads the others. ``work`` must only
    write to its own part of any shared output. ``split=False`` gives ``[work(0, n)]``. The
    parts run one after the other in the caller's thread when there is one worker or one
    item, no way to make BLAS single-threaded, or another split already running (a call from
    inside ``work`` included).
    """
    if not split or WORKERS < 2 or n < 2 or not _blas() or not _LOCK.acquire(blocking=False):
        return [work(lo, hi) for lo, hi in parts(n, None if split else 1)]
    try:
        tasks, helpers = _helpers()
        runs = parts(n, min(WORKERS, 1 + helpers))
        futures = [Future() for _ in runs[1:]]
        with one_blas_thread():
            try:
                for future, (lo, hi) in zip(futures, runs[1:], strict=True):
                    tasks.put((future, work, lo, hi))
                first = work(*runs[0])
            finally:
                wait(futures)  # every part ends before BLAS gets its threads back, even on error
        return [first] + [f.result() for f in futures]
    finally:
        _LOCK.release()


@contextmanager
def one_blas_thread(on=True):
    """Run the block with a one-thread BLAS (restored after), when ``on`` and the batch is
    split between ``WORKERS >= 2`` threads.

    For a network of small matrix products, a ConvNet on MNIST, where BLAS's own threads cost
    more than they give and the long passes split the batch between the cores instead
    (``over_batch``): a LeNet-5 epoch on 10,000 MNIST images, 2 cores, 1.67 s instead of
    2.31 s (batch 128), 1.73 s instead of 2.27 s (batch 64). The MLPs' large products keep
    BLAS's threads (one thread: 1.77 s an epoch of model 2 instead of 1.26 s).
    """
    if not on or WORKERS < 2 or not _blas():
        yield
        return
    before = [lib.num_threads for lib in _blas()]
    for lib in _blas():
        lib.set_num_threads(1)
    try:
        yield
    finally:
        for lib, threads in zip(_blas(), before, strict=True):
            lib.set_num_threads(threads)
