"""The floors of course_lib (STYLE.md): each part imports only the parts below it.

kernels (course_lib/*.py) <- nn <- views; data and grading stand apart. Only views import the
plotting and widget packages (matplotlib, ipywidgets, ipycanvas). Imports are read with
``ast`` (absolute, relative, and imports inside functions), so nothing is run.
"""

import ast
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "course_lib"

WIDGETS = ("matplotlib", "ipywidgets", "ipycanvas")   # views only
FORBIDDEN = {
    "kernel": ("course_lib.nn", "course_lib.views", "course_lib.grading", "course_lib.data",
               *WIDGETS),
    "nn": ("course_lib.views", "course_lib.grading", *WIDGETS),
    "views": ("course_lib.grading",),
    "data": ("course_lib.nn", "course_lib.views", "course_lib.grading", *WIDGETS),
}


def floor_of(rel):
    """``"kernel"``, ``"nn"``, ``"views"``, ``"data"`` or None for a path like
    ``course_lib/nn/layers.py`` (the package's ``__init__`` and grading have no floor)."""
    parts = Path(rel).parts
    if len(parts) == 2:
        return None if parts[1] == "__init__.py" else "kernel"
    return parts[1] if parts[1] in ("nn", "views", "data") else None


def imported_modules(rel, source):
    """``[(line, module)]``: every module the source imports, relative imports resolved.

    ``from a import b`` gives both ``a`` and ``a.b`` (b may be a submodule).
    """
    parts = list(Path(rel).with_suffix("").parts)
    package = parts if parts[-1] == "__init__" else parts[:-1]
    package = [p for p in package if p != "__init__"]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def floor_violations(rel, source):
    """Messages for the imports of ``source`` (the module at ``rel``) that break a floor."""
    floor = floor_of(rel)
    if floor is None:
        return []
    bad = []
    for line, module in imported_modules(rel, source):
        if module == "course_lib" and floor != "views":
            bad.append(f"{rel}:{line} imports the course_lib package itself (which imports "
                       "every floor); import the module it needs instead")
        for prefix in FORBIDDEN[floor]:
            if module == prefix or module.startswith(prefix + "."):
                bad.append(f"{rel}:{line} ({floor}) imports {module}")
    return bad


def _modules():
    return sorted(p.relative_to(LIB.parent).as_posix() for p in LIB.rglob("*.py"))


@pytest.mark.parametrize("rel", _modules())
def test_every_module_keeps_to_its_floor(rel):
    bad = floor_violations(rel, (LIB.parent / rel).read_text())
    assert not bad, "imports that break the floors (STYLE.md):\n" + "\n".join(bad)


@pytest.mark.parametrize("rel, source, words", [
    ("course_lib/dense.py", "import numpy as np\ndef f():\n    import matplotlib.pyplot\n",
     "course_lib/dense.py:3 (kernel) imports matplotlib.pyplot"),
    ("course_lib/losses.py", "from .nn.layers import Dense\n", "(kernel) imports course_lib.nn"),
    ("course_lib/losses.py", "from . import views\n", "(kernel) imports course_lib.views"),
    ("course_lib/losses.py", "from course_lib import Dense\n", "the course_lib package itself"),
    ("course_lib/nn/model.py", "from ..views.display import png_bytes\n",
     "(nn) imports course_lib.views.display"),
    ("course_lib/nn/model.py", "import ipywidgets\n", "(nn) imports ipywidgets"),
    ("course_lib/views/cnn.py", "from ..grading.checks import check_answer\n",
     "(views) imports course_lib.grading"),
    ("course_lib/data/mnist.py", "from ..nn import Dense\n", "(data) imports course_lib.nn"),
    ("course_lib/data/drawn.py", "def f():\n    from ipycanvas import Canvas\n",
     "course_lib/data/drawn.py:2 (data) imports ipycanvas"),
    ("course_lib/nn/model.py", "import ipycanvas\n", "(nn) imports ipycanvas"),
    ("course_lib/nn/__init__.py", "from ..views import show_widget\n",
     "(nn) imports course_lib.views"),
])
def test_the_checker_reports_a_wrong_import(rel, source, words):
    assert any(words in message for message in floor_violations(rel, source))


@pytest.mark.parametrize("rel, source", [
    ("course_lib/dense.py", "from .shapes import as_real_array\nimport numpy as np\n"),
    ("course_lib/nn/layers.py", "from ..dense import dense_forward\nfrom .base import Layer\n"),
    ("course_lib/views/cnn.py", "import matplotlib.pyplot as plt\nfrom ..nn import lenet5\n"),
    ("course_lib/grading/checks.py", "import matplotlib\n"),
])
def test_the_checker_allows_the_floors_below(rel, source):
    assert floor_violations(rel, source) == []


def test_relative_imports_are_resolved():
    assert (3, "course_lib.shapes") in imported_modules(
        "course_lib/nn/base.py", "import numpy\n\nfrom ..shapes import check_int\n")
    assert (1, "course_lib.nn.base") in imported_modules("course_lib/nn/__init__.py",
                                                         "from .base import Layer\n")
