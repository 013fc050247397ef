"""``python -m course_lib.grading grade [ASSIGNMENT ...]``: grade every submission (make grade)."""

import sys

from .batch import main

if len(sys.argv) < 2 or sys.argv[1] != "grade":
    print("usage: python -m course_lib.grading grade [ASSIGNMENT ...]", file=sys.stderr)
    sys.exit(2)
sys.exit(main(sys.argv[2:]))
