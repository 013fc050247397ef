"""course_lib's call graph, read off its source (not run): what each function and class uses.

Every name a top-level function or class of course_lib mentions (called, passed or stored)
that resolves, through course_lib's own imports, to a top-level function or class of
course_lib; each module's own top-level code is one more user. :mod:`.reach` decides from it
what grading switches off; the grader sends it to each probe (:func:`plain_graph`) with where
each body lies in its file (:func:`module_spans`), so the probe parses nothing.
"""

import ast
import os

__all__ = ["call_graph", "plain_graph", "from_plain", "body_spans", "file_spans",
           "module_spans"]

PACKAGE = "course_lib"


def _modules(root):
    """Yield (dotted module name, path, is_package) for every .py file under root."""
    base = os.path.dirname(root)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, base)[:-3].split(os.sep)
                package = parts[-1] == "__init__"
                yield ".".join(parts[:-1] if package else parts), path, package


def _absolute(module, package, node):
    """The module an ``ImportFrom`` node names, made absolute."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if package else 0)
    return ".".join(parts[:keep] + ([node.module] if node.module else []))


def _imports(tree, module, package):
    """name -> ("module", dotted) or ("from", dotted module, attribute), for course_lib's own."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:  # import a.b binds a; import a.b as c, c
                    bound = alias.name if alias.asname else PACKAGE
                    names[alias.asname or PACKAGE] = ("module", bound)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, package, node)
            if source.split(".")[0] == PACKAGE:
                for alias in node.names:
                    names[alias.asname or alias.name] = ("from", source, alias.name)
    return names


def _mentions(node):
    """Names and dotted attribute chains (``a.b.c``) mentioned anywhere under node."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield (sub.id,)
        elif isinstance(sub, ast.Attribute):
            chain, value = [sub.attr], sub.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                yield (value.id, *reversed(chain))


def body_spans(node):
    """Where the code of a top-level function, or of each method of a class, lies in its file.

    Returns
    -------
    list of [first line, last line, column of the first statement]
        One per function body (1-based lines, the column in UTF-8 bytes as ``ast`` gives it).
    """
    fns = node.body if isinstance(node, ast.ClassDef) else [node]
    return [[fn.body[0].lineno, fn.body[-1].end_lineno, fn.body[0].col_offset] for fn in fns
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))]


def file_spans(text):
    """``{name: body_spans}`` for every top-level function and class of a module's text."""
    return {node.name: body_spans(node) for node in ast.parse(text).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def module_spans(root=None):
    """``{module: {"chars": length of its file, "spans": {name: body_spans}}}`` for course_lib.

    What the probe needs to rewrite the switched-off bodies of its private copy without
    parsing the files again (it parses a file whose length differs).
    """
    root = root or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = {}
    for module, path, _ in _modules(root):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        found[module] = {"chars": len(text), "spans": file_spans(text)}
    return found


def call_graph(root=None):
    """The static graph of course_lib's top-level functions and classes.

    Parameters
    ----------
    root : str, optional
        The package folder; course_lib's own by default.

    Returns
    -------
    uses : dict
        ``"course_lib.losses.softmax"`` -> set of the dotted names it mentions. Each module's
        own top-level code is the entry ``"course_lib.losses:module"``.
    functions : set of str
        The dotted names that are plain top-level functions (the ones that can be switched off).
    """
    root = root or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parsed, defined, modules = {}, {}, set()
    for module, path, package in _modules(root):
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        parsed[module] = (tree, _imports(tree, module, package))
        modules.add(module)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined[f"{module}.{node.name}"] = node

    def resolve(module, chain, seen=()):
        """The course_lib definition (or module) that ``chain`` names inside ``module``."""
        head, rest = chain[0], chain[1:]
        target = None
        if f"{module}.{head}" in defined:
            target = f"{module}.{head}"
        elif f"{module}.{head}" in modules:
            target = f"{module}.{head}"
        elif module in parsed and head in parsed[module][1] and (module, head) not in seen:
            kind, *where = parsed[module][1][head]
            if kind == "module":
                target = where[0]
            else:
                source, attr = where
                if f"{source}.{attr}" in modules:
                    target = f"{source}.{attr}"
                else:
                    target = resolve(source, (attr,), seen + ((module, head),))
        if target is None or not rest:
            return target
        return resolve(target, rest, seen) if target in modules else target

    uses, functions = {}, set()
    for module, (tree, _) in parsed.items():
        top = uses.setdefault(f"{module}:module", set())
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                continue  # a re-export names a function without using it
            is_def = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            name = f"{module}.{node.name}" if is_def else None
            into = uses.setdefault(name, set()) if name else top
            if name and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.add(name)
            for chain in _mentions(node):
                target = resolve(module, chain)
                if target in defined and target != name:
                    into.add(target)
    return uses, functions


def plain_graph():
    """course_lib's own graph as JSON-ready data (computed once per process): the grader sends
    it to each probe, which then need not parse the whole package again.

    Returns
    -------
    dict
        ``{"uses": {name: sorted list}, "functions": sorted list, "files": module_spans()}``;
        :func:`from_plain` reads the graph back.
    """
    global _PLAIN
    if _PLAIN is None:
        uses, functions = call_graph()
        _PLAIN = {"uses": {k: sorted(v) for k, v in uses.items()},
                  "functions": sorted(functions), "files": module_spans()}
    return _PLAIN


_PLAIN = None


def from_plain(plain):
    """The ``(uses, functions)`` graph back from :func:`plain_graph`'s data."""
    return {k: set(v) for k, v in plain["uses"].items()}, set(plain["functions"])
