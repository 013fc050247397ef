"""Item analysis: how each graded cell of an assignment did across the class.

For every assignment and graded cell (an *item*), over the students who handed the
assignment in: mean points, the rates of full points, zero and blank answers, the
discrimination index and the point-biserial correlation with the assignment's total, and how
often each hint of the judge fired. An item is flagged when more than half the class failed it
(less than full points), or when it discriminates negatively (the stronger students did worse
on it than the weaker ones): both usually mean the exercise, its statement or its test needs a
look.
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .verdicts import BLANK, WRONG, hint_of

__all__ = ["ItemStats", "item_analysis", "discrimination_index", "point_biserial",
           "GROUP_FRACTION", "FAIL_LIMIT"]

GROUP_FRACTION = 0.27  # Kelley's upper and lower groups
FAIL_LIMIT = 0.5


def discrimination_index(item, total, fraction=GROUP_FRACTION):
    """Upper-group minus lower-group mean of an item, the groups taken by total score.

    Parameters
    ----------
    item : ndarray, shape (N,)
        Each student's fraction of the item's points (0 to 1).
    total : ndarray, shape (N,)
        Each student's total on the assignment.
    fraction : float, default 0.27
        Size of each group: ``max(1, round(fraction * N))`` students.

    Returns
    -------
    float
        D = mean(item | top group) - mean(item | bottom group), from -1 to 1; NaN for fewer
        than two students. Ties in the total are broken by the order given (stable sort).

    Examples
    --------
    >>> discrimination_index(np.array([0, 0, 1, 1.]), np.array([1, 2, 3, 4.]))
    1.0
    """
    n = len(total)
    if n < 2:
        return float("nan")
    k = max(1, int(round(fraction * n)))
    order = np.argsort(total, kind="stable")
    return float(item[order[-k:]].mean() - item[order[:k]].mean())


def point_biserial(item, total):
    """The point-biserial correlation of an item with the total: Pearson's r.

    Parameters
    ----------
    item : ndarray, shape (N,)
        The item's scores (0/1 for a right-or-wrong cell; partial credit gives Pearson's r).
    total : ndarray, shape (N,)

    Returns
    -------
    float
        r = (M1 - M0) / s * sqrt(p q) for a 0/1 item, with M1, M0 the mean totals of those
        who got it and did not, s the totals' standard deviation (ddof 0) and p = 1 - q the
        fraction who got it; NaN when either has no spread.

    Examples
    --------
    >>> round(point_biserial(np.array([0, 0, 1, 1.]), np.array([1, 2, 3, 5.])), 3)
    0.845
    """
    x, y = np.asarray(item, float), np.asarray(total, float)
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    return float((dx * dy).sum() / np.sqrt((dx * dx).sum() * (dy * dy).sum()))


@dataclass
class ItemStats:
    """One item's numbers (rates are fractions of the students who handed in)."""

    assignment: str
    notebook: str
    grade_id: str
    max_points: float
    students: int
    mean_points: float
    full_rate: float
    zero_rate: float
    blank_rate: float  # NaN when no verdicts were read
    discrimination: float
    point_biserial: float
    hints: Counter = field(default_factory=Counter)
    variant: object = None  # a by_variant.VariantSpread, where the exercise has variants

    @property
    def fail_rate(self):
        """The fraction without full points."""
        return 1.0 - self.full_rate

    @property
    def difficulty(self):
        """Mean points / max points (the item's facility: low is hard)."""
        return self.mean_points / self.max_points if self.max_points else float("nan")

    @property
    def flags(self):
        """Why a person should look at this item (empty when there is no reason)."""
        found = []
        if self.students and self.fail_rate > FAIL_LIMIT:
            found.append(f"fail rate {self.fail_rate:.0%} is over {FAIL_LIMIT:.0%}")
        if self.discrimination < 0 or self.point_biserial < 0:
            found.append(f"negative discrimination (D = {self.discrimination:+.2f}, "
                         f"r = {self.point_biserial:+.2f})")
        return found

    def top_hints(self, n=3):
        """The ``n`` most frequent hints, ``[(hint, count)]``, most frequent first."""
        return self.hints.most_common(n)


def _item_stats(assignment, item, scores, students, total, verdicts):
    got = np.array([scores.cells[(assignment, s)].get((item.notebook, item.grade_id), 0.0)
                    for s in students])
    frac = got / item.max_points if item.max_points else np.zeros_like(got)
    kinds = [verdicts.get((assignment, s), {}).get((item.notebook, item.grade_id))
             for s in students]
    seen = [k for k in kinds if k is not None]
    hints = Counter(hint_of(k[1]) for k in seen if k[0] == WRONG)
    n = len(students)
    return ItemStats(
        assignment, item.notebook, item.grade_id, item.max_points, n,
        float(got.mean()) if n else float("nan"),
        float((frac >= 1 - 1e-9).mean()) if n else float("nan"),
        float((got <= 1e-9).mean()) if n else float("nan"),
        sum(k[0] == BLANK for k in seen) / len(seen) if seen else float("nan"),
        discrimination_index(frac, total), point_biserial(got, total), hints)


def item_analysis(scores, verdicts=None, assignments=None):
    """Every item's :class:`ItemStats`, in the gradebook's order.

    Parameters
    ----------
    scores : ClassScores
        :func:`~.scores.read_scores`'s result.
    verdicts : dict, optional
        :func:`~.verdicts.read_verdicts`'s result (without it: no hints, no blank rate).
    assignments : list of str, optional
        Which assignments (default: all; an unknown one is a ``ValueError``).

    Returns
    -------
    list of ItemStats

    Notes
    -----
    The total of a student is the assignment's points before any late penalty (the sum of
    the cells), so a late hand-in does not move a student between the groups.
    """
    verdicts = verdicts or {}
    found = []
    for assignment in scores.check_assignments(assignments, where="item_analysis"):
        students = scores.submitted(assignment)
        total = np.array([sum(scores.cells[(assignment, s)].values()) for s in students])
        for item in scores.assignments[assignment].items:
            found.append(_item_stats(assignment, item, scores, students, total, verdicts))
    return found
