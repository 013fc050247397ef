"""Integration tests: each builds, grades or serves a real course; all are marked slow."""

import pytest


def pytest_collection_modifyitems(items):
    """Mark every test under tests/integration ``slow`` (``make test-fast`` skips them)."""
    for item in items:
        if "/tests/integration/" in str(item.path):
            item.add_marker(pytest.mark.slow)
