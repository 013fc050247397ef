"""Speed benchmarks of course_lib against its loop references and PyTorch (when installed).

Run all of them with ``python -m benchmarks`` (``make bench``), one with
``python -m benchmarks kernels``. Each ``bench_*.py`` module has a ``main()``; shared helpers
live in ``benchmarks/_timing.py``. Speed targets live here, never in the unit tests.
"""
