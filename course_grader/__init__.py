"""course_grader: the instructor's side of the course, never shipped to students.

It imports course_lib; course_lib never imports it (``tests/test_floors.py``).

- :mod:`.course`: where a course's notebooks are, what a source notebook sets (cell timeout,
  time budget, taught functions), size limits, student ids, and the ``course-flag:`` log
  lines that need a person;
- :mod:`.cells`: notebook cells and the source notebooks' regions (solution, hidden tests,
  ``# WRONG:`` lines);
- :mod:`.staging`: a submission folder staged as data, and the bounded notebook reader;
- :mod:`.rebuild`: a submission rebuilt from the release, only its answer cells kept;
- :mod:`.sandbox` and :mod:`.library_copy`: the bubblewrap sandbox, and its own copy of
  course_lib with the taught functions switched off;
- :mod:`.execute`: nbgrader's Execute in the sandbox, hidden tests stripped, the judge's verdicts;
- :mod:`.inert` and :mod:`.formgrader_guard`: no script of a student's in the instructor's
  browser (inert outputs, sanitized Markdown, the grading pages' Content-Security-Policy);
- :mod:`.judge`: hidden tests as judge specifications, decided in the grader's process;
- :mod:`.review`: answers a person should read (delegation the sandbox cannot stop);
- :mod:`.feedback`: the assertion that feedback holds no hidden test;
- :mod:`.batch`: ``make grade`` for a class, on local processes or a Dask cluster;
- :mod:`.publish` and :mod:`.leaks`: the student repository, scanned for leaks;
  :mod:`.student_pages`: its README, and the student view's index ``make lab`` opens;
- :mod:`.exchange` and :mod:`.untrusted_copy`: ``nbgrader collect`` that refuses forged,
  linked and oversized hand-ins, copying without following a link;
- :mod:`.variants`: each student's expected answers, and ``variant STUDENT ASSIGNMENT``;
- :mod:`.lms`: grades to Canvas and Moodle (``export``), and the item analysis (``report``).

The command line: ``python -m course_grader grade | publish | variant | export | report``.
"""
