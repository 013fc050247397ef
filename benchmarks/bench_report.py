"""``make report`` at class scale: 300 students x the course's 7 assignments, synthetic.

A temporary course gets a synthetic graded class (:mod:`course_grader.lms.synthetic`: the
course's real grade cells and source notebooks, abilities and difficulties drawn at random,
verdicts with hints on each student's numbers); the benchmark times building it (not part of
the report), then ``build_report`` (gradebook, 2,100 autograded notebooks, statistics,
variants, figures, page) and the Canvas and Moodle exports, three runs each, and prints the
medians. Target: the report in seconds. Run with ``python -m benchmarks report``.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = int(os.environ.get("BENCH_REPORT_STUDENTS", "300"))


def _roster(path, students):
    lines = ["Student,ID,SIS User ID,SIS Login ID,Section", "    Points Possible,,,,"]
    lines += [f'"L{s}, F{s}",{1000 + i},S{i},{s},A' for i, s in enumerate(students)]
    path.write_text("\n".join(lines) + "\n")
    return path


def main():
    from course_grader.lms.canvas import canvas_export, write_canvas_csv
    from course_grader.lms.moodle import moodle_table, write_moodle_csv
    from course_grader.lms.report import build_report
    from course_grader.lms.roster import read_roster
    from course_grader.lms.scores import read_scores
    from course_grader.lms.synthetic import make_class

    # a new gradebook runs nbgrader's `alembic` from PATH: this environment's
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    root = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's models warn about their session
            cells = make_class(root, ROOT, students=STUDENTS)
        built = time.perf_counter() - start
        n_items = sum(len(v) for v in cells.values())
        print(f"\nReport at class scale: {STUDENTS} students x {len(cells)} assignments, "
              f"{n_items} graded cells ({built:.1f} s to build the synthetic class)")
        roster = _roster(root / "roster.csv", [f"s{i:04d}" for i in range(STUDENTS)])
        report, export = [], []
        for _ in range(3):
            t = time.perf_counter()
            items, problems = build_report(root, "reports")
            report.append(time.perf_counter() - t)
            t = time.perf_counter()
            scores = read_scores(f"sqlite:///{root / 'gradebook.db'}")
            write_canvas_csv(root / "canvas.csv", canvas_export(scores, read_roster(roster)))
            write_moodle_csv(root / "moodle.csv", moodle_table(scores))
            export.append(time.perf_counter() - t)
        flagged = sum(bool(i.flags) for i in items)
        print(f"  make report: median {statistics.median(report):.2f} s "
              f"(runs {', '.join(f'{s:.2f}' for s in report)}); {len(items)} items, "
              f"{flagged} flagged, {len(problems)} notebooks unreadable")
        print(f"  make export (Canvas + Moodle CSV): median {statistics.median(export):.2f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
