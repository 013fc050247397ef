"""``python -m course_lib.grading grade [ASSIGNMENT ...]``: grade every submission (make grade);
``python -m course_lib.grading variant STUDENT ASSIGNMENT``: show a student's numbers."""

import sys

if len(sys.argv) >= 2 and sys.argv[1] == "grade":
    from .batch import main

    sys.exit(main(sys.argv[2:]))
if len(sys.argv) >= 2 and sys.argv[1] == "variant":
    from .variants import main

    sys.exit(main(sys.argv[2:]))
print("usage: python -m course_lib.grading grade [ASSIGNMENT ...]\n"
      "       python -m course_lib.grading variant STUDENT ASSIGNMENT", file=sys.stderr)
sys.exit(2)
