"""The notebook benchmark's measurement (benchmarks/bench_notebooks.py): the peak it reports is
the kernel's resident memory (``getrusage(RUSAGE_CHILDREN)`` in the child process that ran the
notebook, after the kernel was shut down), checked on a generated notebook that allocates
300 MiB, run through the same child process as the benchmark, on one pinned core."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from benchmarks.bench_notebooks import ONE_CORE, measure


@pytest.mark.slow  # about 4 s: a kernel starts and allocates
def test_the_reported_peak_is_the_kernels_memory(tmp_path):
    cells = [new_code_cell("import numpy as np"),
             new_code_cell("x = np.ones(300 * 2**20 // 8)  # 300 MiB, every page written\n"
                           "float(x.sum())")]
    path = tmp_path / "allocate.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    report = measure(path, ONE_CORE, timeout=60)
    assert report["error"] is None, report
    assert 300 < report["peak_mib"] < 2000, report
    assert report["seconds"] > 0, report
    assert report["cpus"] == 1, report
