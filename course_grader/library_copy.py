"""The sandbox's own copy of course_lib, with the functions a notebook teaches switched off.

An exercise that asks for ``softmax`` must not be answered by ``course_lib.softmax``. Before
the judge's probe starts, the grader copies course_lib into the sandbox and replaces the body
of every taught function (every method of a taught class) by a ``raise`` that says "write it
yourself"; the copy is mounted read-only over course_lib, so an import, a reload or reading
the module's file inside the sandbox all meet the switched-off version. Nothing else changes:
the other routes to an answer (SciPy, NumPy's windows, the library's internals, pasted source)
are flagged for a person by :mod:`course_grader.review`.
"""

import ast
import shutil
from pathlib import Path

import course_lib

__all__ = ["TAUGHT_MESSAGE", "write_library_copy", "switch_off_source"]

TAUGHT_MESSAGE = ("{name} from course_lib is switched off while your exercise is graded: "
                  "this exercise asks you to write it yourself.")


def _bodies(tree, names):
    """``[(function node, label)]`` for the top-level functions and the methods of the
    top-level classes named in ``names``."""
    found = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
            found.append((node, node.name))
        elif isinstance(node, ast.ClassDef) and node.name in names:
            found += [(item, f"{node.name}.{item.name}") for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return found


def switch_off_source(text, names):
    """The module source ``text`` with the bodies of ``names`` replaced by a ``raise``.

    Parameters
    ----------
    text : str
        A module's source.
    names : iterable of str
        Top-level functions and classes of that module (a class: every method).

    Returns
    -------
    str
        The same source, line for line outside the replaced bodies.

    Raises
    ------
    ValueError
        If a name is not a top-level function or class of the module (a typo in a
        notebook's ``metadata.course.taught`` would otherwise switch nothing off).

    Examples
    --------
    >>> print(switch_off_source("def f(x):\\n    return x + 1\\n", ["f"]).splitlines()[1][:30])
        raise RuntimeError('f from
    """
    names = set(names)
    tree = ast.parse(text)
    targets = _bodies(tree, names)
    missing = names - {label.split(".")[0] for _node, label in targets}
    if missing:
        raise ValueError(f"switch_off_source: no function or class {sorted(missing)} at the top "
                         "of the module; check metadata.course.taught.")
    lines = text.splitlines(keepends=True)
    for node, label in sorted(targets, key=lambda t: t[0].body[0].lineno, reverse=True):
        first, last = node.body[0], node.body[-1]
        line = lines[first.lineno - 1].encode()
        before = line[:first.col_offset].decode()  # the indent, or "def f(x): " on one line
        message = TAUGHT_MESSAGE.format(name=label.split(".")[0])
        lines[first.lineno - 1:last.end_lineno] = [f"{before}raise RuntimeError({message!r})\n"]
    return "".join(lines)


def write_library_copy(dest, dotted_names):
    """Copy course_lib into ``dest`` with ``dotted_names`` switched off.

    Parameters
    ----------
    dest : path
        A folder that does not exist yet; it becomes the copy's package folder.
    dotted_names : iterable of str
        ``course_lib.losses.softmax``, ``course_lib.nn.sequential.Sequential``, ...

    Returns
    -------
    pathlib.Path
        ``dest``.
    """
    package = Path(course_lib.__file__).resolve().parent
    dest = Path(dest)
    shutil.copytree(package, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    modules = {}
    for dotted in dotted_names:
        module, _, attr = dotted.rpartition(".")
        if module != "course_lib" and not module.startswith("course_lib."):
            raise ValueError(f"write_library_copy: {dotted!r} is not a course_lib name.")
        modules.setdefault(module, set()).add(attr)
    for module, attrs in modules.items():
        parts = module.split(".")[1:]
        path = dest.joinpath(*parts).with_suffix(".py")
        if not path.is_file():
            path = dest.joinpath(*parts, "__init__.py")
        path.write_text(switch_off_source(path.read_text(encoding="utf-8"), attrs),
                        encoding="utf-8")
    return dest
