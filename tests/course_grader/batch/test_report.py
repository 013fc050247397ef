"""What make grade shows: the summary table's numbers and the progress bar's count."""

import io

from course_grader.batch.grade import Submission
from course_grader.batch.report import progress, summary


def test_summary_counts_means_and_seconds_per_assignment():
    subs = [
        Submission("a", "02", graded=True, score=4.0, seconds=10.0),
        Submission("b", "02", graded=True, score=3.0, seconds=20.0, problems=["x", "y"]),
        Submission("c", "02", graded=False, seconds=3.0, problems=["autograde failed"]),
        Submission("a", "01", graded=False, seconds=1.0, problems=["z"]),
    ]
    header, first, second = summary(subs).split("\n")
    assert header.split() == ["assignment", "graded", "flagged", "mean", "score",
                              "s/submission"]
    assert first.split() == ["01", "0", "1", "-", "1.0"]  # nothing graded: no mean score
    assert second.split() == ["02", "2", "2", "3.50", "11.0"]


def test_summary_of_nothing_is_the_header():
    assert summary([]).split() == ["assignment", "graded", "flagged", "mean", "score",
                                   "s/submission"]


def test_progress_counts_the_submissions_that_need_a_person():
    out = io.StringIO()
    with progress(3, file=out) as bar:
        bar.done(False)
        bar.done(True)
        bar.done(["a problem"])
    assert bar.failures == 2 and bar.bar.n == 3
    assert "needs a person: 2" in out.getvalue()
