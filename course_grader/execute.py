"""nbgrader's Execute step, in the sandbox, with an output limit and the course's timeouts.

Registered in ``nbgrader_config.py`` (``c.Autograde.autograde_preprocessors``), so ``make
grade`` and the formgrader's Autograde button both use it:

- :class:`SandboxedKernelManager` starts every kernel in a :class:`~.sandbox.Sandbox` whose
  scratch folder is a copy of the submission's folder; the notebook's kernelspec is ignored
  (a submission cannot choose what runs); the kernel's ``COURSE_STUDENT`` is nbgrader's
  student id, from the preprocessor's resources, so the variants draw that student's numbers;
- :class:`SandboxedExecute` caps each cell's output (``COURSE_OUTPUT_LIMIT_KB``, default
  1024) with a visible note, and takes the per-cell timeout from the *source* notebook's
  ``metadata.course.cell_timeout`` (what the instructor set, not what the submission says);
- :class:`StripHiddenTests` removes the hidden regions from the grade cells before the kernel
  sees them: hidden tests are judge specifications, run by the grader (:mod:`.judge`).
"""

import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer

from .cells import BEGIN_HIDDEN, END_HIDDEN, HIDDEN_NOTE, is_grade_cell, replace_regions
from .course import (
    FLAG,
    cell_timeout,
    course_settings,
    source_notebook_path,
    submission_budget,
)
from .judge.notebook import judge_notebook
from .sandbox import Sandbox, sandbox_enabled

__all__ = ["SandboxedKernelManager", "SandboxedExecute", "StripHiddenTests", "JudgeGradeCells",
           "OUTPUT_NOTE", "BUDGET_NOTE", "DEADLINE"]

OUTPUT_NOTE = "\n[output cut here: this cell printed more than {kb} KB]\n"
BUDGET_NOTE = ("not run: this submission used its time budget of {budget} s "
               "(execution and judge together); a person will look at it")
DEADLINE = "course_deadline"  # resources key: time.monotonic() when the budget ends


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in a bubblewrap sandbox (IPC transport)."""

    def __init__(self, **kwargs):
        kwargs.pop("kernel_name", None)  # the submission's kernelspec never chooses
        super().__init__(kernel_name="python3", **kwargs)
        self.sandbox = None
        self.student_id = None  # set by SandboxedExecute from nbgrader's resources

    async def _async_pre_start_kernel(self, **kw):
        if self.sandbox is None and sandbox_enabled():
            self.sandbox = Sandbox(source=kw.get("cwd"), student_id=self.student_id)
            self.transport = "ipc"
            self.ip = str(self.sandbox.runtime / "kernel")
            self.connection_file = str(self.sandbox.runtime / "kernel.json")
            kw["cwd"] = str(self.sandbox.work)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        """The kernel's command: this Python's ipykernel, wrapped in the sandbox if any."""
        cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file,
               *(extra_arguments or [])]
        if self.sandbox is None:
            return cmd
        return self.sandbox.argv(cmd)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        env = kw.get("env")
        if env is not None:
            env.pop("JPY_PARENT_PID", None)  # else ipykernel exits in the new PID namespace
            if self.sandbox is None and self.student_id is not None:  # COURSE_SANDBOX=off
                env["COURSE_STUDENT"] = str(self.student_id)
        if self.sandbox is not None:  # the kernel's own banner is not the grader's log
            kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_interrupt_kernel(self):
        # A signal would stop bwrap, and the sandbox with it: ask the kernel to interrupt itself
        if self.sandbox is None or not self.has_kernel:
            return await super()._async_interrupt_kernel()
        self._connect_control_socket()
        self.session.send(self._control_socket, self.session.msg("interrupt_request", content={}))

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self.sandbox is not None and not restart:
            self.sandbox.close()
            self.sandbox = None

    # AsyncKernelManager binds its public names to the base class's coroutines
    pre_start_kernel = _async_pre_start_kernel
    interrupt_kernel = _async_interrupt_kernel
    cleanup_resources = _async_cleanup_resources


class SandboxedExecute(Execute):
    """nbgrader's Execute in the sandbox, with a per-cell output limit."""

    output_limit_kb = Integer(int(os.environ.get("COURSE_OUTPUT_LIMIT_KB", "1024"))).tag(
        config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, **kwargs):
        """Execute ``nb`` in the sandbox; a kernel that dies marks its cell and flags the log."""
        self.kernel_name = "python3"
        try:
            settings = course_settings(source_notebook_path(self.config, resources))
        except (KeyError, OSError, ValueError):
            settings = {}
        self._budget = submission_budget(settings, self.timeout)
        self.timeout = cell_timeout(settings, self.timeout)
        self._deadline = resources[DEADLINE] = time.monotonic() + self._budget
        self.timeout_func = self._time_left
        self._over = False
        self._student = resources["nbgrader"]["student"]
        self._printed = {}
        try:
            return super().preprocess(nb, resources, **kwargs)
        except RuntimeError as err:  # the kernel died (os._exit, a crash): the judge still runs
            return self._mark_dead(nb, err), resources

    def _time_left(self, cell=None):
        """A cell's timeout: the cell timeout, or what is left of the budget if less."""
        return max(1, min(self.timeout, int(self._deadline - time.monotonic()) + 1))

    def preprocess_cell(self, cell, resources, index):
        """Run one cell, unless the submission's budget is spent: then a visible note."""
        if cell.cell_type == "code" and time.monotonic() >= self._deadline:
            if not self._over:
                self._over = True
                self.log.warning("%s used its time budget of %s s: the cells from cell %s "
                                 "on did not run", FLAG, self._budget, index + 1)
            note = BUDGET_NOTE.format(budget=self._budget)
            cell.outputs = [new_output("error", ename="TimeBudget", evalue=note,
                                       traceback=[f"TimeBudget: {note}"])]
            return cell, resources
        return super().preprocess_cell(cell, resources, index)

    def create_kernel_manager(self):
        """nbclient's kernel manager, told whose submission its kernel runs."""
        km = super().create_kernel_manager()
        km.student_id = self._student
        return km

    def _mark_dead(self, nb, err):
        code = [c for c in nb.cells if c.cell_type == "code"]
        ran = [i for i, c in enumerate(code) if c.get("execution_count") or c.get("outputs")]
        dead = code[min(ran[-1] + 1 if ran else 0, len(code) - 1)] if code else None
        if dead is not None:
            dead.outputs = [*dead.get("outputs", []), new_output(
                "error", ename="DeadKernelError", evalue="the kernel died while running this "
                "cell; the cells after it did not run",
                traceback=["DeadKernelError: the kernel died while running this cell"])]
        self.log.warning("%s the kernel died (%s): %s", FLAG, type(err).__name__, err)
        return nb

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's handler of one output message, until the cell's output reaches the limit;
        then one :data:`OUTPUT_NOTE`, and nothing after it."""
        limit = self.output_limit_kb * 1024
        used = self._printed.get(cell_index, 0)
        if used > limit:
            return None
        size = len(json.dumps(msg.get("content", {})))
        self._printed[cell_index] = used + size
        if used + size > limit:
            note = new_output("stream", name="stdout",
                              text=OUTPUT_NOTE.format(kb=self.output_limit_kb))
            outs.append(note)
            return note
        return super().output(outs, msg, display_id, cell_index)


class StripHiddenTests(NbGraderPreprocessor):
    """Replace the hidden regions of the grade cells by one comment, before execution."""

    def preprocess_cell(self, cell, resources, index):
        """A grade code cell gets :data:`~.feedback.HIDDEN_NOTE` instead of its hidden region."""
        if is_grade_cell(cell) and cell.cell_type == "code" and BEGIN_HIDDEN in cell.source:
            cell.source = replace_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN,
                                          lambda _lines, indent: [indent + HIDDEN_NOTE])
        return cell, resources


class JudgeGradeCells(NbGraderPreprocessor):
    """After Execute: the judge's verdict becomes each autograded cell's only output.

    nbgrader's SaveAutoGrades then gives full points to a cell without an error output and
    none to a cell with one, so the points are the judge's; the kernel's own output of a grade
    cell (which the student's code could forge) is discarded.
    """

    def preprocess(self, nb, resources):
        """Judge ``nb`` (:func:`~.specs.judge_notebook`) and write each verdict as the output."""

        with open(source_notebook_path(self.config, resources), encoding="utf-8") as f:
            source = json.load(f)
        timeout = cell_timeout(source.get("metadata", {}).get("course", {}),
                               self.config.Execute.get("timeout", 60))
        info = resources["nbgrader"]
        try:
            verdicts, problems = judge_notebook(source, nb, student_id=str(info["student"]),
                                                timeout=timeout,
                                                deadline=resources.get(DEADLINE))
        except Exception as err:  # the batch goes on; a person looks at this one
            verdicts, problems = {}, [f"the judge could not run: {type(err).__name__}: {err}"]
        for problem in problems:
            self.log.warning("%s student %s, %s/%s: %s", FLAG, info["student"],
                             info["assignment"], info["notebook"], problem)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            verdict = verdicts.get(meta.get("grade_id"))
            if verdict is not None and verdict.passed:
                cell.outputs = [new_output("stream", name="stdout", text="\u2714 Passed.\n")]
            else:
                message = verdict.message if verdict else "This cell could not be judged."
                cell.outputs = [new_output("error", ename="AssertionError", evalue=message,
                                           traceback=[f"AssertionError: {message}"])]
        return nb, resources
