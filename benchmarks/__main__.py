"""Run every ``benchmarks/bench_*.py`` module's ``main()``, or the ones named on the command line.

    python -m benchmarks                          # all
    python -m benchmarks kernels lab              # bench_kernels.py and bench_lab.py
    python -m benchmarks notebooks --json out.json

``--json PATH`` goes to the modules whose ``main`` takes a ``json_path`` argument (the others
run as before): PATH itself when one benchmark is named, else PATH with each module's name
before the suffix (``out.notebooks.json``).
"""

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

from benchmarks import _timing  # first: pins the BLAS thread count before NumPy is imported


def available():
    """Names of the benchmark modules, without the ``bench_`` prefix."""
    folder = str(Path(__file__).parent)
    return sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([folder])
                  if m.name.startswith("bench_"))


def split_json(argv):
    """``(names, path)``: the benchmark names and the ``--json PATH`` (None) taken out of argv.

    >>> split_json(["notebooks", "--json", "out.json"])
    (['notebooks'], 'out.json')
    >>> split_json(["kernels", "--json=k.json"])
    (['kernels'], 'k.json')
    """
    names, path, args = [], None, iter(argv)
    for arg in args:
        if arg == "--json":
            path = next(args, None)
            if path is None:
                raise ValueError("--json needs a file name: --json PATH")
        elif arg.startswith("--json="):
            path = arg.split("=", 1)[1]
        else:
            names.append(arg)
    return names, path


def _run(name, json_path, several):
    """Run one module's ``main``; return True if it was given ``json_path``."""
    run = importlib.import_module(f"benchmarks.bench_{name}").main
    if json_path is None or "json_path" not in inspect.signature(run).parameters:
        run()
        return False
    path = Path(json_path)
    run(json_path=str(path.with_name(f"{path.stem}.{name}{path.suffix}")) if several
        else json_path)
    return True


def main(argv=None):
    try:
        names, json_path = split_json(sys.argv[1:] if argv is None else argv)
    except ValueError as exc:
        print(f"benchmarks: {exc}", file=sys.stderr)
        return 2
    known = available()
    unknown = [n for n in names if n.removeprefix("bench_") not in known]
    if unknown:
        print(f"benchmarks: unknown benchmark(s) {unknown}; available: {known}", file=sys.stderr)
        return 2
    print(f"Benchmarks on {_timing.THREADS} threads (medians of interleaved samples; "
          "ratio = NumPy time / reference time, lower is better, shown only when the spread "
          f"of the samples is below {100 * _timing.SPREAD_LIMIT:g}%).")
    selected = [n.removeprefix("bench_") for n in names] or known
    wrote = [_run(name, json_path, len(selected) > 1) for name in selected]
    if json_path is not None and not any(wrote):
        print(f"benchmarks: --json: none of {selected} writes JSON", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
