"""The judge's process on the student's side: ``python -I -m course_grader.judge.probe``.

It runs in the sandbox, as plain Python (no IPython, so no input transformer or hook that a
notebook cell installed), and answers the grader over two pipes (file descriptors named on its
command line), one JSON line per message:

1. the grader sends ``{"setup": [...], "answers": [...], "skip": [...], "student": id}``: the
   source notebook's setup cells (the instructor's imports and constants), the student's
   answer cells, the cells to skip (one that hung or killed an earlier probe) and the student
   id whose variant the answers were written for;
2. the probe runs the setup cells (one that calls a taught function, now switched off,
   stops there and the next runs), gives every variant the student's id, takes a snapshot of
   the harness (:func:`~.api.harness_snapshot`: the names the setup cells bound, and the
   built-ins), runs each answer cell in the same namespace (reporting ``{"cell": k}`` before
   each, so the grader knows which cell hung), and says ``{"ready": true, "errors": [...]}``;
3. then it answers requests (:func:`~.api.answer_request`) with ``{"ok": plain data}`` or
   ``{"raised": {"type": ..., "message": ...}}``: a name the setup cells bound comes from the
   snapshot, so an answer that rebinds a harness helper (notebook 07's ``describe_figure``)
   or a constant the judge reads (``RUN_DATA``) changes nothing; the answers' namespace is
   asked only for the student's own names (``run_network``, ``model_4``).

It decides nothing: the grader compares what it returns with the reference. The course_lib it
imports is the sandbox's own copy, in which the notebook's taught functions already raise
"write it yourself" (:mod:`course_grader.library_copy`).
"""

import io
import json
import os
import sys
import traceback

from ..variants import own_variants
from .api import answer_request, harness_snapshot

__all__ = ["main"]


def _send(out, message):
    out.write(json.dumps(message) + "\n")
    out.flush()


def _raised(err):
    return {"raised": {"type": type(err).__name__, "message": str(err)[:2000]}}


def main():
    """The probe process: ``python -m course_grader.judge.probe REQUEST_FD REPLY_FD``."""
    requests = os.fdopen(int(sys.argv[1]), "r", encoding="utf-8")
    out = os.fdopen(int(sys.argv[2]), "w", encoding="utf-8")
    sys.stdout = sys.stderr = io.StringIO()  # what the cells print does not matter here
    init = json.loads(requests.readline())
    namespace = {"__name__": "__main__"}
    for source in init["setup"]:
        try:  # a worked example may call a taught function, which raises here: go on
            exec(compile(source, "<setup>", "exec"), namespace)  # noqa: S102 (instructor's)
        except Exception:  # noqa: S110 (the names it bound before the call are kept)
            pass
        own_variants(namespace, init.get("student"))  # before a later setup cell reads V
    harness = harness_snapshot(namespace)  # before any answer cell can rebind a name
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
            reply = answer_request(json.loads(line), namespace, harness)
        except BaseException as err:
            reply = _raised(err)
            if not isinstance(err, Exception):
                traceback.clear_frames(err.__traceback__)
        sys.stdout = sys.stderr = io.StringIO()
        _send(out, reply)


if __name__ == "__main__":
    main()
