"""threads: a batch split between the cores, BLAS single-threaded meanwhile and restored after."""

import os
import threading
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from threadpoolctl import threadpool_info, threadpool_limits

from course_lib import (
    conv2d_backward,
    conv2d_forward,
    conv2d_loops,
    max_pool2d_loops,
    pooling,
)
from course_lib.pooling import max_pool2d_backward, max_pool2d_forward
from course_lib.speed import im2col, threads


def blas_threads():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def workers(monkeypatch):
    """Set the number of parts for one test (``COURSE_THREADS`` is read at import)."""
    def set_workers(k):
        monkeypatch.setattr(threads, "WORKERS", k)
        monkeypatch.setattr(threads, "_HELPERS", None)  # helper threads for k parts
    return set_workers


@given(st.integers(0, 200), st.integers(1, 9))
def test_parts_cover_the_batch_in_near_equal_runs(n, k):
    runs = threads.parts(n, k)
    assert runs[0][0] == 0 and runs[-1][1] == n
    assert all(a[1] == b[0] for a, b in zip(runs, runs[1:], strict=False))
    sizes = [hi - lo for lo, hi in runs]
    assert len(runs) == max(1, min(k, n))
    assert max(sizes) - min(sizes) <= 1


def test_the_parts_run_at_once_with_one_blas_thread_each(workers):
    workers(2)
    meeting = threading.Barrier(2, timeout=10)  # broken if the parts ran one after the other
    seen = []

    def part(lo, hi):
        meeting.wait()
        seen.append((threading.get_ident(), blas_threads()))
        return lo, hi

    with threadpool_limits(limits=2, user_api="blas"):
        assert set(blas_threads()) == {2}
        assert threads.over_batch(part, 10) == [(0, 5), (5, 10)]
        assert set(blas_threads()) == {2}, "BLAS did not get its threads back"
    assert len({ident for ident, _ in seen}) == 2
    assert all(set(counts) == {1} for _, counts in seen)


def test_an_error_in_one_part_is_raised_after_every_part_ended(workers):
    workers(3)
    ended = []

    def part(lo, hi):
        if lo == 0:
            raise ValueError("part 0 failed")
        threading.Event().wait(0.2)
        ended.append(lo)

    with threadpool_limits(limits=2, user_api="blas"):
        with pytest.raises(ValueError, match="part 0 failed"):
            threads.over_batch(part, 9)
        assert sorted(ended) == [3, 6]
        assert set(blas_threads()) == {2}


@pytest.mark.parametrize("can_start", [0, 1])
def test_threads_that_cannot_start_leave_their_parts_to_the_others(workers, monkeypatch,
                                                                   can_start):
    """A process limit ("can't start new thread"): every item is still worked on, once."""
    workers(3)
    start, started = threading.Thread.start, []

    def limited_start(thread):
        if len(started) == can_start:
            raise RuntimeError("can't start new thread")
        started.append(thread)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", limited_start)
    done = []
    results = threads.over_batch(lambda lo, hi: done.extend(range(lo, hi)) or (lo, hi), 12)
    assert sorted(done) == list(range(12))
    assert len(results) == 1 + can_start and results[-1][1] == 12


def test_a_split_inside_a_part_runs_in_that_part_s_thread(workers):
    workers(2)
    inner = []

    def part(lo, hi):
        def inner_part(a, b):
            inner.append(threading.get_ident() == outer)
        outer = threading.get_ident()
        threads.over_batch(inner_part, 4)

    threads.over_batch(part, 4)
    assert inner == [True] * 4


def test_a_forked_child_splits_on_threads_of_its_own(workers):
    """A child of fork() has none of its parent's threads: its splits must not wait for them."""
    workers(2)
    threads.over_batch(lambda lo, hi: None, 4)  # the parent's pool exists
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if both parts ran at once
        try:
            meeting = threading.Barrier(2, timeout=10)
            threads.over_batch(lambda lo, hi: meeting.wait(), 4)
        finally:
            os._exit(0 if not meeting.broken else 1)
    deadline = time.monotonic() + 30
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child's split hung: it waited for its parent's threads")
    assert os.waitstatus_to_exitcode(done[1]) == 0


@pytest.mark.parametrize("why", ["one worker", "one image", "no threadpoolctl", "split=False"])
def test_the_parts_run_in_the_caller_s_thread_when_a_split_cannot_pay(workers, monkeypatch, why):
    workers(1 if why == "one worker" else 2)
    if why == "no threadpoolctl":
        monkeypatch.setattr(threads, "_BLAS", [])
    n = 1 if why == "one image" else 6
    caller, idents = threading.get_ident(), []
    got = threads.over_batch(lambda lo, hi: idents.append((threading.get_ident(), lo, hi)), n,
                             split=why != "split=False")
    assert len(got) == len(idents) and {i for i, _, _ in idents} == {caller}
    assert idents[0][1] == 0 and idents[-1][2] == n


def test_only_layers_with_long_calls_are_split():
    """One image's patches must fill a chunk: the 3x3x64 layer yes, LeNet's layers no."""
    assert im2col._long_calls(np.empty((8, 56, 56, 64), np.float32), 3, 56, 56)
    assert im2col._long_calls(np.empty((64, 32, 32, 3), np.float32), 5, 32, 32)
    assert not im2col._long_calls(np.empty((128, 28, 28, 1), np.float32), 5, 28, 28)
    assert not im2col._long_calls(np.empty((128, 14, 14, 6), np.float32), 5, 10, 10)


@pytest.mark.parametrize("value, expected", [("3", 3), ("0", 1), (" ", None)])
def test_course_threads_sets_the_number_of_parts(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_THREADS", value)
    assert threads._workers() == (expected or max(1, min(4, threads.os.cpu_count() or 1)))


def test_a_course_threads_that_is_not_a_number_is_named(monkeypatch):
    monkeypatch.setenv("COURSE_THREADS", "two")
    with pytest.raises(ValueError, match="COURSE_THREADS must be a whole number.*'two'"):
        threads._workers()


@pytest.mark.parametrize("k", [1, 2, 3])
def test_conv_and_pool_give_the_loops_results_on_any_number_of_parts(workers, monkeypatch,
                                                                     rng, k):
    workers(k)
    monkeypatch.setattr(im2col, "CHUNK_BYTES", 1)  # every pass split, even on small shapes
    monkeypatch.setattr(pooling, "SPLIT_BYTES", 0)
    x = rng.standard_normal((7, 9, 8, 3))
    w, b = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    out, cache = conv2d_forward(x, w, b, stride=1, pad=1)
    np.testing.assert_allclose(out, conv2d_loops(x, w, b, stride=1, pad=1), atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)
    with threads._LOCK:  # the same computation, sure to run in one thread
        dx1, dw1, db1 = conv2d_backward(dout, cache)
    for got, one in ((dx, dx1), (dw, dw1), (db, db1)):
        np.testing.assert_allclose(got, one, atol=1e-12)
    np.testing.assert_allclose(db, dout.sum(axis=(0, 1, 2)))

    for f, stride in ((2, 2), (3, 1)):  # windows that tile x, windows that overlap
        pooled, pcache = max_pool2d_forward(x[:, :8], f=f, stride=stride)
        np.testing.assert_array_equal(pooled, max_pool2d_loops(x[:, :8], f=f, stride=stride))
        dpool = rng.standard_normal(pooled.shape)
        with threads._LOCK:
            one = max_pool2d_backward(dpool, pcache)
        np.testing.assert_array_equal(max_pool2d_backward(dpool, pcache), one)


@pytest.mark.parametrize("k,on,inside", [(2, True, [1]), (2, False, [2]), (1, True, [2])])
def test_one_blas_thread_for_the_block_then_restored(workers, k, on, inside):
    workers(k)
    with threadpool_limits(2, user_api="blas"):
        with threads.one_blas_thread(on):
            seen = blas_threads()
        assert set(blas_threads()) == {2}
    assert set(seen) == set(inside)


def test_a_convnet_trains_on_one_blas_thread_an_mlp_on_all(workers, monkeypatch):
    """Sequential's batch loops: a ConvNet's small products on one BLAS thread (its
    convolutions split the batch), an MLP's large ones on BLAS's threads."""
    from course_lib.nn import Conv2D, Dense, Flatten, Sequential
    from course_lib.nn.layers import Activation

    workers(2)
    seen = []
    forward = Dense.forward

    def spy(self, x, training=False):
        seen.append(blas_threads()[0])
        return forward(self, x, training)

    monkeypatch.setattr(Dense, "forward", spy)
    x, y = np.zeros((8, 6, 6, 1), np.float32), np.eye(2, dtype=np.float32)[[0, 1] * 4]
    with threadpool_limits(2, user_api="blas"):
        for layers in ([Conv2D(2, 3, input_shape=(6, 6, 1)), Flatten()],
                       [Flatten(input_shape=(6, 6, 1))]):
            model = Sequential([*layers, Dense(2), Activation("softmax")], seed=0)
            model.compile(optimizer="sgd")
            seen.clear()
            model.fit(x, y, epochs=1, batch_size=4, verbose=0)
            model.predict(x)
            assert set(seen) == ({1} if isinstance(layers[0], Conv2D) else {2}), layers
        assert set(blas_threads()) == {2}
