"""Run grading units concurrently: N local worker processes, or a Dask ``distributed`` cluster.

nbgrader grades one submission after another (its issue #174). Here each submission is a
:mod:`.unit` (plain bytes in, plain data out) and a worker grades it in a temporary course, so
units run side by side; only this process, the coordinator, writes the course's gradebook, one
result at a time as each arrives. A worker that dies loses nothing: its unit is graded again
(a local pool is rebuilt; Dask reschedules a lost worker's tasks itself), and a unit whose
worker died :data:`MAX_ATTEMPTS` times is reported instead of graded.

``COURSE_DASK_SCHEDULER=tcp://HOST:8786`` sends the units to that scheduler; its workers need the
course environment and bubblewrap.
"""

import concurrent.futures as cf
import multiprocessing
import os
import socket
from concurrent.futures.process import BrokenProcessPool
from urllib.parse import urlsplit

from .unit import grade_unit

__all__ = ["SchedulerUnreachable", "connect", "run_units", "MAX_ATTEMPTS", "SCHEDULER_ENV"]

MAX_ATTEMPTS = 3
SCHEDULER_ENV = "COURSE_DASK_SCHEDULER"


class SchedulerUnreachable(RuntimeError):
    """The Dask scheduler named by COURSE_DASK_SCHEDULER did not answer."""


def connect(address, timeout=3):
    """A ``distributed.Client`` for ``address``, or :class:`SchedulerUnreachable` in ``timeout``.

    Parameters
    ----------
    address : str
        The scheduler, e.g. ``tcp://HOST:8786``.
    timeout : float, default 3
        Seconds to wait for it.

    Returns
    -------
    distributed.Client

    Raises
    ------
    SchedulerUnreachable
        If ``distributed`` is not installed or the scheduler does not answer in time.
    """
    where = urlsplit(address if "://" in address else f"tcp://{address}")
    try:  # a plain TCP connection first: a refused or silent port fails in `timeout` at most
        socket.create_connection((where.hostname, where.port or 8786), timeout=timeout).close()
    except (OSError, ValueError) as err:
        raise SchedulerUnreachable(
            f"the Dask scheduler at {address} did not answer within {timeout} s ({err}); "
            f"start it (`dask scheduler`) or unset {SCHEDULER_ENV} to grade on this "
            "machine. Nothing was graded.") from None
    try:  # Dask only for a cluster: the grader extra installs it, plain grading never imports it
        from distributed import Client
    except ImportError:
        raise SchedulerUnreachable(
            f"{SCHEDULER_ENV}={address} needs the `distributed` package: "
            "pip install -e '.[dev]'") from None
    try:
        return Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise SchedulerUnreachable(
            f"the Dask scheduler at {address} did not answer within {timeout} s ({err}); "
            f"start it (`dask scheduler`) or unset {SCHEDULER_ENV} to grade on this "
            "machine. Nothing was graded.") from None


def _failed(job, reason):
    return {"student": job["student"], "assignment": job["assignment"], "ok": False,
            "problems": [reason], "seconds": 0.0}


def _payloads(jobs, make_payload, on_result):
    """(job, payload) for each job whose payload could be built; the others are reported."""
    for job in jobs:
        try:
            yield job, make_payload(job)
        except Exception as err:  # one folder's staging fails only that submission
            on_result(_failed(job, f"staging failed: {type(err).__name__}: {err}"[:500]))


def _run_local(jobs, make_payload, workers, on_result):
    pending = list(jobs)
    attempts = {id(job): 0 for job in jobs}
    context = multiprocessing.get_context("spawn")  # workers start clean of our threads
    while pending:
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(grade_unit, payload): job
                       for job, payload in _payloads(pending, make_payload, on_result)}
            pending = []
            for future in cf.as_completed(futures):
                job = futures[future]
                try:
                    on_result(future.result())
                except BrokenProcessPool:
                    attempts[id(job)] += 1
                    if attempts[id(job)] >= MAX_ATTEMPTS:
                        on_result(_failed(job, f"its grading process died {MAX_ATTEMPTS} "
                                               "times"))
                    else:
                        pending.append(job)  # a worker died: grade it again in a new pool
                except Exception as err:  # a bug of ours in one unit: report, go on
                    on_result(_failed(job, f"grading raised {type(err).__name__}: {err}"))


def _run_dask(client, jobs, make_payload, on_result):
    from distributed import as_completed  # a client exists, so distributed imported already

    futures = {}
    for job, payload in _payloads(jobs, make_payload, on_result):
        future = client.submit(grade_unit, payload, pure=False,
                               retries=MAX_ATTEMPTS - 1,
                               key=f"grade-{job['student']}-{job['assignment']}-{os.getpid()}")
        futures[future] = job
    for future in as_completed(futures, loop=client.loop):
        job = futures[future]
        try:
            on_result(future.result())
        except Exception as err:  # includes KilledWorker after too many lost workers
            on_result(_failed(job, f"grading on the cluster failed: {type(err).__name__}: "
                                   f"{err}"))


def run_units(jobs, make_payload, workers=None, client=None, on_result=None):
    """Grade every job; call ``on_result(result)`` in this process as each one finishes.

    Parameters
    ----------
    jobs : list of dict
        Each with ``student`` and ``assignment``.
    make_payload : callable
        ``make_payload(job)`` -> the unit's payload (built just before it is sent).
    workers : int, optional
        Local worker processes (default: the number of cores).
    client : distributed.Client, optional
        Grade on this Dask cluster instead.
    """
    on_result = on_result or (lambda result: None)
    if client is not None:
        return _run_dask(client, jobs, make_payload, on_result)
    workers = workers or os.cpu_count() or 1
    return _run_local(jobs, make_payload, workers, on_result)
