"""nbgrader configuration of the course (nbgrader 0.9.6).

The course folder is the folder of this file, so a copy of the repository (or a temporary
copy made by the tests) is a complete course of its own:

    notebooks/NN_name/NN_name.ipynb   source (instructor) notebooks, with solutions
    release/NN_name/                  student versions          (make release)
    submitted/STUDENT/NN_name/        what students handed in   (nbgrader collect, or copy)
    autograded/, feedback/            grading results            (make grade)
    gradebook.db, exchange/           the gradebook and nbgrader's exchange folder

Settings given on the command line win over this file, e.g.
``nbgrader autograde 01_perceptron --Execute.timeout=60``.
"""

import os

c = get_config()  # noqa: F821 (injected by traitlets when nbgrader loads this file)

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "nn-course"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")
# Files never copied into release/ (or from submissions).
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis",
    ".virtual_documents", ".DS_Store", "*.egg-info", "feedback",
]

# The default exchange (/usr/local/share/nbgrader/exchange) is not writable on most machines:
# keep it inside the course, created on first use. On a JupyterHub (deploy/) every user's
# server and the formgrader get COURSE_EXCHANGE: the class's shared exchange folder.
if os.environ.get("COURSE_EXCHANGE"):
    c.Exchange.root = os.environ["COURSE_EXCHANGE"]
else:
    c.Exchange.root = os.path.join(ROOT, "exchange")
    os.makedirs(c.Exchange.root, exist_ok=True)

# What a released exercise cell holds where the solution was: course_lib.checking's
# your_answer_here() does nothing at the top of a cell (a blank value exercise shows its check's
# one message, not a bare NotImplementedError too) and raises in a function's body.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nyour_answer_here()"}

# Per-cell time limit while autograding: each source notebook sets its own in
# metadata.course.cell_timeout (60 s where nothing trains, more for the lab);
# COURSE_CELL_TIMEOUT=SECONDS overrides them all. nbgrader 0.9 reads Execute.timeout (it ignores
# ExecutePreprocessor.timeout) for a notebook without a setting. A cell that runs longer
# (`while True: pass`) is interrupted, scores nothing, and the cells after it still run.
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "600"))

# Trusted grading (course_grader, README "Grading is a security boundary"):
# - the submission is rebuilt from the released notebook: only its answer cells count;
# - every kernel runs in a bubblewrap sandbox (course_grader.sandbox), with output,
#   memory, file-size and process limits, and never sees the hidden tests;
# - the judge decides each grade cell's points in the grader's process, from plain data that
#   a fresh sandboxed process returns for inputs the judge chooses (course_grader.judge.api).
c.Autograde.sanitize_preprocessors = [
    "course_grader.rebuild.RebuildFromRelease",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "course_grader.execute.StripHiddenTests",
    "course_grader.execute.SandboxedExecute",
    "course_grader.inert.InertOutputs",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "course_grader.execute.JudgeGradeCells",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Student content is inert wherever the instructor (or the student) looks: InertOutputs keeps
# only text and images of what the answers printed, and the HTML of the feedback (and of the
# formgrader: course_grader.formgrader_guard) is sanitized: no script, event handler,
# javascript: link, iframe or form of a Markdown answer survives.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"markdown2html": "course_grader.inert.sanitized_markdown"}

# Feedback never shows hidden tests: StripHiddenTests removed them before execution and
# JudgeGradeCells replaced the grade cells' outputs by the verdict, so nothing is left to
# redact; RefuseHiddenTests asserts it (a notebook with a hidden region gets no feedback).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course_grader.feedback.RefuseHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# `nbgrader collect` on a shared exchange: refuse a folder in inbound/ named after a classmate
# (its owner is not that student) or that is a link, never follow a link inside, skip pipes and
# devices, cap files and submissions, skip names that do not parse (course_grader.exchange).
c.ExchangeFactory.collect = "course_grader.exchange.SafeCollect"
