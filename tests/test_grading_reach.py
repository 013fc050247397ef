"""What grading switches off besides the taught functions: the helpers that nothing else in
course_lib uses, and what the setup did not import (a package made here, then the real one)."""

import textwrap

from course_lib.grading.callees import call_graph
from course_lib.grading.reach import exclusive_callees, not_reached, other_users

FILES = {
    "__init__.py": "from .kernels import taught, other\n",
    "kernels.py": """
        from .shapes import check

        TABLE = {"kept": None}


        def taught(x):
            check(x)
            return _inner(x) + _shared(x)


        def _inner(x):
            return _deeper(x)


        def _deeper(x):
            return x


        def _shared(x):
            return x


        def other(x):
            check(x)
            return _shared(x)


        def _in_a_table(x):
            return x


        TABLE["kept"] = _in_a_table


        def taught_too(x):
            return _in_a_table(x)
        """,
    "shapes.py": """
        def check(x):
            return x
        """,
    "nn/__init__.py": "",
    "grading/__init__.py": "",
    "grading/probe.py": "def main():\n    return 0\n",
    "data/__init__.py": "",
    "data/__main__.py": "def cli():\n    return 0\n",
    "nn/layers.py": """
        from .. import kernels


        class Layer:
            def forward(self, x):
                return kernels.taught(x)


        def lazy(x):
            from ..kernels import _only_lazily
            return _only_lazily(x)
        """,
}


def _package(tmp_path, extra=""):
    root = tmp_path / "course_lib"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) + (extra if name == "kernels.py" else ""))
    return str(root)


def test_a_helper_only_the_taught_function_uses_goes_off_with_its_own_helpers(tmp_path):
    graph = call_graph(_package(tmp_path))
    off = exclusive_callees(["course_lib.kernels.taught"], graph)
    assert off == ["course_lib.kernels._deeper", "course_lib.kernels._inner"]


def test_a_helper_that_other_code_uses_stays_on_and_says_why(tmp_path):
    graph = call_graph(_package(tmp_path))
    kept = other_users(["course_lib.kernels.taught"], graph)
    assert kept["course_lib.kernels._shared"] == ["course_lib.kernels.other"]
    assert kept["course_lib.shapes.check"] == ["course_lib.kernels.other"]
    # the class's method calls the taught function through a module attribute
    assert "course_lib.nn.layers.Layer" in call_graph(_package(tmp_path))[0]
    assert graph[0]["course_lib.nn.layers.Layer"] == {"course_lib.kernels.taught"}


def test_module_level_code_keeps_a_function_on(tmp_path):
    graph = call_graph(_package(tmp_path))
    assert exclusive_callees(["course_lib.kernels.taught_too"], graph) == []
    assert other_users(["course_lib.kernels.taught_too"], graph) == {
        "course_lib.kernels._in_a_table": ["course_lib.kernels:module"]}


def test_an_import_inside_a_function_is_a_use(tmp_path):
    extra = "\n\ndef _only_lazily(x):\n    return x\n\n\ndef taught_lazily(x):\n" \
            "    return _only_lazily(x)\n"
    graph = call_graph(_package(tmp_path, extra))
    assert graph[0]["course_lib.nn.layers.lazy"] == {"course_lib.kernels._only_lazily"}
    assert exclusive_callees(["course_lib.kernels.taught_lazily"], graph) == []
    off = exclusive_callees(["course_lib.kernels.taught_lazily", "course_lib.nn.layers.lazy"],
                            graph)
    assert off == ["course_lib.kernels._only_lazily"]


def test_the_real_library_switches_off_what_holds_each_answer():
    graph = call_graph()
    conv = exclusive_callees(["course_lib.convolution.conv2d",
                              "course_lib.convolution.conv2d_forward",
                              "course_lib.shapes.conv_output_size",
                              "course_lib.shapes.pool_output_size"], graph)
    assert {"course_lib.im2col.conv_forward_chunks", "course_lib.shapes._output_size"} <= set(conv)
    pool = exclusive_callees(["course_lib.pooling.max_pool2d",
                              "course_lib.pooling.max_pool2d_forward"], graph)
    assert "course_lib.pooling._max_taps" in pool
    # what the backward pass shares with the forward stays on: training still works
    assert "course_lib.pooling._taps" not in pool
    assert "course_lib.shapes.check_int" not in conv
    # softmax is computed in one place, so activation_forward has no copy of its own
    assert "course_lib.losses.softmax" in graph[0]["course_lib.activations.activation_forward"]


def test_what_setup_did_not_import_is_not_reached(tmp_path):
    graph = call_graph(_package(tmp_path))
    off = not_reached(["course_lib.kernels.other"], graph, stop=["course_lib.kernels.taught"])
    # other, what it uses, and its module's top-level code (the table) stay on; the grading
    # package and the command-line entry points are never switched off
    assert off == ["course_lib.kernels._deeper", "course_lib.kernels._inner",
                   "course_lib.kernels.taught_too", "course_lib.nn.layers.Layer",
                   "course_lib.nn.layers.lazy"]
    # a module imported whole keeps all of it, and the package all of its modules
    assert not_reached(["course_lib.kernels", "course_lib.nn.layers"], graph) == []
    assert not_reached(["course_lib"], graph) == []
    assert not_reached(["course_lib.nn"], graph) == not_reached(["course_lib.nn.layers"], graph)
