"""Run every ``benchmarks/bench_*.py`` module's ``main()``, or the ones named on the command line.

    python -m benchmarks              # all
    python -m benchmarks kernels mlp  # bench_kernels.py and bench_mlp.py
"""

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks import _timing  # first: pins the BLAS thread count before NumPy is imported


def available():
    """Names of the benchmark modules, without the ``bench_`` prefix."""
    folder = str(Path(__file__).parent)
    return sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([folder])
                  if m.name.startswith("bench_"))


def main(argv=None):
    names = list(sys.argv[1:] if argv is None else argv)
    known = available()
    unknown = [n for n in names if n.removeprefix("bench_") not in known]
    if unknown:
        print(f"benchmarks: unknown benchmark(s) {unknown}; available: {known}", file=sys.stderr)
        return 2
    print(f"Benchmarks on {_timing.THREADS} threads (medians of interleaved samples; "
          "ratio = NumPy time / reference time, lower is better, shown only when the spread "
          f"of the samples is below {100 * _timing.SPREAD_LIMIT:g}%).")
    for name in [n.removeprefix("bench_") for n in names] or known:
        importlib.import_module(f"benchmarks.bench_{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
