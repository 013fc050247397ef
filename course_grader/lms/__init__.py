"""Grades that reach the LMS, and the item analysis: ``make export`` and ``make report``.

- :mod:`.scores`: the gradebook's assignments, students and points, read once as plain data;
- :mod:`.roster`: Canvas's gradebook export as the class list, matched to nbgrader's ids;
- :mod:`.canvas`: ``exports/canvas.csv`` in Canvas's gradebook import format;
- :mod:`.moodle`: ``exports/moodle.csv`` for Moodle's grade import;
- :mod:`.push`: the optional push to Canvas's REST API (``canvasapi``), with a dry run;
- :mod:`.verdicts`: the judge's verdicts read back from the autograded notebooks, and the
  hint of each, numbers taken out;
- :mod:`.items`: per graded cell: rates, discrimination, point-biserial, hints, flags;
- :mod:`.by_variant`: per-variant breakdowns of the exercises with variants;
- :mod:`.figures`, :mod:`.report`: the figures (with text alternatives) and
  ``reports/index.html`` with the CSVs;
- :mod:`.synthetic`: a synthetic graded class (the benchmark's 300 x 7);
- :mod:`.commands`: ``python -m course_grader export | report``.
"""
