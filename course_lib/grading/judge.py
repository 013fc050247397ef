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
- when grading, :class:`JudgeGradeCells` (an nbgrader preprocessor, after Execute) runs every
  spec of the *source* notebook in the grader's process against a :class:`RemoteStudent`: the
  answer cells run again in a fresh sandboxed :mod:`.probe` process, with the notebook's
  taught functions of course_lib switched off. The verdict becomes the grade cell's output,
  from which nbgrader's SaveAutoGrades takes the points.
"""

import builtins
import contextlib
import io
import json
import os
import select
import subprocess
import sys
import time

import numpy as np

from .plain import Opaque, from_plain, to_plain

__all__ = ["judge", "judge_rng", "NotAnswered", "StudentError", "JudgeTimeout", "Opaque",
           "LocalStudent", "RemoteStudent", "Verdict", "run_spec"]

judge_rng = np.random.default_rng()
_MAX_REPLY = 64 * 2**20


class NotAnswered(AssertionError):
    """The exercise is blank (its answer is None, or it raises NotImplementedError)."""


class StudentError(Exception):
    """A student's function raised an exception that is not a built-in one."""

    def __init__(self, type_name, message):
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name


class JudgeTimeout(AssertionError):
    """The student's code did not answer in time, or its process died."""


def _reraise(raised, what):
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
        """Call the student's function ``name`` on plain-data arguments."""
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
            _reraise(reply["raised"], request.get("name", "the answer"))
        return from_plain(reply["ok"])


def judge(spec):
    """Run ``spec(student)`` on this kernel's own answers (see the module docstring).

    When grading, the grader gives the spec's cell another ``judge`` that records the spec
    instead; this one only lets a source notebook check its solutions as it runs.
    """
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    namespace = shell.user_ns if shell is not None else vars(sys.modules["__main__"])
    spec(LocalStudent(namespace))
    return spec


class RemoteStudent(_Student):
    """The answers in a fresh, sandboxed :mod:`.probe` process.

    Parameters
    ----------
    setup : list of str
        The source notebook's setup cells (trusted).
    taught : list of str
        Dotted names of course_lib functions to switch off, e.g. ``course_lib.losses.softmax``.
    answers : list of str
        The student's answer cells, in notebook order.
    timeout : float
        Seconds allowed for each answer cell and for each request.
    """

    def __init__(self, setup, taught, answers, timeout):
        self.setup, self.taught, self.answers = list(setup), list(taught), list(answers)
        self.timeout = float(timeout)
        self.skip = set()
        self.problems = []  # what a person should look at: (answer cell, reason)
        self.errors = []  # answer cells that raised
        self.proc = None

    # --- the process ----------------------------------------------------------------
    def _spawn(self):
        from .sandbox import Sandbox, sandbox_enabled

        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        os.set_inheritable(req_r, True)
        os.set_inheritable(rep_w, True)
        cmd = [sys.executable, "-I", "-m", "course_lib.grading.probe", str(req_r), str(rep_w)]
        self.sandbox = Sandbox() if sandbox_enabled() else None
        argv = self.sandbox.argv(cmd) if self.sandbox else cmd
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, pass_fds=(req_r, rep_w),
                                     start_new_session=True)
        os.close(req_r)
        os.close(rep_w)
        self._w = os.fdopen(req_w, "w", encoding="utf-8")
        self._r, self._buf = rep_r, b""

    def close(self):
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                pass
            self.proc.wait()
            for f in (self._w,):
                try:
                    f.close()
                except OSError:
                    pass
            os.close(self._r)
            self.proc = None
            if self.sandbox is not None:
                self.sandbox.close()

    def _send(self, message):
        self._w.write(json.dumps(message) + "\n")
        self._w.flush()

    def _receive(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise JudgeTimeout(f"no answer within {timeout:g} s")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise JudgeTimeout("the process of your answers exited")
            self._buf += chunk
            if len(self._buf) > _MAX_REPLY:
                raise JudgeTimeout("your answer is larger than 64 MB")
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def _start(self):
        """Start the probe; an answer cell that hangs or kills it is skipped and reported."""
        while True:
            self._spawn()
            self._send({"setup": self.setup, "taught": self.taught, "answers": self.answers,
                        "skip": sorted(self.skip)})
            current = None
            try:
                while True:
                    message = self._receive(self.timeout + 30 if current is None
                                            else self.timeout)
                    if "ready" in message:
                        self.errors = message.get("errors", [])
                        return
                    current = int(message["cell"])
            except (JudgeTimeout, ValueError) as err:
                self.close()
                if current is None or current in self.skip:
                    raise JudgeTimeout(f"the judge could not start: {err}") from None
                self.skip.add(current)
                self.problems.append((current, f"answer cell {current + 1}: {err}; skipped"))

    def _ask(self, request):
        if self.proc is None:
            self._start()
        try:
            self._send(request)
            reply = self._receive(self.timeout)
        except (JudgeTimeout, OSError, ValueError) as err:
            self.close()  # the next request starts a fresh process
            raise JudgeTimeout(f"your code gave no answer: {err}") from None
        if "raised" in reply:
            _reraise(reply["raised"], request.get("name", "your answer"))
        return from_plain(reply["ok"])


class Verdict:
    """A grade cell's verdict: passed, and the message for the student."""

    def __init__(self, passed, message):
        self.passed, self.message = bool(passed), str(message)

    def __repr__(self):
        return f"Verdict({self.passed}, {self.message!r})"


def run_spec(spec_source, namespace, student):
    """Run one grade cell's hidden region (a :func:`judge` spec) against ``student``."""
    specs = []
    ns = dict(namespace)
    ns["judge"] = lambda fn: specs.append(fn) or fn
    ns["judge_rng"] = np.random.default_rng()
    try:
        exec(compile(spec_source, "<judge spec>", "exec"), ns)  # noqa: S102 (the instructor's)
    except Exception as err:
        return Verdict(False, f"This test's judge specification is broken ({type(err).__name__})"
                              ": ask your instructor.")
    if not specs:
        return Verdict(False, "This test has no judge specification: ask your instructor.")
    try:
        for spec in specs:
            spec(student)
    except NotAnswered as err:
        return Verdict(False, f"Not answered yet: {err}")
    except JudgeTimeout as err:
        return Verdict(False, f"Stopped: {err}.")
    except AssertionError as err:
        return Verdict(False, str(err) or "A check of this exercise failed.")
    except StudentError as err:
        return Verdict(False, f"Your code raised {err}")
    except Exception as err:  # the spec met an answer of the wrong kind
        return Verdict(False, f"Your answer could not be checked ({type(err).__name__}: "
                              f"{str(err)[:300]}).")
    return Verdict(True, "Passed.")


SETUP_TAG = "judge-setup"


def _code(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def setup_cells(source_nb):
    """The source notebook's setup cells: the first code cell and those tagged judge-setup."""
    codes = [c for c in source_nb["cells"] if c.get("cell_type") == "code"]
    return [_code(c) for i, c in enumerate(codes)
            if i == 0 or SETUP_TAG in c.get("metadata", {}).get("tags", [])]


def hidden_specs(source_nb):
    """``{grade_id: hidden region}`` of the source notebook's autograded code cells."""
    from .feedback import BEGIN_HIDDEN, END_HIDDEN, split_regions

    specs = {}
    for cell in source_nb["cells"]:
        meta = _meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            regions = split_regions(_code(cell), BEGIN_HIDDEN, END_HIDDEN)[1]
            specs[meta["grade_id"]] = "\n".join("\n".join(r) for r in regions)
    return specs


def answer_cells(submission_nb):
    """The student's code answer cells (nbgrader solution cells), in notebook order."""
    return [_code(c) for c in submission_nb["cells"]
            if c.get("cell_type") == "code" and _meta(c).get("solution")]


def judge_notebook(source_nb, submission_nb, timeout=60):
    """Judge every autograded cell of a submission against the source notebook's specs.

    Returns
    -------
    verdicts : dict
        ``{grade_id: Verdict}`` for every autograded code cell of the source notebook.
    problems : list of str
        What a person should look at (an answer cell that hung or killed its process).
    """
    settings = source_nb.get("metadata", {}).get("course", {})
    setup = setup_cells(source_nb)
    namespace = {"__name__": "__judge__"}
    os.environ.setdefault("MPLBACKEND", "Agg")
    with contextlib.redirect_stdout(io.StringIO()):  # what setup prints is not the log's
        for source in setup:  # the instructor's imports and constants, in the grader
            exec(compile(source, "<setup>", "exec"), namespace)  # noqa: S102
    if "matplotlib.pyplot" in sys.modules:  # a setup cell's figure, once per submission
        sys.modules["matplotlib.pyplot"].close("all")
    student = RemoteStudent(setup, settings.get("taught", []), answer_cells(submission_nb),
                            timeout)
    try:
        verdicts = {gid: run_spec(spec, namespace, student)
                    for gid, spec in hidden_specs(source_nb).items()}
    finally:
        student.close()
    return verdicts, [reason for _cell, reason in student.problems]
