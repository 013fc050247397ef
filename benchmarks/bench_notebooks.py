"""Run All on every source notebook at its default settings: on one core and on all cores.

Each source notebook ``notebooks/NN_name/NN_name.ipynb`` is executed top to bottom in a fresh
``python3`` kernel of this environment (nbclient, cell timeout 600 s, ``allow_errors=False``:
only cells tagged ``raises-exception`` may raise), in its own folder, with ``COURSE_QUICK`` and
``COURSE_EPOCHS`` unset (the defaults a student gets), in two configurations:

- **one core**, as on Binder: ``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``,
  ``MKL_NUM_THREADS`` and ``COURSE_THREADS`` set to 1, and the whole process tree pinned to one
  CPU (``taskset -c 0``, or ``os.sched_setaffinity`` in the child without taskset);
- **all cores**: the machine's default environment (those variables unset, as are the
  ``OPENBLAS_THREAD_TIMEOUT`` and ``GOMP_SPINCOUNT`` that ``benchmarks/_timing.py`` sets), so
  the libraries use ``os.cpu_count()`` threads.

Every execution runs in a child process (``python -m benchmarks.bench_notebooks --one PATH``)
that starts the kernel, runs the cells, shuts the kernel down and prints one JSON line:

- ``seconds``: wall time from the kernel being ready to the last cell's reply (kernel start
  and shutdown excluded; the start is reported apart as ``kernel_start_seconds``);
- ``peak_mib``: ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of the child after the
  kernel exited and was waited for, i.e. the kernel's peak resident memory (KiB on Linux;
  the child's own memory is not counted). ``tests/test_bench_notebooks.py`` checks it on a
  notebook that allocates 300 MiB.

Targets (the performance issue): on one core 01-05 under 5 s each, 06 under 30 s, 07 under
60 s; every notebook under 512 MiB peak, in both configurations.

    python -m benchmarks notebooks [--json PATH]     # about 5 minutes on 2 cores
    BENCH_NOTEBOOKS=01,07 python -m benchmarks notebooks   # only those notebooks
"""

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._results import write_json

ROOT = Path(__file__).resolve().parents[1]
CELL_TIMEOUT = 600
ONE_CORE, ALL_CORES = "one core", "all cores"
CONFIGS = (ONE_CORE, ALL_CORES)
TARGET_MIB = 512
TARGET_SECONDS = {"01": 5, "02": 5, "03": 5, "04": 5, "05": 5, "06": 30, "07": 60}  # one core
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "COURSE_THREADS")
NOT_DEFAULT = (*THREAD_VARS, "OPENBLAS_THREAD_TIMEOUT", "GOMP_SPINCOUNT", "COURSE_QUICK",
               "COURSE_EPOCHS")


def notebooks(selection=None):
    """The source notebooks to run, sorted: all, or those named in ``BENCH_NOTEBOOKS``.

    Parameters
    ----------
    selection : str, optional
        Comma-separated numbers or folder names (``"01,07"``, ``"07_mnist_lab"``); default:
        the environment variable ``BENCH_NOTEBOOKS``, empty meaning every notebook.

    Returns
    -------
    list of pathlib.Path
    """
    if selection is None:
        selection = os.environ.get("BENCH_NOTEBOOKS", "")
    wanted = {s.strip() for s in selection.split(",") if s.strip()}
    paths = sorted(folder / f"{folder.name}.ipynb" for folder in (ROOT / "notebooks").iterdir()
                   if (folder / f"{folder.name}.ipynb").is_file())
    unknown = wanted - {p.stem for p in paths} - {p.stem[:2] for p in paths}
    if unknown:
        raise ValueError(f"BENCH_NOTEBOOKS: no notebook {sorted(unknown)}; available: "
                         f"{[p.stem for p in paths]}")
    return [p for p in paths if not wanted or p.stem in wanted or p.stem[:2] in wanted]


def child_env(config):
    """The child's environment in ``config``: this one without the non-default settings."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_DEFAULT}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if config == ONE_CORE:
        env.update(dict.fromkeys(THREAD_VARS, "1"))
    return env


def command(path, config):
    """The child's command line: pinned to one CPU by ``taskset`` (or ``--cpu``) on one core."""
    cmd = [sys.executable, "-m", "benchmarks.bench_notebooks", "--one", str(path)]
    if config != ONE_CORE:
        return cmd
    cpu = str(min(os.sched_getaffinity(0)))  # CPU 0 unless this process may not use it
    taskset = shutil.which("taskset")
    return [taskset, "-c", cpu, *cmd] if taskset else [*cmd, "--cpu", cpu]


def measure(path, config, timeout=None):
    """Run All on the notebook ``path`` in a child process, in configuration ``config``.

    Returns
    -------
    dict
        The child's report: ``seconds``, ``kernel_start_seconds``, ``peak_mib``, ``cpus``
        (CPUs the kernel could use) and ``error`` (None, or why the run failed).
    """
    try:
        proc = subprocess.run(command(path, config), env=child_env(config), cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"no result within {timeout} s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if lines:
        return json.loads(lines[-1])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"error": f"exit status {proc.returncode}: {tail[0]}"}


def _last_line(exc):
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # the traceback's colours
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[-1] if lines else ''}"


def run_one(path, cpu=None):
    """In the child: Run All on ``path`` in a fresh kernel, shut it down, measure it.

    Parameters
    ----------
    path : str or pathlib.Path
    cpu : int, optional
        Pin this process (and so the kernel it starts) to this CPU first.

    Returns
    -------
    dict
        See :func:`measure`.
    """
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    marks = {}

    def mark(name):
        return lambda **_: marks.__setitem__(name, time.perf_counter())

    client = NotebookClient(nbformat.read(path, as_version=4), timeout=CELL_TIMEOUT,
                            kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_notebook_start=mark("ready"), on_cell_executed=mark("done"))
    start, error = time.perf_counter(), None
    try:
        client.execute()  # returns after the kernel was shut down and waited for
    except Exception as exc:  # a failing cell or a kernel that died: reported, not raised
        error = _last_line(exc)
    ready = marks.get("ready", start)
    return {"notebook": path.stem, "seconds": marks.get("done", ready) - ready,
            "kernel_start_seconds": ready - start,
            "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "cpus": len(os.sched_getaffinity(0)), "error": error}


def case(path, config, report):
    """One result: the report against the targets, as written to the JSON file."""
    target = TARGET_SECONDS.get(path.stem[:2]) if config == ONE_CORE else None
    error = report.get("error")
    met = (error is None and report["peak_mib"] < TARGET_MIB
           and (target is None or report["seconds"] < target))
    return {"case": f"{path.stem}, {config}", "seconds": report.get("seconds"),
            "kernel_start_seconds": report.get("kernel_start_seconds"),
            "peak_mib": report.get("peak_mib"), "cpus": report.get("cpus"),
            "target_seconds": target, "target_mib": TARGET_MIB, "met": met, "error": error}


def _row(result):
    notebook, config = result["case"].split(", ")
    target = f"< {TARGET_MIB} MiB"
    if result["target_seconds"] is not None:
        target = f"< {result['target_seconds']:g} s, {target}"
    if result["error"] is not None:
        return (f"{notebook:<26} | {config:<9} | {'-':>7} | {'-':>8} | {target:<18} | "
                f"NO: {result['error']}")
    return (f"{notebook:<26} | {config:<9} | {result['seconds']:7.2f} | "
            f"{result['peak_mib']:8.0f} | {target:<18} | {'yes' if result['met'] else 'NO'}"
            f"   (kernel start {result['kernel_start_seconds']:.1f} s, "
            f"{result['cpus']} CPU{'' if result['cpus'] == 1 else 's'})")


def _header():
    print(f"\nRun All of the source notebooks at their default settings (COURSE_QUICK unset), "
          f"fresh kernel each; one core: 1 thread pinned to 1 CPU; all cores: "
          f"{os.cpu_count()} CPUs, default threads. Seconds: kernel ready to last cell (start "
          "excluded); peak: the kernel's maximum resident memory.")
    print(f"{'notebook':<26} | {'config':<9} | {'seconds':>7} | {'peak MiB':>8} | "
          f"{'target':<18} | met")
    print("-" * 100)


def main(json_path=None):
    """Run every selected notebook in both configurations; print the table, write the JSON."""
    _header()
    results = []
    for path in notebooks():
        for config in CONFIGS:
            results.append(case(path, config, measure(path, config)))
            print(_row(results[-1]), flush=True)
    met = sum(r["met"] for r in results)
    print(f"targets met: {met} of {len(results)}")
    if json_path is not None:
        write_json(json_path, "notebooks", results)
    return results


def _child(argv):
    """``--one PATH [--cpu N]``: run one notebook, print its report as one JSON line."""
    path = argv[argv.index("--one") + 1]
    cpu = int(argv[argv.index("--cpu") + 1]) if "--cpu" in argv else None
    report = run_one(path, cpu)
    print(json.dumps(report), flush=True)
    return 0 if report["error"] is None else 1


if __name__ == "__main__":
    if "--one" in sys.argv:
        sys.exit(_child(sys.argv[1:]))
    from benchmarks.__main__ import main as run_all

    sys.exit(run_all(["notebooks", *sys.argv[1:]]))
