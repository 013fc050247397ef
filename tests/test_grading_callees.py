"""course_lib's call graph read off the source: what each definition uses, and where each
body lies, on files made here (checked against the text) and on course_lib itself."""

import ast
import json
import textwrap

from course_lib.grading.callees import (
    body_spans,
    call_graph,
    from_plain,
    module_spans,
    plain_graph,
)

FILES = {
    "__init__.py": "from .a import f  # a re-export is not a use\n",
    "a.py": """
        import course_lib.b as bee
        from . import b
        from .b import g as gee

        TABLE = [gee]


        def f(x):
            return bee.g(x) + b.h(x)


        class K:
            def m(self):
                return f(1)

            @property
            def p(self):
                from .b import h
                return h(2)
        """,
    "b.py": """
        def g(x):
            return x


        def h(x): return x
        """,
}


def _package(tmp_path):
    root = tmp_path / "course_lib"
    root.mkdir()
    for name, text in FILES.items():
        (root / name).write_text(textwrap.dedent(text))
    return str(root)


def test_every_way_of_naming_a_definition_is_a_use(tmp_path):
    uses, functions = call_graph(_package(tmp_path))
    assert uses["course_lib.a.f"] == {"course_lib.b.g", "course_lib.b.h"}  # alias, module attr
    assert uses["course_lib.a.K"] == {"course_lib.a.f", "course_lib.b.h"}  # methods, lazy import
    assert uses["course_lib.a:module"] == {"course_lib.b.g"}  # the table
    assert uses["course_lib:module"] == set()  # the re-export
    assert functions == {"course_lib.a.f", "course_lib.b.g", "course_lib.b.h"}


def test_the_spans_are_where_the_bodies_are(tmp_path):
    root = _package(tmp_path)
    files = module_spans(root)
    text = (tmp_path / "course_lib" / "a.py").read_text()
    assert files["course_lib.a"]["chars"] == len(text)
    lines = text.splitlines()
    (first, last, col), = files["course_lib.a"]["spans"]["f"]
    assert lines[first - 1][col:] == "return bee.g(x) + b.h(x)" and first == last
    assert [lines[s - 1].strip() for s, _, _ in files["course_lib.a"]["spans"]["K"]] == [
        "return f(1)", "from .b import h"]
    (first, _, col), = files["course_lib.b"]["spans"]["h"]  # a body on its def's line
    b_lines = (tmp_path / "course_lib" / "b.py").read_text().splitlines()
    assert b_lines[first - 1][col:] == "return x"


def test_body_spans_of_a_class_skip_what_is_not_a_method():
    node = ast.parse("class C:\n    x = 1\n\n    def m(self):\n        pass\n").body[0]
    assert body_spans(node) == [[5, 5, 8]]


def test_the_plain_graph_is_json_and_reads_back():
    plain = json.loads(json.dumps(plain_graph()))
    assert from_plain(plain) == call_graph()
    assert "course_lib.losses" in plain["files"]
    assert "softmax" in plain["files"]["course_lib.losses"]["spans"]
