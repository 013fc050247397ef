"""Grading at class scale: `make grade` with one worker and with two, in the same run.

A temporary course gets 20 synthetic submissions of each of assignments 01-06: 5 solutions,
5 blank releases, 5 with the `# WRONG:` answers and 5 hostile ones (NumPy and `zip` patched,
the instructor's notebooks looked for, a megabyte printed). The same class is graded with
JOBS=1 and JOBS=2; the benchmark prints seconds per submission per assignment, the speed-up
(target: at least 1.7x on 2 cores) and the projected time for 300 students x 7 assignments on
16 cores. Run with ``python -m benchmarks grading`` (about 15 minutes on 2 cores).
"""

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = [f"0{i}" for i in range(1, 7)]
PER_KIND = int(os.environ.get("BENCH_GRADING_PER_KIND", "5"))
HOSTILE = ("import builtins, numpy as np, glob\n"
           "np.allclose = np.array_equal = lambda *a, **k: True\n"
           "builtins.zip = lambda *a, **k: iter([])\n"
           "print(glob.glob('/home/**/*.ipynb', recursive=True), glob.glob('/*/*'))\n"
           "print('x' * 1_000_000)\n")


def _env():
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
                COURSE_QUICK="1")


def _make_class(root):
    # the synthetic class is the tests' (tests/integration/course_demo.py): one builder for both
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from course_demo import hand_in, make_course, submission

    folders = [p.name for p in sorted((ROOT / "notebooks").iterdir())
               if p.name[:2] in ASSIGNMENTS]
    make_course(root, ROOT, folders)
    for folder in folders:
        hostile = submission(root, folder, "blank")
        first = next(c for c in hostile["cells"] if c["metadata"].get("nbgrader", {})
                     .get("solution") and c["cell_type"] == "code")
        first["source"] = HOSTILE
        for kind in ("solution", "blank", "wrong", "hostile"):
            nb = hostile if kind == "hostile" else submission(root, folder, kind)
            for i in range(PER_KIND):
                hand_in(root, f"{kind}{i}", folder, nb)
    return folders


def _grade(root, jobs):
    from course_grader.batch.grade import grade_all

    for name in ("autograded", "feedback", "grades.csv"):
        path = root / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    start = time.perf_counter()
    subs = grade_all(root, jobs=jobs, out=io.StringIO())
    return time.perf_counter() - start, subs


def main():
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.pop(var, None)  # make grade chooses per worker, as it does for instructors
    os.environ["COURSE_QUICK"] = "1"
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        root = Path(tmp)
        folders = _make_class(root)
        n = len(folders) * 4 * PER_KIND
        wall1, subs1 = _grade(root, 1)
        wall2, subs2 = _grade(root, 2)
    same = {(s.student, s.assignment): s.score for s in subs1} == \
        {(s.student, s.assignment): s.score for s in subs2}
    print(f"\nGrading {n} submissions ({PER_KIND} solution, blank, wrong, hostile per "
          f"assignment), COURSE_QUICK=1, sandbox and judge on")
    print(f"{'assignment':<26}{'s/submission (JOBS=1)':>24}")
    per = {}
    for folder in folders:
        per[folder] = statistics.fmean(s.seconds for s in subs1 if s.assignment == folder)
        print(f"{folder:<26}{per[folder]:>24.2f}")
    speedup = wall1 / wall2
    print(f"wall time JOBS=1 {wall1:.0f} s, JOBS=2 {wall2:.0f} s: speed-up {speedup:.2f}x "
          f"(target >= 1.7){'' if speedup >= 1.7 else '  BELOW TARGET'}; "
          f"same scores: {same}")
    per_student = sum(per.values()) + statistics.fmean(per.values())  # 07 taken as the mean
    efficiency = speedup / 2
    hours = 300 * per_student / (16 * efficiency) / 3600
    print(f"projected: 300 students x 7 assignments on 16 cores = {hours:.1f} h "
          f"({per_student:.0f} s of grading per student, parallel efficiency "
          f"{efficiency:.2f} as measured on 2 cores; 07 counted at the mean of 01-06)")
