"""The judge's process on the student's side: ``python -I -m course_lib.grading.probe``.

It runs in the sandbox, as plain Python (no IPython, so no input transformer or hook that a
notebook cell installed), and answers the grader over two pipes (file descriptors named on its
command line),
one JSON line per message:

1. the grader sends ``{"setup": [...], "taught": [...], "answers": [...], "skip": [...]}``:
   the source notebook's setup cells (the instructor's imports and constants), the dotted
   names of the functions the notebook teaches, and the student's answer cells;
2. the probe runs the setup cells, replaces every taught function of ``course_lib`` (and
   the helpers that only they use) by one that raises "write it yourself", runs each answer
   cell (reporting ``{"cell": k}`` before each, so the grader knows which cell hung), and
   says ``{"ready": true}``;
3. then it answers requests ``{"op": "value" | "call" | "eval", ...}`` with
   ``{"ok": plain data}`` or ``{"raised": {"type": ..., "message": ...}}``.

It decides nothing: the grader compares what it returns with the reference.
"""

import importlib
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


def _stub_code(name):
    """A code object that raises "write it yourself" (no closure, so it fits any function)."""
    ns = {}
    message = TAUGHT_MESSAGE.format(name=name)
    exec(f"def {name}(*args, **kwargs):\n    raise RuntimeError({message!r})", ns)  # noqa: S102
    return ns[name].__code__


def _rewrite_source(module, attr):
    """Replace ``def attr`` in the module's file, when the file is this sandbox's own copy."""
    import ast

    path = getattr(module, "__file__", None)
    if not path or not os.access(path, os.W_OK):
        return
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    message = TAUGHT_MESSAGE.format(name=attr)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == attr:
            node.body = ast.parse(f"raise RuntimeError({message!r})").body
    with open(path, "w", encoding="utf-8") as f:
        f.write(ast.unparse(tree))


def switch_off(dotted_names, namespace):
    """Switch each taught function off everywhere: its code object is replaced (so every
    reference to it raises), and so is its source when course_lib is this sandbox's private
    copy (so that reloading or executing the module's file brings back no answer). The helpers
    that only these functions use (``im2col.conv_forward_chunks`` behind ``conv2d``, found by
    :func:`.callees.exclusive_callees`) are switched off with them: they hold the same answer.

    Parameters
    ----------
    dotted_names : list of str
        ``course_lib.losses.softmax`` and the like.
    namespace : dict
        The answers' namespace: names bound to a taught function there are rebound too.
    """
    from .callees import exclusive_callees  # read off the files before they are rewritten

    dotted_names = list(dotted_names)
    for dotted in dotted_names + exclusive_callees(dotted_names):
        module_name, _, attr = dotted.rpartition(".")
        module = importlib.import_module(module_name)
        original = getattr(module, attr)
        _rewrite_source(module, attr)
        if hasattr(original, "__code__") and not original.__closure__:
            original.__code__ = _stub_code(attr)
            continue
        stub = types.FunctionType(_stub_code(attr), {}, attr)  # not a plain function: rebind
        for name, holder in list(sys.modules.items()):
            if name == "course_lib" or name.startswith("course_lib."):
                for key, value in list(vars(holder).items()):
                    if value is original:
                        setattr(holder, key, stub)
        for key, value in list(namespace.items()):
            if value is original:
                namespace[key] = stub


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

    switch_off(init.get("taught", []) + ANSWER_FUNCTIONS, namespace)
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
