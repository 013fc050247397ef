"""Integration tests: each builds, grades or serves a real course; all are marked slow.

``make test`` runs the suite on two pytest-xdist workers with ``--dist loadfile``: a test file
runs whole on one worker, so that its module fixtures (a graded class, a running hub) are
built once. (``--dist loadgroup`` with ``xdist_group`` marks did not group anything with
pytest 9.2 and xdist 3.8, measured: a module's tests ran on both workers, and its class was
graded twice.)
"""

import pytest


def pytest_collection_modifyitems(items):
    """Mark every test under tests/integration ``slow`` (``make test-fast`` skips them)."""
    for item in items:
        if "/tests/integration/" in str(item.path):
            item.add_marker(pytest.mark.slow)
