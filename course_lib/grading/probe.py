"""The judge's process on the student's side: ``python -I -m course_lib.grading.probe``.

It runs in the sandbox, as plain Python (no IPython, so no input transformer or hook that a
notebook cell installed), and answers the grader over two pipes (file descriptors named on its
command line),
one JSON line per message:

1. the grader sends ``{"setup": [...], "taught": [...], "answers": [...], "skip": [...],
   "only_setup_library": bool}``: the source notebook's setup cells (the instructor's imports
   and constants), the dotted names of the functions the notebook teaches, the student's
   answer cells, and whether the answers may use only the course_lib that setup imported;
2. the probe runs the setup cells, replaces every taught function of ``course_lib`` (and
   the helpers that only they use) by one that raises "write it yourself", runs each answer
   cell (reporting ``{"cell": k}`` before each, so the grader knows which cell hung), and
   says ``{"ready": true}``;
3. then it answers requests ``{"op": "value" | "call" | "eval", ...}`` with
   ``{"ok": plain data}`` or ``{"raised": {"type": ..., "message": ...}}``.

It decides nothing: the grader compares what it returns with the reference.
"""

import importlib
import importlib.util
import io
import json
import os
import sys
import traceback
import types

from .plain import to_plain

__all__ = ["TAUGHT_MESSAGE", "main"]

TAUGHT_MESSAGE = ("{name} from course_lib is switched off while your exercise is graded: "
                  "this exercise asks you to write it yourself.")


def _stub_code(name, n_free=0):
    """A code object that raises "write it yourself", with ``n_free`` free variables (a
    function's ``__code__`` can only be replaced by one that fits its closure)."""
    cells = [f"_cell{i}" for i in range(n_free)]
    message = TAUGHT_MESSAGE.format(name=name)
    source = ("def _outer():\n" + "".join(f"    {c} = None\n" for c in cells)
              + "    def switched_off(*args, **kwargs):\n"
              + (f"        ({', '.join(cells)},)\n" if cells else "")
              + f"        raise RuntimeError({message!r})\n    return switched_off\n")
    ns = {}
    exec(source, ns)  # noqa: S102
    return ns["_outer"]().__code__


def _functions_of(original):
    """The plain functions that hold a function's or a class's code (methods, properties)."""
    if isinstance(original, types.FunctionType):
        return [original]
    found = []
    for value in vars(original).values() if isinstance(original, type) else ():
        value = getattr(value, "__func__", value)  # staticmethod, classmethod
        parts = [value.fget, value.fset, value.fdel] if isinstance(value, property) else [value]
        found += [f for f in parts if isinstance(f, types.FunctionType)]
    return found


def _rewrite_source(path, attrs, known=None):
    """Replace the bodies of the functions and classes ``attrs`` (every method) in the file at
    ``path`` by a ``raise``, when the file is this sandbox's own copy: lines are spliced, from
    the bottom up, so the rest of the file stays as it was.

    ``known`` is the grader's ``{"chars": ..., "spans": ...}`` for this file
    (:func:`.callees.module_spans`); the file is parsed here when its length differs. Nothing
    is written unless the sandbox says the copy is private (``COURSE_PRIVATE_LIBRARY=1``):
    with ``COURSE_SANDBOX=off`` the files are the instructor's own.
    """
    from .callees import file_spans

    private = os.environ.get("COURSE_PRIVATE_LIBRARY") == "1"
    if not private or not path or not os.access(path, os.W_OK):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    spans = known["spans"] if known and known["chars"] == len(text) else file_spans(text)
    lines = text.splitlines(keepends=True)
    bodies = sorted(((*span, name) for name in attrs for span in spans.get(name, ())),
                    reverse=True)
    for first, last, col, name in bodies:
        before = lines[first - 1].encode()[:col].decode()  # the indent, or "def f(x): "
        message = TAUGHT_MESSAGE.format(name=name)
        lines[first - 1:last] = [f"{before}raise RuntimeError({message!r})\n"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(lines))


def switch_off(dotted_names, namespace, only_from=None, graph=None):
    """Switch each taught function or class off everywhere: its code objects (a class's
    methods) are replaced, so every reference to it raises, and so is its source when
    course_lib is this sandbox's private copy (so that reloading or executing the module's
    file brings back no answer). The helpers that only these use (``im2col``'s product behind
    ``conv2d``, found by :func:`.reach.exclusive_callees`) are switched off with them.

    Parameters
    ----------
    dotted_names : list of str
        ``course_lib.losses.softmax`` and the like.
    namespace : dict
        The answers' namespace: names bound there to something switched off are rebound too.
    only_from : list of str, optional
        The course_lib names the setup cells imported: given, everything else of course_lib
        that they do not use (:func:`.reach.not_reached`) is switched off as well.
    graph : dict, optional
        course_lib's call graph from :func:`.callees.plain_graph` (the grader's, sent with the
        request); read off the files here when not given.
    """
    from .callees import call_graph, from_plain
    from .reach import exclusive_callees, not_reached

    plain = graph or {}
    graph = from_plain(plain) if plain else call_graph()  # read before any file is rewritten
    names = list(dotted_names) + exclusive_callees(dotted_names, graph)
    if only_from is not None:
        names += not_reached(only_from, graph, stop=names)
    modules = {}
    for dotted in dict.fromkeys(names):
        module_name, _, attr = dotted.rpartition(".")
        modules.setdefault(module_name, []).append(attr)
    for module_name, attrs in modules.items():
        module = sys.modules.get(module_name)
        if module is None:  # not imported yet: rewriting its file is enough, an import reads it
            spec = importlib.util.find_spec(module_name)
            _rewrite_source(spec and spec.origin, attrs, plain.get("files", {}).get(module_name))
            continue
        _rewrite_source(module.__file__, attrs, plain.get("files", {}).get(module_name))
        for attr in attrs:
            original = getattr(module, attr, None)
            functions = _functions_of(original) if original is not None else []
            for fn in functions:
                fn.__code__ = _stub_code(attr, len(fn.__code__.co_freevars))
            if original is not None and not functions:  # no code of its own: rebind the name
                _rebind(original, types.FunctionType(_stub_code(attr), {}, attr), namespace)


def _rebind(original, stub, namespace):
    for name, holder in list(sys.modules.items()):
        if name == "course_lib" or name.startswith("course_lib."):
            for key, value in list(vars(holder).items()):
                if value is original:
                    setattr(holder, key, stub)
    for key, value in list(namespace.items()):
        if value is original:
            namespace[key] = stub


def library_names(namespace):
    """The dotted names of the course_lib functions, classes, modules and objects' classes
    bound in ``namespace`` (the grading modules left out: the answers have no use for them).
    """
    names = set()
    for value in namespace.values():
        if isinstance(value, types.ModuleType):
            name = value.__name__
        else:
            kind = value if isinstance(value, (types.FunctionType, type)) else type(value)
            name = f"{getattr(kind, '__module__', '')}.{getattr(kind, '__qualname__', '')}"
        if name.startswith("course_lib.") and not name.startswith("course_lib.grading"):
            names.add(name)
    return sorted(names)


def _send(out, message):
    out.write(json.dumps(message) + "\n")
    out.flush()


def _raised(err):
    return {"raised": {"type": type(err).__name__, "message": str(err)[:2000]}}


def _answer(request, namespace):
    op = request.get("op")
    if op == "value":
        return {"ok": to_plain(namespace.get(request["name"]))}
    if op == "call":
        from .plain import from_plain

        fn = namespace.get(request["name"])
        if not callable(fn):
            return {"raised": {"type": "NameError",
                               "message": f"{request['name']} is not defined as a function"}}
        args = [from_plain(a) for a in request.get("args", [])]
        kwargs = {k: from_plain(v) for k, v in request.get("kwargs", {}).items()}
        return {"ok": to_plain(fn(*args, **kwargs))}
    if op == "eval":
        return {"ok": to_plain(eval(request["expr"], namespace))}  # noqa: S307 (sandboxed)
    return {"raised": {"type": "ValueError", "message": f"unknown request {op!r}"}}


def main():
    """The probe process: ``python -m course_lib.grading.probe REQUEST_FD REPLY_FD``.

    Reads the setup, taught names and answer cells from the first request line, runs them
    (announcing each answer cell before it runs, so that the grader can skip one that hangs),
    then answers one JSON request per line with plain data.
    """
    requests = os.fdopen(int(sys.argv[1]), "r", encoding="utf-8")
    out = os.fdopen(int(sys.argv[2]), "w", encoding="utf-8")
    sys.stdout = sys.stderr = io.StringIO()  # what the cells print does not matter here
    init = json.loads(requests.readline())
    namespace = {"__name__": "__main__"}
    for source in init["setup"]:
        exec(compile(source, "<setup>", "exec"), namespace)  # noqa: S102
    from .variants import ANSWER_FUNCTIONS  # the variants' expected answers, in every notebook

    only_from = library_names(namespace) if init.get("only_setup_library") else None
    switch_off(init.get("taught", []) + ANSWER_FUNCTIONS, namespace, only_from,
               init.get("graph"))
    errors = []
    for k, source in enumerate(init["answers"]):
        _send(out, {"cell": k})
        if k in init.get("skip", []):
            continue
        try:
            exec(compile(source, f"<answer cell {k + 1}>", "exec"), namespace)  # noqa: S102
        except BaseException as err:  # a student's cell may raise anything, SystemExit too
            errors.append({"cell": k, "error": f"{type(err).__name__}: {err}"[:500]})
        sys.stdout = sys.stderr = io.StringIO()
    _send(out, {"ready": True, "errors": errors})
    for line in requests:
        try:
            reply = _answer(json.loads(line), namespace)
        except BaseException as err:
            reply = _raised(err)
            if not isinstance(err, Exception):
                traceback.clear_frames(err.__traceback__)
        sys.stdout = sys.stderr = io.StringIO()
        _send(out, reply)


if __name__ == "__main__":
    main()
