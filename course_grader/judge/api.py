"""The judge: points decided by the grader, from plain data, never in a student's process.

A grade cell's hidden region is a *judge specification*: a function decorated with
:func:`judge` that asks the student's answers for data and asserts on it::

    (hidden-test markers around)
    @judge
    def example_judge(student):
        counts = student.value("example_counts")
        assert len(counts) == 3, "Give one count per layer."
        assert counts == [10, 20, 30], "At least one count is wrong."

``student.value(name)``, ``student.call(name, *args, **kwargs)`` and ``student.eval(expr)``
return plain data (:mod:`.wire`); an exception the student's code raised is raised again
as the same built-in type with the same message (:class:`StudentError` for other types), and a
blank answer raises :class:`NotAnswered`. ``judge_rng`` is a generator seeded afresh at each
grading, for inputs that nobody knows in advance.

Where it runs:

- in the source notebook's kernel (under nbval, or the instructor's JupyterLab), :func:`judge`
  runs the spec at once against the kernel's own names: the instructor sees that the solution
  passes. Released notebooks never hold a spec (nbgrader removes hidden regions), so a
  student's kernel never imports this package;
- when grading, :class:`~course_grader.execute.JudgeGradeCells` (an nbgrader preprocessor,
  after Execute) runs every spec of the *source* notebook (:mod:`.notebook`) in the grader's
  process, inside :func:`recording`, against a :class:`~.remote.RemoteStudent`: the answer
  cells run again in a fresh sandboxed :mod:`.probe` process, whose copy of course_lib has the
  notebook's taught functions replaced by "write it yourself". The verdict becomes the grade
  cell's output, from which nbgrader's SaveAutoGrades takes the points. There a name that the
  setup cells bound (a harness helper such as ``describe_figure``, a constant such as
  ``RUN_DATA``) and the built-ins of an expression are the ones of before the answer cells ran
  (:func:`harness_snapshot`): an answer that rebinds them changes nothing a spec asks.

A hidden region starts with ``from course_grader.judge import expected, judge, judge_rng``.
"""

import builtins
import contextlib
import contextvars
import json
import sys

import numpy as np

from .wire import Opaque, from_plain, to_plain

__all__ = ["judge", "judge_rng", "recording", "answer_request", "harness_snapshot",
           "NotAnswered", "StudentError", "JudgeTimeout", "Opaque", "Student", "LocalStudent",
           "reraise"]

# a generator seeded afresh in every grading process, for inputs nobody knows in advance
judge_rng = np.random.default_rng()

_recorded = contextvars.ContextVar("judge specs being recorded", default=None)


class NotAnswered(AssertionError):
    """The exercise is blank (its answer is None, or it raises NotImplementedError)."""


class StudentError(Exception):
    """A student's function raised an exception that is not a built-in one."""

    def __init__(self, type_name, message):
        super().__init__(f"{type_name}: {message}")
        self.type_name, self.message = type_name, message


class JudgeTimeout(AssertionError):
    """The student's code did not answer in time, or its process died."""


def reraise(raised, what):
    """Raise again, in the grader, an exception that the student's code raised.

    Parameters
    ----------
    raised : dict
        ``{"type": name, "message": text}`` as the student's process reported it.
    what : str
        The answer asked for, named in the message of a blank one.

    Raises
    ------
    NotAnswered
        For ``NotImplementedError`` (the exercise is blank).
    Exception
        The built-in exception type of that name (``ValueError``, ``IndexError``, ...) with
        the same message; :class:`StudentError` for any other type (the student's own classes
        never cross, and neither do ``SystemExit`` or ``KeyboardInterrupt``).
    """
    kind, message = str(raised.get("type", "Exception")), str(raised.get("message", ""))
    if kind == "NotImplementedError":
        raise NotAnswered(f"{what} is not answered yet (it raises NotImplementedError).")
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == "builtins":
        raise cls(message)
    raise StudentError(kind, message)


class Student:
    """What a spec may ask; subclasses say how the question reaches the answers."""

    def _ask(self, request):
        raise NotImplementedError

    def value(self, name):
        """The value of the student's variable ``name``, as plain data."""
        value = self._ask({"op": "value", "name": name})
        if value is None:
            raise NotAnswered(f"{name} is not answered yet (it is still None).")
        return value

    def call(self, name, *args, **kwargs):
        """Call the student's function ``name`` on plain-data arguments; its result, as plain
        data (an exception it raises is raised again, see :func:`reraise`)."""
        return self._ask({"op": "call", "name": name, "args": [to_plain(a) for a in args],
                          "kwargs": {k: to_plain(v) for k, v in kwargs.items()}})

    def eval(self, expr):
        """Evaluate ``expr`` among the student's names, as plain data."""
        return self._ask({"op": "eval", "expr": expr})


class LocalStudent(Student):
    """The answers in this process (a notebook's kernel): for the source notebook's own check."""

    def __init__(self, namespace):
        self.namespace = namespace

    def _ask(self, request):
        try:
            reply = answer_request(json.loads(json.dumps(request)), self.namespace)
        except Exception as err:
            reply = {"raised": {"type": type(err).__name__, "message": str(err)}}
        if "raised" in reply:
            reraise(reply["raised"], request.get("name", "the answer"))
        return from_plain(reply["ok"])


def judge(spec):
    """Run ``spec(student)`` on this kernel's own answers (see the module docstring).

    Inside :func:`recording` (the grader) the spec is recorded instead, to be run against the
    submission's answers; outside it, this lets a source notebook check its solutions as it
    runs.

    Parameters
    ----------
    spec : callable
        ``spec(student)``, asserting on what a :class:`LocalStudent` of this kernel answers.

    Returns
    -------
    callable
        ``spec`` itself (a decorator).
    """
    specs = _recorded.get()
    if specs is not None:
        specs.append(spec)
        return spec
    try:  # IPython is optional: a source notebook run as a script has none
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    namespace = shell.user_ns if shell is not None else vars(sys.modules["__main__"])
    spec(LocalStudent(namespace))
    return spec


@contextlib.contextmanager
def recording():
    """Record the specs that :func:`judge` meets instead of running them.

    Yields
    ------
    list
        The recorded specs, in the order their cells define them.
    """
    specs = []
    token = _recorded.set(specs)
    try:
        yield specs
    finally:
        _recorded.reset(token)


def harness_snapshot(namespace):
    """The harness as the setup cells left it, to be taken before any answer cell runs.

    Parameters
    ----------
    namespace : dict
        The names the setup cells bound (their imports, helpers and constants).

    Returns
    -------
    dict
        A copy of ``namespace`` whose ``__builtins__`` is a copy of the built-ins' dict: an
        answer cell that later rebinds a name in ``namespace`` or patches ``builtins.len``
        changes neither. The objects themselves are shared, not copied (see
        :func:`answer_request`).

    Examples
    --------
    >>> ns = {"LIMIT": 3}
    >>> harness = harness_snapshot(ns)
    >>> ns["LIMIT"] = 99
    >>> harness["LIMIT"], harness["__builtins__"]["len"] is len
    (3, True)
    """
    harness = dict(namespace)
    harness["__builtins__"] = dict(vars(builtins))
    return harness


def _expression_globals(namespace, harness):
    """The globals of a spec's expression: the student's names, then the harness over them; a
    student's name that hides a built-in (``len = ...``) is left out."""
    if harness is None:
        return namespace
    builtin_names = harness.get("__builtins__", vars(builtins))
    names = {k: v for k, v in namespace.items() if k not in builtin_names}
    names.update(harness)
    return names


def answer_request(request, namespace, harness=None):
    """Answer one request of a spec from the harness and the names of the student's answers.

    Parameters
    ----------
    request : dict
        ``{"op": "value", "name": ...}``, ``{"op": "call", "name": ..., "args": [...],
        "kwargs": {...}}`` (arguments as plain data) or ``{"op": "eval", "expr": ...}``.
    namespace : dict
        The names of the setup and answer cells, as the answers left them.
    harness : dict, optional
        :func:`harness_snapshot` of the setup cells' names, taken before any answer cell ran
        (the probe's). A name it holds is taken from it, never from ``namespace``, for
        ``value``, ``call`` and the names an ``eval`` expression resolves, whose built-ins are
        the snapshot's too; ``namespace`` answers only the student's own names. An object the
        setup bound is still the same object: an answer can change it in place (an attribute
        of a module, a function's ``__code__``), which :mod:`course_grader.review` flags where
        it can. None (a notebook's own kernel): every name from ``namespace``.

    Returns
    -------
    dict
        ``{"ok": plain data}``, or ``{"raised": {"type": ..., "message": ...}}`` for a name
        that is not a function. An exception of the student's code propagates.

    Examples
    --------
    >>> harness = {"LIMIT": 3}
    >>> answers = {"LIMIT": 99, "mine": 7, "len": lambda obj: 42}
    >>> answer_request({"op": "eval", "expr": "[LIMIT, mine, len('ab')]"}, answers, harness)
    {'ok': [3, 7, 2]}
    >>> answer_request({"op": "value", "name": "LIMIT"}, answers, harness)
    {'ok': 3}
    """
    op = request.get("op")
    if op in ("value", "call"):
        name = request["name"]
        found = harness[name] if harness is not None and name in harness else namespace.get(name)
    if op == "value":
        return {"ok": to_plain(found)}
    if op == "call":
        if not callable(found):
            return {"raised": {"type": "NameError",
                               "message": f"{request['name']} is not defined as a function"}}
        args = [from_plain(a) for a in request.get("args", [])]
        kwargs = {k: from_plain(v) for k, v in request.get("kwargs", {}).items()}
        return {"ok": to_plain(found(*args, **kwargs))}
    if op == "eval":
        expr_globals = _expression_globals(namespace, harness)
        return {"ok": to_plain(eval(request["expr"], expr_globals))}  # noqa: S307 (sandboxed)
    return {"raised": {"type": "ValueError", "message": f"unknown request {op!r}"}}
