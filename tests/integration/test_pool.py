"""`make grade` at class scale: a local pool and a real Dask cluster give the same grades, though
a worker dies in each.

One temporary course (01 and 03, a solution, a blank and a wrong submission of each) is graded
twice: with two local workers of which one dies in the middle, and on a Dask scheduler with
two workers started on 127.0.0.1 (one of them dies in the middle). Both runs must give the
same score to every submission (the solution full marks, the others 0), reach 100% on their
progress bar and print a summary that matches the gradebook. (A JOBS=1 run is the same code
with one worker; the round trip grades with JOBS=2 too.) Needs bubblewrap (the sandbox).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from course_demo import hand_in, submission

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("01_perceptron", "03_architectures_params")
pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap not installed: apt-get install bubblewrap")


def _env(**extra):
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
                COURSE_QUICK="1", **extra)


# The fault, injected from outside the grader: every Python process started with this folder on
# PYTHONPATH runs it at start-up (site imports sitecustomize) and, when COURSE_TEST_KILL_ONCE
# names a file that does not exist yet, wraps grade_unit so that the first worker to grade a
# unit creates the file and dies (SIGKILL) mid-batch. Workers get grade_unit by reference
# (pickle), so they unpickle the wrapper.
KILLER = """
import os
if os.environ.get("COURSE_TEST_KILL_ONCE"):
    import functools, signal
    from pathlib import Path
    from course_grader.batch import unit

    _grade_unit = unit.grade_unit

    @functools.wraps(_grade_unit)
    def grade_unit(payload):
        hook = Path(os.environ["COURSE_TEST_KILL_ONCE"])
        if not hook.exists():
            hook.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return _grade_unit(payload)

    unit.grade_unit = grade_unit
"""


@pytest.fixture(scope="module")
def killer(tmp_path_factory):
    """``_env`` arguments that make the first worker to grade a unit die; the hook file."""
    folder = tmp_path_factory.mktemp("killer")
    (folder / "sitecustomize.py").write_text(KILLER)
    hook = folder / "killed-once"
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path, "COURSE_TEST_KILL_ONCE": str(hook)}, hook


@pytest.fixture(scope="module")
def course(tmp_path_factory, copy_released_course):
    root = copy_released_course(tmp_path_factory.mktemp("parallel") / "course")
    for folder in FOLDERS:
        for student in ("solution", "blank", "wrong"):
            hand_in(root, student, folder, submission(root, folder, student))
    shutil.copy(root / "gradebook.db", root / "gradebook.released")  # before any grading
    return root


def _grade(course, *args, env=None, timeout=900):
    """Grade the class afresh; return (scores, stdout, stderr, seconds)."""
    for name in ("autograded", "feedback", "gradebook.db", "grades.csv", "build"):
        path = course / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    shutil.copy(course / "gradebook.released", course / "gradebook.db")  # as released
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course_grader", "grade", *args],
                          cwd=course, env=env or _env(), capture_output=True, text=True,
                          timeout=timeout)
    seconds = time.perf_counter() - start
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {(s.student.id, s.assignment.name): s.score
                  for a in FOLDERS for s in gb.assignment_submissions(a)}
    return scores, proc.stdout, proc.stderr, seconds


def _check_run(scores, out, err, label):
    assert len(scores) == 6, f"{label}: graded {sorted(scores)}\n{out}\n{err[-3000:]}"
    for (student, folder), score in scores.items():
        if student != "solution":
            assert score == 0, f"{label}: {student}/{folder} scored {score}"
        else:
            assert score > 0, f"{label}: the solution of {folder} scored {score}"
    assert "grading: 100%" in err and "6/6" in err, f"{label}: no 100% progress:\n{err[-2000:]}"
    for folder in FOLDERS:  # the summary table agrees with the gradebook
        row = re.search(rf"^{folder}\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
        assert row, f"{label}: no summary row for {folder}:\n{out}"
        mean = sum(v for (_, f), v in scores.items() if f == folder) / 3
        assert int(row.group(1)) == 3 and float(row.group(3)) == pytest.approx(mean, abs=0.01)


@pytest.fixture(scope="module")
def pooled(course, killer):
    """The class graded by two local workers, one of which dies at its first unit."""
    env, hook = killer
    scores, out, err, _ = _grade(course, "--jobs", "2", env=_env(**env))
    assert hook.exists(), "the fault was never injected"
    _check_run(scores, out, err, "JOBS=2 with a killed worker")
    return scores


def test_two_workers_grade_the_class_though_one_dies_mid_batch(pooled):
    assert sum(1 for score in pooled.values() if score > 0) == 2  # the two solutions


def _start(args, env, log):
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def test_dask_cluster_gives_the_same_grades(course, pooled, killer, tmp_path):
    dask = Path(sys.executable).parent / "dask"
    sched_file = tmp_path / "scheduler.json"
    hook = tmp_path / "killed-once"   # a hook of its own: one Dask worker dies too
    kill_env = {**killer[0], "COURSE_TEST_KILL_ONCE": str(hook)}
    log = open(tmp_path / "dask.log", "w")
    procs = [_start([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard", "--scheduler-file", str(sched_file)], _env(), log)]
    try:
        for _ in range(300):
            if sched_file.exists():
                break
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(2):  # the first worker dies at its first unit
            env = _env(**(kill_env if i == 0 else {}))
            procs.append(_start([str(dask), "worker", address, "--nthreads", "1",
                                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
                                env, log))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        scores, out, err, _ = _grade(course, env=_env(COURSE_DASK_SCHEDULER=address))
        _check_run(scores, out, err, "Dask")
        assert scores == pooled
        assert hook.exists() and procs[1].poll() is not None, "no worker died mid-batch"
    finally:
        for proc in procs:
            _stop(proc)
        log.close()


def test_an_unreachable_scheduler_fails_fast_and_writes_nothing(course):
    db = course / "gradebook.db"
    before = db.read_bytes() if db.exists() else None
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course_grader", "grade"], cwd=course,
                          env=_env(COURSE_DASK_SCHEDULER="tcp://127.0.0.1:9"),
                          capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - start < 10, "the error took 10 s or more"
    assert proc.returncode == 2 and "did not answer" in proc.stderr, proc.stderr
    assert (db.read_bytes() if db.exists() else None) == before
