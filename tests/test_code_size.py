"""Size limits of the library: no function over 50 lines (its docstring not counted) and no
module over 300 lines, in either package, so that each one can be read in one sitting
(CONTRIBUTING.md)."""

import ast
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "course_lib"
MAX_FUNCTION_LINES = 50
MAX_MODULE_LINES = 300

def _docstring_lines(node):
    body = node.body
    if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        return body[0].end_lineno - body[0].lineno + 1
    return 0


def function_sizes(source):
    """``[(qualified name, lines)]`` for every function: ``def`` to its end, minus the docstring.

    Decorators are not counted; nested functions count in their parent too.
    """
    sizes = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}."
                if not isinstance(child, ast.ClassDef):
                    lines = child.end_lineno - child.lineno + 1 - _docstring_lines(child)
                    sizes.append((name[:-1], lines))
            visit(child, name)

    visit(ast.parse(source), "")
    return sizes


def _modules():
    return sorted([*LIB.rglob("*.py"), *(LIB.parent / "course_grader").rglob("*.py")])


def _rel(path):
    return path.relative_to(LIB.parent).as_posix()


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_functions_are_at_most_50_lines(path):
    long = [(name, n) for name, n in function_sizes(path.read_text()) if n > MAX_FUNCTION_LINES]
    assert not long, (f"{_rel(path)}: functions over {MAX_FUNCTION_LINES} lines (docstring not "
                      f"counted): {long}. Split them into smaller functions.")


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_modules_are_at_most_300_lines(path):
    n = len(path.read_text().splitlines())
    assert n <= MAX_MODULE_LINES, (f"{_rel(path)} has {n} lines (at most {MAX_MODULE_LINES}): "
                                   "split it into modules named after concepts.")


def test_the_measure_leaves_out_the_docstring_and_counts_nested_functions():
    source = 'def f():\n    """Doc\n\n    more."""\n    def g():\n        return 1\n    return g\n'
    assert function_sizes(source) == [("f", 4), ("f.g", 2)]
    long = "def h():\n" + "    x = 1\n" * 50
    assert function_sizes(long) == [("h", 51)]
