"""The spread gate of the benchmarks: pure functions of repeated times (no thread settings).

Kept apart from ``_timing`` (which sets thread counts when imported) so that a unit test can
import it without side effects: ``tests/test_benchmarks_stats.py``.
"""

import numpy as np

__all__ = ["SPREAD_LIMIT", "gated_ratio", "spread"]

SPREAD_LIMIT = 0.10
"""Largest spread (see ``spread``) at which a ratio is still reported."""


def spread(times):
    """Relative spread of repeated times: (75th percentile - 25th) / median.

    >>> spread([1.0, 1.0, 1.0, 1.0])
    0.0
    >>> round(spread([9.0, 10.0, 10.0, 11.0, 30.0]), 3)
    0.1
    """
    times = np.asarray(times, float)
    if times.size == 0 or np.any(times <= 0):
        raise ValueError(f"spread: needs positive times, got {times.tolist()}.")
    q25, q50, q75 = np.percentile(times, [25, 50, 75])
    return float((q75 - q25) / q50)


def gated_ratio(times, ref_times, limit=SPREAD_LIMIT):
    """``(median(times) / median(ref_times), spread)``; the ratio is None if the spread is too big.

    The spread is the larger of the two sides' (see ``spread``); at ``limit`` or above, the
    ratio would mostly measure the machine's other work, so it is withheld.

    >>> gated_ratio([4.0, 4.0, 4.5], [2.0, 2.0, 2.0])
    (2.0, 0.0625)
    >>> gated_ratio([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])
    (None, 0.5)
    """
    worst = max(spread(times), spread(ref_times))
    ratio = float(np.median(times) / np.median(ref_times))
    return (ratio if worst < limit else None), worst
