"""Every library module has its own test module (STYLE.md): course_lib/<m>.py is tested in
tests/test_<m>.py, course_lib/<part>/<m>.py in tests/test_<part>_<m>.py."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# packages' __init__/__main__ only re-export or dispatch (tests/test_packaging.py)


def expected_test_module(rel):
    """``tests/test_nn_layers.py`` for ``course_lib/nn/layers.py``; None if none is needed."""
    parts = Path(rel).with_suffix("").parts[1:]
    if parts[-1] in ("__init__", "__main__"):
        return None
    return f"tests/test_{'_'.join(parts)}.py"


def test_the_naming_rule():
    assert expected_test_module("course_lib/dense.py") == "tests/test_dense.py"
    assert expected_test_module("course_lib/views/conv_step.py") == "tests/test_views_conv_step.py"
    assert expected_test_module("course_lib/nn/__init__.py") is None
    assert expected_test_module("course_lib/grading/checks.py") == "tests/test_grading_checks.py"
    assert expected_test_module("course_lib/grading/__main__.py") is None


@pytest.mark.parametrize("rel", sorted(p.relative_to(ROOT).as_posix()
                                       for p in (ROOT / "course_lib").rglob("*.py")))
def test_every_module_has_a_test_module(rel):
    test = expected_test_module(rel)
    assert test is None or (ROOT / test).exists(), f"{rel} has no test module {test}"
