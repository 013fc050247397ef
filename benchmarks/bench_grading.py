"""Grading at class scale: `make grade` (JOBS=1, JOBS=2) against plain `nbgrader autograde`.

A temporary course gets 20 synthetic submissions of each selected assignment: 5 solutions,
5 blank releases, 5 with the `# WRONG:` answers and 5 hostile ones (NumPy and `zip` patched,
the instructor's notebooks looked for, a megabyte printed). Each assignment is graded, one
after the other as an instructor grades after each deadline, four ways on the same
submissions, COURSE_QUICK=1 for all:

- plain nbgrader: ``nbgrader autograde ASSIGNMENT --force`` (one process, sequential) in a
  copy of the course (its own gradebook) whose config is nbgrader's defaults: no sandbox, no
  judge, the hidden tests run in the student's kernel; then its ``generate_feedback``;
- ``make grade ASSIGNMENT`` with JOBS=1 and with JOBS=2 (sandbox and judge on; each unit
  autogrades and writes the feedback).

It prints seconds per submission per assignment, the price of safety (make grade JOBS=1 /
plain autograde; target at most 1.5x), the speed-up of JOBS=2 (target at least 1.7x on 2
cores), the mean scores each way per kind of submission, how many times make grade executes
a submission's code (measured on one submission of each kind of the first assignment), and
the projected time for 300 students x 7 assignments on 16 cores.

    python -m benchmarks grading [--json PATH]   # 01-06: about 25 min on 2 cores (estimated)
    BENCH_GRADING_PER_KIND=1 BENCH_GRADING_ASSIGNMENTS=01 python -m benchmarks grading

``BENCH_GRADING_ASSIGNMENTS``: numbers or ranges, ``01,07`` or ``01-03`` (default ``01-06``:
07 trains MNIST models, so it is graded only when named).
"""

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._grading_price import (
    THREAD_VARS,
    executions,
    plain_copy,
    plain_scores,
    print_executions,
    run_plain,
)
from benchmarks._results import write_json

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ASSIGNMENTS = "01-06"
PER_KIND = int(os.environ.get("BENCH_GRADING_PER_KIND", "5"))
KINDS = ("solution", "blank", "wrong", "hostile")
TARGET_PRICE, TARGET_SPEEDUP = 1.5, 1.7
HOSTILE = ("import builtins, numpy as np, glob\n"
           "np.allclose = np.array_equal = lambda *a, **k: True\n"
           "builtins.zip = lambda *a, **k: iter([])\n"
           "print(glob.glob('/home/**/*.ipynb', recursive=True), glob.glob('/*/*'))\n"
           "print('x' * 1_000_000)\n")


def selected_assignments(spec, available):
    """The assignment folders that ``BENCH_GRADING_ASSIGNMENTS`` names.

    Parameters
    ----------
    spec : str
        Comma-separated numbers or ranges: ``"01,07"``, ``"01-03"``, ``"2"``, ``"01_perceptron"``.
    available : list of str
        The course's assignment folders (``NN_name``).

    Returns
    -------
    list of str
        The folders named, in the order of ``available``.

    Raises
    ------
    ValueError
        If an item is not a number or range, or names no folder.

    Examples
    --------
    >>> selected_assignments("01,07", ["01_a", "02_b", "07_c"])
    ['01_a', '07_c']
    >>> selected_assignments("1-2", ["01_a", "02_b", "07_c"])
    ['01_a', '02_b']
    """
    wanted = set()
    for item in (i.strip() for i in spec.split(",")):
        first, dash, last = item.split("_")[0].partition("-")
        if not first.isdigit() or not (last.isdigit() or not dash):
            raise ValueError(f"BENCH_GRADING_ASSIGNMENTS={spec!r}: {item!r} is not a number "
                             "or a range (01,07 or 01-03).")
        wanted.update(range(int(first), int(last or first) + 1))
    numbered = {int(f[:2]): f for f in available if f[:2].isdigit()}
    if not wanted <= numbered.keys():
        raise ValueError(f"BENCH_GRADING_ASSIGNMENTS={spec!r}: no assignment "
                         f"{sorted(wanted - numbered.keys())}; available: {available}.")
    return [f for f in available if f[:2].isdigit() and int(f[:2]) in wanted]


@dataclass
class Measured:
    """One assignment's times (seconds, wall clock of the whole command) and scores."""

    folder: str
    n: int
    ours1: float
    ours2: float
    unit: float
    plain: float
    plain_feedback: float
    same_scores: bool
    scores: dict

    @property
    def price(self):
        """make grade JOBS=1 / plain nbgrader autograde."""
        return self.ours1 / self.plain

    @property
    def price_with_feedback(self):
        """make grade JOBS=1 / plain nbgrader autograde and generate_feedback."""
        return self.ours1 / (self.plain + self.plain_feedback)


def json_cases(rows):
    """The benchmark's cases as plain data, per submission (a ratio's key holds 'ratio').

    Parameters
    ----------
    rows : list of Measured

    Returns
    -------
    list of dict
        Per assignment: make grade JOBS=1 and JOBS=2, plain autograde (seconds per
        submission) and the ratio ours / plain; then the ratio and speed-up over all.
    """
    cases = []
    for r in rows:
        cases += [
            {"case": f"{r.folder}, make grade JOBS=1", "seconds_per_submission": r.ours1 / r.n},
            {"case": f"{r.folder}, make grade JOBS=2", "seconds_per_submission": r.ours2 / r.n},
            {"case": f"{r.folder}, plain nbgrader autograde",
             "seconds_per_submission": r.plain / r.n},
            {"case": f"{r.folder}, ours / plain nbgrader", "ratio": r.price,
             "target_ratio": TARGET_PRICE, "ratio_with_plain_feedback": r.price_with_feedback}]
    total = {k: sum(getattr(r, k) for r in rows) for k in ("ours1", "ours2", "plain")}
    cases += [{"case": "all, ours / plain nbgrader", "ratio": total["ours1"] / total["plain"],
               "target_ratio": TARGET_PRICE},
              {"case": "all, make grade JOBS=1 / JOBS=2 (speed-up)",
               "speedup_ratio": total["ours1"] / total["ours2"], "target_ratio": TARGET_SPEEDUP}]
    return cases


def _make_class(root, folders):
    # the synthetic class is the tests' (tests/integration/course_demo.py): one builder for both
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from course_demo import hand_in, make_course, submission

    make_course(root, ROOT, folders)
    for folder in folders:
        hostile = submission(root, folder, "blank")
        first = next(c for c in hostile["cells"] if c["metadata"].get("nbgrader", {})
                     .get("solution") and c["cell_type"] == "code")
        first["source"] = HOSTILE
        for kind in KINDS:
            nb = hostile if kind == "hostile" else submission(root, folder, kind)
            for i in range(PER_KIND):
                hand_in(root, f"{kind}{i}", folder, nb)


def _grade(root, folder, jobs):
    """``make grade FOLDER`` with ``jobs`` workers: (wall seconds, submissions)."""
    from course_grader.batch.grade import grade_all

    for var in THREAD_VARS:  # make grade chooses per worker, as it does for instructors
        os.environ.pop(var, None)
    for name in ("autograded", "feedback", "grades.csv"):
        path = root / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    start = time.perf_counter()
    subs = grade_all(root, assignments=[folder], jobs=jobs, out=io.StringIO())
    return time.perf_counter() - start, subs


def _measure(root, plain, folder):
    """Grade ``folder`` plain, then with make grade JOBS=1 and JOBS=2 (interleaved, so that
    the machine's other work weighs on each alike)."""
    plain_s = run_plain(plain, "autograde", folder)
    feedback_s = run_plain(plain, "generate_feedback", folder)
    ours1, subs1 = _grade(root, folder, 1)
    ours2, subs2 = _grade(root, folder, 2)
    scores1 = {s.student: s.score for s in subs1}
    print(f"  {folder}: plain {plain_s:.0f} s (+ feedback {feedback_s:.0f} s), make grade "
          f"JOBS=1 {ours1:.0f} s, JOBS=2 {ours2:.0f} s", flush=True)
    return Measured(folder, len(subs1), ours1, ours2,
                    statistics.fmean(s.seconds for s in subs1), plain_s, feedback_s,
                    scores1 == {s.student: s.score for s in subs2}, scores1)


def _print_table(rows):
    n = sum(r.n for r in rows)
    print(f"\nGrading {n} submissions ({PER_KIND} solution, blank, wrong, hostile per "
          "assignment), COURSE_QUICK=1; seconds per submission, wall clock of each command")
    print(f"{'assignment':<24}{'make grade J=1':>15}{'(its units)':>12}{'J=2':>7}"
          f"{'plain autograde':>16}{'+feedback':>10}{'ours/plain':>11}{'(+feedback)':>12}")
    for r in rows:
        print(f"{r.folder:<24}{r.ours1 / r.n:>15.2f}{r.unit:>12.2f}{r.ours2 / r.n:>7.2f}"
              f"{r.plain / r.n:>16.2f}{r.plain_feedback / r.n:>10.2f}{r.price:>11.2f}"
              f"{r.price_with_feedback:>12.2f}"
              f"{'' if r.price <= TARGET_PRICE else '  ABOVE TARGET'}")
    ours1, ours2 = sum(r.ours1 for r in rows), sum(r.ours2 for r in rows)
    price, speedup = ours1 / sum(r.plain for r in rows), ours1 / ours2
    print(f"price of safety over all: {price:.2f}x plain nbgrader autograde (target <= "
          f"{TARGET_PRICE}){'' if price <= TARGET_PRICE else '  ABOVE TARGET'}; "
          f"{ours1 / sum(r.plain + r.plain_feedback for r in rows):.2f}x its autograde and "
          "feedback (make grade's units write the feedback too)")
    print(f"wall time JOBS=1 {ours1:.0f} s, JOBS=2 {ours2:.0f} s: speed-up {speedup:.2f}x "
          f"(target >= {TARGET_SPEEDUP}){'' if speedup >= TARGET_SPEEDUP else '  BELOW TARGET'}"
          f"; same scores: {all(r.same_scores for r in rows)}")
    return speedup


def _print_scores(rows, plain):
    scores, maxima = plain
    print("mean score, % of the maximum (make grade | plain nbgrader):", end="")
    for kind in KINDS:
        pairs = [(r.scores.get(s) or 0, scores.get((s, r.folder)) or 0, maxima[r.folder])
                 for r in rows for s in r.scores if s.rstrip("0123456789") == kind]
        ours, theirs = (100 * statistics.fmean(p[i] / p[2] for p in pairs) for i in (0, 1))
        print(f"  {kind} {ours:.0f} | {theirs:.0f};", end="")
    print()


def _print_projection(rows, speedup):
    per = {r.folder: r.ours1 / r.n for r in rows}
    per_student = statistics.fmean(per.values()) * 7
    efficiency = speedup / 2
    hours = 300 * per_student / (16 * efficiency) / 3600
    print(f"projected: 300 students x 7 assignments on 16 cores = {hours:.1f} h "
          f"({per_student:.0f} s of grading per student, parallel efficiency "
          f"{efficiency:.2f} as measured on 2 cores; the 7 assignments counted at the mean "
          f"of {', '.join(per)})")


def main(json_path=None):
    """Build the class, grade it each way, print the tables; write ``json_path`` if given."""
    for var in THREAD_VARS:
        os.environ.pop(var, None)  # make grade chooses per worker, as it does for instructors
    os.environ["COURSE_QUICK"] = "1"
    available = sorted(p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir())
    folders = selected_assignments(
        os.environ.get("BENCH_GRADING_ASSIGNMENTS", DEFAULT_ASSIGNMENTS), available)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        root, plain = Path(tmp) / "course", Path(tmp) / "plain"
        _make_class(root, folders)
        plain_copy(root, plain)
        print(f"\nGrading {', '.join(folders)} four ways ({4 * PER_KIND} submissions each):",
              flush=True)
        rows = [_measure(root, plain, folder) for folder in folders]
        counts, cells = executions(root, folders[0], [f"{kind}0" for kind in KINDS])
        scores = plain_scores(plain, folders)
    speedup = _print_table(rows)
    _print_scores(rows, scores)
    _print_projection(rows, speedup)
    print_executions(folders[0], counts, cells)
    if json_path is not None:
        write_json(json_path, "grading", json_cases(rows), per_kind=PER_KIND,
                   assignments=folders)
    return rows
