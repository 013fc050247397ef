"""Answers a person should read: the routes to an answer that the sandbox cannot close.

The sandbox's copy of course_lib switches the taught functions off
(:mod:`course_grader.library_copy`), so calling the library's own answer scores 0. An answer
can still delegate: import SciPy's ``softmax``, call NumPy's ``sliding_window_view``, reach
into course_lib's internals, or paste the text of a course_lib function. None of these can be
told from honest work by running it, so :func:`review_reasons` reads the answer cells'
source (``ast``) and names what it finds; ``make grade`` lists the submission under "needs a
person" with the reasons, and the points stand until a person decides.

What is flagged:

- an import of SciPy, PyTorch, scikit-learn, Keras, TensorFlow, JAX, ``importlib``,
  ``builtins``, ``ctypes``, ``gc``, ``inspect``, or of course_lib / course_grader themselves;
- an assignment to an attribute of a module or of a name the answers did not make
  (``np.allclose = ...``, ``json.dumps = ...``): the judge's probe runs in the student's
  process, and patching what its harness uses could forge what it reports;
- ``exec``, ``eval``, ``compile``, ``__import__``, ``getattr`` with a computed name, and
  ``sliding_window_view`` / ``as_strided`` (a whole convolution or pooling in one call);
- a use of a name the notebook teaches (``softmax`` in 02) that the answers do not define
  themselves, a private attribute (``V._exercises``) and the doors into a function's or a
  module's insides (``f.__globals__``, ``__code__``, ``__dict__``; not ``__name__``);
- a function whose body is, up to names, strings and docstrings, the body of a course_lib
  function (pasted source): renaming, rewording and reformatting are caught, rewriting the
  logic is not.
"""

import ast
import functools
from pathlib import Path

import course_lib

__all__ = ["review_reasons", "FLAGGED_MODULES", "FLAGGED_NAMES"]

FLAGGED_MODULES = ("scipy", "torch", "sklearn", "keras", "tensorflow", "jax", "importlib",
                   "course_lib", "course_grader", "builtins", "ctypes", "gc", "inspect")
FLAGGED_NAMES = ("exec", "eval", "compile", "__import__", "sliding_window_view", "as_strided")
WHOLE_OPERATIONS = ("sliding_window_view", "as_strided")  # flagged as attributes too
# the doors into a function's or a module's insides; __name__ or __class__ open none
INTERNALS = ("__globals__", "__code__", "__dict__", "__builtins__", "__subclasses__",
             "__closure__", "__wrapped__", "__loader__", "__spec__", "__self__", "__func__")
_MIN_STATEMENTS = 3  # a shorter body ("return x @ w") is everyone's, not a copy


def _bound_names(trees):
    """Every name the answers bind themselves: assignments, defs, imports, arguments."""
    bound = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                bound.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, ast.alias):
                bound.add((node.asname or node.name).split(".")[0])
    return bound


def _fingerprint(function):
    """A function's body as a string of node kinds, with its docstring dropped, every name
    numbered in order of appearance and every string just "str", so that renaming and
    rewording do not hide a copy; None for a body
    too short to tell a copy from everyone's code. The tree is only read."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    nodes = [node for stmt in body for node in ast.walk(stmt)]
    if sum(isinstance(node, ast.stmt) for node in nodes) < _MIN_STATEMENTS:
        return None
    numbers = {}
    words = []
    for node in nodes:
        name = getattr(node, "id", None) or getattr(node, "arg", None) \
            if isinstance(node, (ast.Name, ast.arg)) else None
        if name is not None:
            words.append("n%d" % numbers.setdefault(name, len(numbers)))
        elif isinstance(node, ast.Constant):  # a message reworded is still a copy
            words.append("str" if isinstance(node.value, str) else repr(node.value))
        else:
            words.append(type(node).__name__ + ":" + str(getattr(node, "attr", "")))
    return " ".join(words)


@functools.lru_cache(maxsize=1)
def _library_bodies():
    """``{fingerprint: "course_lib.module.function"}`` of every course_lib function."""
    package = Path(course_lib.__file__).resolve().parent
    bodies = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(("course_lib", *path.relative_to(package).with_suffix("").parts))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = _fingerprint(node)
                if key is not None:
                    bodies.setdefault(key, f"{module}.{node.name}")
    return bodies


def _imported_names(trees):
    """Names the answers bind by importing (modules and what comes from them)."""
    return {(a.asname or a.name).split(".")[0] for tree in trees for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _patches(tree, own):
    """``np.allclose``-like targets of assignments whose root name is not the answers' own."""
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else \
            node.targets if isinstance(node, ast.Delete) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and _root(target) not in own:
                yield ast.unparse(target)


def _cell_reasons(k, tree, taught_short, bound, own):
    where = f"answer cell {k + 1}"
    reasons = [f"{where} changes {name} (what is not its own)" for name in _patches(tree, own)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""]
            for name in names:
                if name.split(".")[0] in FLAGGED_MODULES:
                    reasons.append(f"{where} imports {name}")
            reasons += [f"{where} imports {a.name}" for a in node.names if a.name in FLAGGED_NAMES]
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in FLAGGED_NAMES and node.id not in bound:
                reasons.append(f"{where} uses {node.id}")
            elif node.id in taught_short and node.id not in bound:
                reasons.append(f"{where} uses {node.id}, which this notebook asks students "
                               "to write")
        elif isinstance(node, ast.Attribute):
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if private or node.attr in INTERNALS:
                reasons.append(f"{where} reaches into {node.attr} (a private or internal name)")
            elif node.attr in WHOLE_OPERATIONS:
                reasons.append(f"{where} uses {node.attr}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            copy = _library_bodies().get(_fingerprint(node))
            if copy is not None:
                reasons.append(f"{where}: {node.name} has the body of {copy} (pasted source?)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "getattr" and len(node.args) > 1 \
                and not isinstance(node.args[1], ast.Constant):
            reasons.append(f"{where} uses getattr with a computed name")
    return reasons


def review_reasons(answers, taught=()):
    """Why a person should read these answers; empty when nothing is flagged.

    Parameters
    ----------
    answers : list of str
        The submission's answer cells, in notebook order.
    taught : iterable of str
        The notebook's taught functions (``course_lib.losses.softmax``).

    Returns
    -------
    list of str
        One reason per finding, in cell order, without repeats ("answer cell 3 imports
        scipy.special").

    Examples
    --------
    >>> review_reasons(["from scipy.special import softmax as s"])
    ['answer cell 1 imports scipy.special']
    >>> review_reasons(["def softmax(z):\\n    e = np.exp(z)\\n    return e / e.sum()"],
    ...                ["course_lib.losses.softmax"])
    []
    >>> for reason in review_reasons(["import json\\njson.dumps = str\\nnp.e = 3"]):
    ...     print(reason)
    answer cell 1 changes json.dumps (what is not its own)
    answer cell 1 changes np.e (what is not its own)
    """
    trees = []
    for source in answers:
        try:
            trees.append(ast.parse(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            trees.append(None)  # it fails to run anyway: nothing to flag
    parsed = [t for t in trees if t is not None]
    bound = _bound_names(parsed)
    own = bound - _imported_names(parsed)
    taught_short = {name.rpartition(".")[2] for name in taught}
    reasons = []
    for k, tree in enumerate(trees):
        if tree is not None:
            reasons += _cell_reasons(k, tree, taught_short, bound, own)
    return list(dict.fromkeys(reasons))
