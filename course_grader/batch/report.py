"""What `make grade` shows: a progress bar while it grades, a table per assignment after."""

import statistics
import sys
from contextlib import contextmanager

__all__ = ["progress", "summary"]


class _Bar:
    def __init__(self, bar):
        self.bar, self.failures = bar, 0

    def done(self, failed):
        self.failures += bool(failed)
        self.bar.set_postfix_str(f"needs a person: {self.failures}", refresh=False)
        self.bar.update(1)


@contextmanager
def progress(total, file=None):
    """A tqdm bar: submissions done / total, the ETA, and how many need a person so far.

    Parameters
    ----------
    total : int
        The number of submissions.
    file : file, optional
        Where the bar is drawn (default stderr).

    Yields
    ------
    object
        ``bar.done(failed)`` after each submission.
    """
    from tqdm import tqdm  # only when a progress bar is shown (a terminal, not a test)

    with tqdm(total=total, desc="grading", unit="submission", file=file or sys.stderr,
              mininterval=0.5, dynamic_ncols=True) as bar:
        yield _Bar(bar)


def summary(subs):
    """One row per assignment: graded, flagged, mean score, seconds per submission.

    Parameters
    ----------
    subs : list of batch.Submission

    Returns
    -------
    str
        A text table, its header first; the mean is over graded submissions ("-" if none).

    Examples
    --------
    >>> from course_grader.batch.grade import Submission
    >>> print(summary([Submission("a", "01", graded=True, score=7.0, seconds=4.0),
    ...                Submission("b", "01", graded=True, score=0.0, seconds=2.0,
    ...                           problems=["x"])]))
    assignment   graded  flagged  mean score  s/submission
    01                2        1        3.50           3.0
    """
    lines = [f"{'assignment':<12} {'graded':>6}  {'flagged':>7}  {'mean score':>10}  "
             f"{'s/submission':>12}"]
    for name in sorted({s.assignment for s in subs}):
        rows = [s for s in subs if s.assignment == name]
        scores = [s.score for s in rows if s.graded and s.score is not None]
        mean = f"{statistics.fmean(scores):.2f}" if scores else "-"
        secs = statistics.fmean(s.seconds for s in rows)
        lines.append(f"{name:<12} {sum(s.graded for s in rows):>6}  "
                     f"{sum(bool(s.problems) for s in rows):>7}  {mean:>10}  {secs:>12.1f}")
    return "\n".join(lines)
