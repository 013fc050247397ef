"""The floors of course_lib (CONTRIBUTING.md): each part imports only the parts below it.

kernels (course_lib/*.py, with their speed/ plumbing) <- nn <- views; data and checking stand
apart. Only views import the plotting and widget packages (matplotlib, ipywidgets, ipycanvas,
anywidget).
No part of course_lib imports course_grader or nbgrader, and neither package has an import
cycle. Imports are read with ``ast`` (absolute, relative, and imports inside functions), so
nothing is run.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "course_lib"
GRADER = ROOT / "course_grader"

WIDGETS = ("matplotlib", "ipywidgets", "ipycanvas", "anywidget")   # views only
INSTRUCTOR = ("course_grader", "nbgrader")   # never in what students receive
FORBIDDEN = {
    "kernel": ("course_lib.nn", "course_lib.views", "course_lib.data", "course_lib.checking",
               *INSTRUCTOR, *WIDGETS),
    "speed": ("course_lib.nn", "course_lib.views", "course_lib.data", "course_lib.checking",
              *INSTRUCTOR, *WIDGETS),
    "nn": ("course_lib.views", "course_lib.checking", *INSTRUCTOR, *WIDGETS),
    "views": ("course_lib.checking", *INSTRUCTOR),
    "data": ("course_lib.nn", "course_lib.views", "course_lib.checking", *INSTRUCTOR, *WIDGETS),
    "checking": ("course_lib.views", *INSTRUCTOR, *WIDGETS),
    "package": INSTRUCTOR,
}


def floor_of(rel):
    """``"kernel"``, ``"speed"``, ``"nn"``, ``"views"``, ``"data"``, ``"checking"``, or
    ``"package"`` (the ``__init__`` that gathers them) for a path like
    ``course_lib/nn/layers.py``; None outside course_lib."""
    parts = Path(rel).parts
    if parts[0] != "course_lib":
        return None
    if len(parts) == 2:
        return "package" if parts[1] == "__init__.py" else "kernel"
    return parts[1]


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
        if module == "course_lib" and floor not in ("views", "package"):
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
    assert not bad, "imports that break the floors (CONTRIBUTING.md):\n" + "\n".join(bad)


@pytest.mark.parametrize("rel, source, words", [
    ("course_lib/dense.py", "import numpy as np\ndef f():\n    import matplotlib.pyplot\n",
     "course_lib/dense.py:3 (kernel) imports matplotlib.pyplot"),
    ("course_lib/losses.py", "from .nn.layers import Dense\n", "(kernel) imports course_lib.nn"),
    ("course_lib/losses.py", "from . import views\n", "(kernel) imports course_lib.views"),
    ("course_lib/losses.py", "from course_lib import Dense\n", "the course_lib package itself"),
    ("course_lib/nn/sequential.py", "from ..views.display import png_bytes\n",
     "(nn) imports course_lib.views.display"),
    ("course_lib/nn/sequential.py", "import ipywidgets\n", "(nn) imports ipywidgets"),
    ("course_lib/views/cnn.py", "from course_grader.judge import judge\n",
     "(views) imports course_grader"),
    ("course_lib/checking/checks.py", "def f():\n    import nbgrader\n",
     "(checking) imports nbgrader"),
    ("course_lib/__init__.py", "from course_grader import variants\n",
     "(package) imports course_grader"),
    ("course_lib/speed/threads.py", "from ..nn import Dense\n", "(speed) imports course_lib.nn"),
    ("course_lib/data/mnist.py", "from ..nn import Dense\n", "(data) imports course_lib.nn"),
    ("course_lib/data/drawn.py", "def f():\n    from ipycanvas import Canvas\n",
     "course_lib/data/drawn.py:2 (data) imports ipycanvas"),
    ("course_lib/nn/sequential.py", "import ipycanvas\n", "(nn) imports ipycanvas"),
    ("course_lib/nn/__init__.py", "from ..views import show_widget\n",
     "(nn) imports course_lib.views"),
])
def test_the_checker_reports_a_wrong_import(rel, source, words):
    assert any(words in message for message in floor_violations(rel, source))


@pytest.mark.parametrize("rel, source", [
    ("course_lib/dense.py", "from .shapes import as_real_array\nimport numpy as np\n"),
    ("course_lib/nn/layers.py", "from ..dense import dense_forward\nfrom .base import Layer\n"),
    ("course_lib/views/cnn.py", "import matplotlib.pyplot as plt\nfrom ..nn import lenet5\n"),
    ("course_lib/checking/lab.py", "from ..nn import Dense\n"),
    ("course_lib/convolution.py", "from .speed.im2col import conv_forward_chunks\n"),
])
def test_the_checker_allows_the_floors_below(rel, source):
    assert floor_violations(rel, source) == []


def test_relative_imports_are_resolved():
    assert (3, "course_lib.shapes") in imported_modules(
        "course_lib/nn/base.py", "import numpy\n\nfrom ..shapes import check_int\n")
    assert (1, "course_lib.nn.base") in imported_modules("course_lib/nn/__init__.py",
                                                         "from .base import Layer\n")


def _package_modules():
    """``{dotted module: path}`` of both packages."""
    found = {}
    for package in (LIB, GRADER):
        for path in package.rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(p for p in parts if p != "__init__")] = path
    return found


def import_cycles(modules, root=ROOT):
    """Every import cycle among ``modules`` (``{dotted: path}`` under ``root``), imports inside
    functions counted too: a function-local import does not make a cycle go away."""
    graph = {}
    for name, path in modules.items():
        rel = path.relative_to(root).as_posix()
        graph[name] = {m for _line, m in imported_modules(rel, path.read_text())
                       if m in modules and m != name}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_neither_package_has_an_import_cycle():
    modules = _package_modules()
    # a package imports its submodules for its own __init__: that is not a cycle of modules
    cycles = [c for c in import_cycles(modules)
              if not any(a.startswith(b + ".") or b.startswith(a + ".")
                         for a, b in zip(c, c[1:], strict=False))]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    a, b = tmp_path / "course_lib" / "a.py", tmp_path / "course_lib" / "b.py"
    a.parent.mkdir()
    a.write_text("def f():\n    from .b import g\n")
    b.write_text("from .a import f\n")
    cycles = import_cycles({"course_lib.a": a, "course_lib.b": b}, root=tmp_path)
    assert cycles and set(cycles[0]) == {"course_lib.a", "course_lib.b"}


def local_imports_without_a_reason(source):
    """Line numbers of the imports inside functions that carry no comment saying why: on the
    import's line, or on a line of the block of imports (and the ``try:`` or comment line)
    that it ends: CONTRIBUTING.md's "Imports at the top"."""
    lines = source.splitlines()
    bare = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    first = sub.lineno - 1
                    while first > 0 and lines[first - 1].strip().startswith(
                            ("from ", "import ", "try:", "#")):
                        first -= 1
                    if not any("#" in line for line in lines[first:sub.end_lineno]):
                        bare.append(sub.lineno)
    return bare


@pytest.mark.parametrize("rel", sorted(str(p.relative_to(ROOT))
                                       for pkg in (LIB, GRADER) for p in pkg.rglob("*.py")))
def test_every_function_local_import_says_why(rel):
    bare = local_imports_without_a_reason((ROOT / rel).read_text())
    assert not bare, (f"{rel}: imports inside functions at lines {bare} without a comment "
                      "saying why they are not at the top (CONTRIBUTING.md, 'Imports at the top')")


def test_the_reason_checker_sees_a_bare_local_import():
    source = "def f():\n    import json\n\n\ndef g():\n    import csv  # optional: why\n"
    assert local_imports_without_a_reason(source) == [2]
