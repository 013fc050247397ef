"""The instructor's command line.

    python -m course_grader grade [ASSIGNMENT ...] [--jobs N]   grade submitted/ (make grade)
    python -m course_grader publish DEST [--github OWNER/REPO]  the student repository
    python -m course_grader variant STUDENT ASSIGNMENT          a student's numbers and answers
    python -m course_grader export [--roster FILE] [...]        exports/canvas.csv, moodle.csv
    python -m course_grader report [--assignment A ...]         reports/index.html (item analysis)
"""

import sys

from .batch.grade import main as grade
from .lms.commands import export_main as export
from .lms.commands import report_main as report
from .publish import main as publish
from .variants import main as variant

COMMANDS = {"grade": grade, "publish": publish, "variant": variant, "export": export,
            "report": report}

if len(sys.argv) >= 2 and sys.argv[1] in COMMANDS:
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
print(__doc__.strip().replace("    python", "usage: python", 1), file=sys.stderr)
sys.exit(2)
