"""The price of safety, for ``bench_grading``: plain nbgrader on a copy of the course, and how
many times ``make grade`` executes a submission's code.

Plain nbgrader is nbgrader 0.9 with its own preprocessors (:data:`PLAIN_CONFIG`): no sandbox,
no judge, the hidden tests (the judge's specs) run in the student's kernel, against its own
names. It gets a copy of the course made before ``make grade`` runs, so neither gradebook
sees the other's results. Not a ``bench_*`` module: ``python -m benchmarks`` does not run it
on its own.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["PLAIN_CONFIG", "THREAD_VARS", "WHERE", "plain_copy", "run_plain", "plain_scores",
           "executions", "print_executions"]

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PLAIN_CONFIG = '''"""Plain nbgrader on a copy of the course: nbgrader's own preprocessors."""
import os

c = get_config()  # noqa: F821
ROOT = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "nn-course"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")
c.Exchange.root = os.path.join(ROOT, "exchange")
c.Execute.timeout = 600
'''
WHERE = ("course_grader/execute.py:SandboxedExecute.preprocess (nbgrader's Execute, run by "
         "nbgrader's Autograde from course_grader/batch/unit.py:grade_unit) runs every code "
         "cell in a sandboxed kernel, for the outputs; then "
         "course_grader/execute.py:JudgeGradeCells.preprocess -> "
         "course_grader/judge/notebook.py:judge_notebook -> "
         "course_grader/judge/remote.py:RemoteStudent._start/_spawn starts "
         "course_grader/judge/probe.py:main in a second sandbox, which runs the setup and "
         "answer cells again for the judge (once more if an answer cell hangs or kills it, "
         "or after a request that timed out)")


def plain_copy(root, dest):
    """Copy the freshly released course ``root`` to ``dest`` for plain nbgrader.

    Parameters
    ----------
    root : pathlib.Path
        The course, released and handed in, not graded yet.
    dest : pathlib.Path
        The copy: notebooks, release, submitted and the gradebook, with :data:`PLAIN_CONFIG`.
    """
    for name in ("notebooks", "release", "submitted"):
        shutil.copytree(root / name, dest / name)
    shutil.copy(root / "gradebook.db", dest / "gradebook.db")
    (dest / "nbgrader_config.py").write_text(PLAIN_CONFIG)


def run_plain(dest, command, folder):
    """Run ``nbgrader COMMAND FOLDER --force`` in the plain copy ``dest``; its wall time.

    The venv's bin is first on PATH, COURSE_QUICK=1, and the kernel gets as many BLAS threads
    as ``make grade`` gives its kernels with JOBS=1 (the number of cores).

    Returns
    -------
    float
        Seconds. A non-zero exit is printed (with the log's end), not raised.
    """
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", COURSE_QUICK="1",
               **dict.fromkeys(THREAD_VARS, str(os.cpu_count() or 1)))
    start = time.perf_counter()
    proc = subprocess.run([str(bin_dir / "nbgrader"), command, folder, "--force"], cwd=dest,
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"plain nbgrader {command} {folder} exited with {proc.returncode}:\n"
              f"{(proc.stdout + proc.stderr)[-1500:]}", flush=True)
    return seconds


def plain_scores(dest, folders):
    """``({(student, folder): score}, {folder: max score})`` from the plain copy's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{dest / 'gradebook.db'}") as gb:
        maxima = {f: gb.find_assignment(f).max_score for f in folders}
        scores = {(s.student.id, s.assignment.name): s.score
                  for f in folders for s in gb.assignment_submissions(f)}
    return scores, maxima


def _counted_unit(payload):
    """grade_unit, counting the kernels nbgrader's Execute runs and the judge probes started."""
    from course_grader.batch.unit import grade_unit
    from course_grader.execute import SandboxedExecute
    from course_grader.judge.remote import RemoteStudent

    counts = {"kernel": 0, "probe": 0}

    def count(cls, name, key):
        original = getattr(cls, name)

        def wrapper(self, *args, **kwargs):
            counts[key] += 1
            return original(self, *args, **kwargs)

        setattr(cls, name, wrapper)  # in a worker process thrown away afterwards

    count(SandboxedExecute, "preprocess", "kernel")
    count(RemoteStudent, "_spawn", "probe")
    return counts, grade_unit(payload)["ok"]


def executions(root, folder, students):
    """How many times make grade's unit executes each of ``students``' code of ``folder``.

    Each submission is graded once more, as make grade's workers do (a spawned process, the
    unit of :mod:`course_grader.batch.unit`), with counters on nbgrader's Execute
    (``SandboxedExecute.preprocess``) and on the judge's probe (``RemoteStudent._spawn``).

    Returns
    -------
    counts : dict
        ``{student: (Execute runs, probe runs, graded)}``.
    cells : tuple of int
        The source notebook's code cells, setup cells and answer cells.
    """
    import concurrent.futures as cf
    import multiprocessing

    from course_grader.batch.unit import make_payload, make_template
    from course_grader.judge.notebook import answer_cells, setup_cells

    (root / "build").mkdir(exist_ok=True)
    template = make_template(root, root / "build" / "count-template.db")
    payloads = [make_payload(root, s, folder, root / "submitted" / s / folder, template)
                for s in students]
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_counted_unit, payloads))
    nb = json.loads((root / "notebooks" / folder / f"{folder}.ipynb").read_text())
    cells = (sum(c["cell_type"] == "code" for c in nb["cells"]), len(setup_cells(nb)),
             len(answer_cells(nb)))
    counts = {s: (c["kernel"], c["probe"], ok) for s, (c, ok) in zip(students, results,
                                                                         strict=True)}
    return counts, cells


def print_executions(folder, counts, cells):
    """Print :func:`executions`' counts and where in course_grader each execution happens."""
    code, setup, answers = cells
    print(f"\nExecutions of a submission's code by make grade ({folder}, one submission of "
          f"each kind; its notebook has {code} code cells, {setup} setup and {answers} "
          "answer cells):")
    for student, (kernel, probe, ok) in counts.items():
        print(f"  {student}: nbgrader's Execute {kernel}x (every code cell), the judge's probe "
              f"{probe}x (setup + answer cells); graded: {ok}")
    print(f"  where: {WHERE}.")
