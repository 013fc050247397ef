"""The student's answers in a fresh, sandboxed :mod:`.probe` process, asked by the grader."""

import json
import os
import select
import subprocess
import sys
import time

from ..sandbox import Sandbox, sandbox_enabled
from .api import JudgeTimeout, NotAnswered, Student, reraise
from .wire import from_plain

__all__ = ["RemoteStudent"]

_MAX_REPLY = 64 * 2**20


class RemoteStudent(Student):
    """The answers in a fresh, sandboxed :mod:`.probe` process.

    Parameters
    ----------
    setup : list of str
        The source notebook's setup cells (trusted).
    answers : list of str
        The student's answer cells, in notebook order.
    timeout : float
        Seconds allowed for each answer cell and for each request.
    switched_off : list of str, optional
        Dotted names of course_lib functions and classes that raise "write it yourself" in the
        sandbox's copy of course_lib (``course_lib.losses.softmax``).
    student_id : str, optional
        Whose variant the answers were written for (None: the default variant).
    """

    def __init__(self, setup, answers, timeout, switched_off=(), student_id=None):
        self.setup, self.answers = list(setup), list(answers)
        self.switched_off, self.student_id = list(switched_off), student_id
        self.timeout = float(timeout)
        self.skip = set()
        self.problems = []  # what a person should look at: (answer cell, reason)
        self.errors = []  # answer cells that raised
        self.proc = None

    # --- the process ----------------------------------------------------------------
    def _spawn(self):
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        os.set_inheritable(req_r, True)
        os.set_inheritable(rep_w, True)
        cmd = [sys.executable, "-I", "-m", "course_grader.judge.probe", str(req_r), str(rep_w)]
        if not sandbox_enabled():  # COURSE_SANDBOX=off, for debugging: nothing is switched off
            self.sandbox = None
        else:
            self.sandbox = Sandbox(switched_off=self.switched_off, probe=True)
        argv = self.sandbox.argv(cmd) if self.sandbox else cmd
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, pass_fds=(req_r, rep_w),
                                     start_new_session=True)
        os.close(req_r)
        os.close(rep_w)
        self._w = os.fdopen(req_w, "w", encoding="utf-8")
        self._r, self._buf = rep_r, b""

    def close(self):
        """Kill the probe process (if any) and remove its sandbox; the next request starts a
        fresh one."""
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
            self._send({"setup": self.setup, "answers": self.answers,
                        "skip": sorted(self.skip), "student": self.student_id})
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

    def value(self, name):
        """The student's variable ``name``; a blank one names the answer cells that raised."""
        try:
            return super().value(name)
        except NotAnswered as err:
            if not self.errors:
                raise
            raised = "; ".join(f"answer cell {e['cell'] + 1}: {e['error']}" for e in self.errors)
            raise NotAnswered(f"{err} Your answer cells raised: {raised}") from None

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
            reraise(reply["raised"], request.get("name", "your answer"))
        return from_plain(reply["ok"])
