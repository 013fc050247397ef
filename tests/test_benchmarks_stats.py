"""The benchmarks' spread gate (benchmarks/_stats.py): a ratio only from steady repeats."""

import pytest

from benchmarks._stats import SPREAD_LIMIT, gated_ratio, spread


def test_steady_times_give_the_ratio_of_the_medians():
    ratio, worst = gated_ratio([3.0, 2.0, 2.0, 2.0, 2.02], [1.0, 1.01, 1.0, 1.0, 1.0])
    assert ratio == pytest.approx(2.0)
    assert worst < SPREAD_LIMIT


def test_one_outlier_does_not_move_the_median_or_the_gate():
    ratio, worst = gated_ratio([2.0] * 8 + [50.0], [1.0] * 9)
    assert ratio == 2.0 and worst == 0.0


def test_a_noisy_side_withholds_the_ratio():
    noisy = [1.0, 1.3, 0.8, 1.5, 1.0, 0.9, 1.2]
    ratio, worst = gated_ratio([2.0] * 7, noisy)
    assert ratio is None
    assert worst == pytest.approx(spread(noisy)) and worst >= SPREAD_LIMIT
    assert gated_ratio(noisy, [2.0] * 7)[0] is None  # either side


def test_the_gate_is_strict_at_the_limit():
    times = [0.9, 1.0, 1.0, 1.1]  # (1.025 - 0.975) / 1.0, about 0.05
    limit = spread(times)
    assert gated_ratio(times, times, limit=limit)[0] is None
    assert gated_ratio(times, times, limit=limit * 1.01)[0] == pytest.approx(1.0)


def test_spread_is_the_interquartile_range_over_the_median():
    assert spread([8.0, 9.0, 10.0, 11.0, 12.0]) == pytest.approx((11 - 9) / 10)


@pytest.mark.parametrize("times", [[], [1.0, 0.0], [-1.0]])
def test_bad_times_are_refused(times):
    with pytest.raises(ValueError, match=r"spread: needs positive times, got"):
        spread(times)
