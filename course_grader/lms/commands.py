"""The instructor's commands ``export`` (``make export ROSTER=...``) and ``report``
(``make report``), run in the course folder (or ``COURSE_ROOT``).

    python -m course_grader export [--roster FILE] [--id-column COL] [--canvas-id A=ID ...]
        [--assignment A ...] [--missing-zero] [--moodle-id idnumber|username|email]
        [--out exports] [--push | --dry-run --course ID [--canvas-url URL]]
    python -m course_grader report [--assignment A ...] [--out reports]
"""

import argparse
import os
import sys
from pathlib import Path

from .canvas import canvas_export, write_canvas_csv
from .moodle import IDENTIFIERS, moodle_table, write_moodle_csv
from .push import URL_ENV, canvas_token, push_grades
from .report import build_report
from .roster import read_roster
from .scores import read_scores

__all__ = ["export_main", "report_main"]


def _root():
    return Path(os.environ.get("COURSE_ROOT", os.getcwd()))


def _canvas_ids(pairs):
    ids = {}
    for pair in pairs:
        name, sep, cid = pair.rpartition("=")
        if not sep or not name:
            raise ValueError(f"export: --canvas-id takes ASSIGNMENT=ID, not {pair!r}.")
        ids[name] = cid
    return ids


def _parser():
    p = argparse.ArgumentParser(prog="python -m course_grader export",
                                description="Write exports/canvas.csv and exports/moodle.csv "
                                            "from the gradebook; optionally push to Canvas.")
    p.add_argument("--roster", help="Canvas's gradebook export (Grades -> Export): needed for "
                                    "canvas.csv and the push")
    p.add_argument("--id-column", default="SIS Login ID",
                   help="the roster column that holds nbgrader's student ids")
    p.add_argument("--canvas-id", action="append", default=[], metavar="ASSIGNMENT=ID",
                   help="a Canvas assignment id (over the roster header's)")
    p.add_argument("--assignment", action="append", help="only these assignments")
    p.add_argument("--missing-zero", action="store_true",
                   help="0 instead of a blank for a missing submission")
    p.add_argument("--moodle-id", default="idnumber", choices=sorted(IDENTIFIERS),
                   help="what Moodle matches students by")
    p.add_argument("--out", default="exports", help="folder for the CSV files")
    push = p.add_mutually_exclusive_group()
    push.add_argument("--push", action="store_true", help="send changed grades to Canvas")
    push.add_argument("--dry-run", action="store_true", help="print what a push would change")
    p.add_argument("--course", help="the Canvas course id (for --push / --dry-run)")
    p.add_argument("--canvas-url", default=os.environ.get(URL_ENV),
                   help=f"the Canvas instance (default ${URL_ENV}); token in $CANVAS_TOKEN")
    return p


def _export(args, root, out):
    scores = read_scores(f"sqlite:///{root / 'gradebook.db'}")
    folder = root / args.out
    folder.mkdir(parents=True, exist_ok=True)
    table = moodle_table(scores, args.assignment, args.moodle_id, args.missing_zero)
    write_moodle_csv(folder / "moodle.csv", table)
    print(f"wrote {folder / 'moodle.csv'}: {len(table) - 1} students", file=out)
    if not args.roster:
        print("canvas.csv not written: give the roster Canvas exports (ROSTER=... or --roster)",
              file=out)
        return 0
    export = canvas_export(scores, read_roster(args.roster, args.id_column), args.assignment,
                           _canvas_ids(args.canvas_id), args.missing_zero)
    write_canvas_csv(folder / "canvas.csv", export)
    print(f"wrote {folder / 'canvas.csv'}: {len(export.rows) - 1} roster students", file=out)
    for line in export.unmatched_lines():
        print(f"  {line}", file=out)
    if args.push or args.dry_run:
        if not (args.course and args.canvas_url):
            raise ValueError(f"export: a push needs --course and --canvas-url (or ${URL_ENV}).")
        push_grades(export, args.canvas_url, args.course, canvas_token(),
                    dry_run=not args.push, out=out)
    return 0


def export_main(argv, out=None):
    """``python -m course_grader export ...``: 0 when written, 2 on a refusal (printed)."""
    out = sys.stdout if out is None else out
    args = _parser().parse_args(argv)
    try:
        return _export(args, _root(), out)
    except (ValueError, OSError) as err:
        print(f"make export: {err}", file=sys.stderr)
        return 2


def report_main(argv, out=None):
    """``python -m course_grader report [--assignment A ...] [--out reports]``."""
    out = sys.stdout if out is None else out
    p = argparse.ArgumentParser(prog="python -m course_grader report",
                                description="Write reports/item_analysis.csv, variants.csv "
                                            "and index.html from the gradebook.")
    p.add_argument("--assignment", action="append", help="only these assignments")
    p.add_argument("--out", default="reports", help="folder for the report")
    args = p.parse_args(argv)
    root = _root()
    try:
        items, problems = build_report(root, args.out, args.assignment)
    except (ValueError, OSError) as err:
        print(f"make report: {err}", file=sys.stderr)
        return 2
    flagged = [i for i in items if i.flags]
    print(f"wrote {root / args.out / 'index.html'}: {len(items)} items, {len(flagged)} flagged",
          file=out)
    for item in flagged:
        top = item.top_hints(1)
        hint = f"; most frequent hint ({top[0][1]}x): {top[0][0]}" if top else ""
        print(f"  {item.assignment}/{item.grade_id}: {'; '.join(item.flags)}{hint}", file=out)
    if problems:
        print(f"  {len(problems)} notebook(s) without verdicts, e.g. {problems[0]}", file=out)
    return 0
