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
return plain data (:mod:`.plain`); an exception the student's code raised is raised again
as the same built-in type with the same message (:class:`StudentError` for other types), and a
blank answer raises :class:`NotAnswered`. ``judge_rng`` is a generator seeded afresh at each
grading, for inputs that nobody knows in advance.

Where it runs:

- in a notebook's kernel (the source notebook under nbval, a submission under autograde),
  :func:`judge` runs the spec at once against the kernel's own names: the instructor sees that
  the solution passes; in a submission the result is ignored;
- when grading, :class:`~.execute.JudgeGradeCells` (an nbgrader preprocessor, after Execute)
  runs every spec of the *source* notebook (:mod:`.specs`) in the grader's process against a
  :class:`~.remote.RemoteStudent`: the
  answer cells run again in a fresh sandboxed :mod:`.probe` process, with the notebook's
  taught functions of course_lib switched off. The verdict becomes the grade cell's output,
  from which nbgrader's SaveAutoGrades takes the points.
"""

import builtins
import json
import sys

import numpy as np

from .plain import Opaque, from_plain, to_plain

__all__ = ["judge", "judge_rng", "NotAnswered", "StudentError", "JudgeTimeout", "Opaque",
           "LocalStudent", "reraise"]

judge_rng = np.random.default_rng()


class NotAnswered(AssertionError):
    """The exercise is blank (its answer is None, or it raises NotImplementedError)."""


class StudentError(Exception):
    """A student's function raised an exception that is not a built-in one."""

    def __init__(self, type_name, message):
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name


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


class _Student:
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


class LocalStudent(_Student):
    """The answers in this process (a notebook's kernel): for the source notebook's own check."""

    def __init__(self, namespace):
        self.namespace = namespace

    def _ask(self, request):
        from .probe import _answer

        try:
            reply = _answer(json.loads(json.dumps(request)), self.namespace)
        except Exception as err:
            reply = {"raised": {"type": type(err).__name__, "message": str(err)}}
        if "raised" in reply:
            reraise(reply["raised"], request.get("name", "the answer"))
        return from_plain(reply["ok"])


def judge(spec):
    """Run ``spec(student)`` on this kernel's own answers (see the module docstring).

    When grading, the grader gives the spec's cell another ``judge`` that records the spec
    instead; this one only lets a source notebook check its solutions as it runs.

    Parameters
    ----------
    spec : callable
        ``spec(student)``, asserting on what a :class:`LocalStudent` of this kernel answers.

    Returns
    -------
    callable
        ``spec`` itself (a decorator).
    """
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    namespace = shell.user_ns if shell is not None else vars(sys.modules["__main__"])
    spec(LocalStudent(namespace))
    return spec
