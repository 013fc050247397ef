"""Item statistics: the class's numbers per graded cell, and the two discrimination measures."""

import numpy as np
import pytest

from course_grader.lms.items import discrimination_index, item_analysis, point_biserial
from course_grader.lms.scores import read_scores
from course_grader.lms.verdicts import read_verdicts


@pytest.fixture(scope="module")
def items(graded_class):
    root, _plan = graded_class
    scores = read_scores(f"sqlite:///{root / 'gradebook.db'}")
    problems = []
    found = item_analysis(scores, read_verdicts(root, scores, problems))
    assert problems == []
    return {(i.assignment, i.grade_id): i for i in found}


def test_rates_and_means_count_the_students_who_handed_in(items, graded_class, seeded_mistake):
    _root, plan = graded_class
    SEEDED = seeded_mistake[0]
    takers = [s for s in plan if "03_architectures_params" in plan[s]]
    seeded = items[("03_architectures_params", SEEDED)]
    assert seeded.students == len(takers) == len(plan) - 1
    honest = sum(s.startswith("honest") for s in takers)
    blank = sum(s.startswith("blank") for s in takers)
    assert seeded.full_rate == pytest.approx(honest / len(takers))
    assert seeded.zero_rate == pytest.approx(1 - honest / len(takers))
    assert seeded.blank_rate == pytest.approx(blank / len(takers))
    assert seeded.mean_points == pytest.approx(3 * honest / len(takers))
    gate = items[("01_perceptron", "gate_weights_test")]
    right = sum(plan[s]["01_perceptron"]["gate_weights_test"] == "P" for s in plan)
    assert gate.mean_points == pytest.approx((2 * right - 2 + 0.5) / len(plan))  # manual 0.5


def test_the_seeded_mistake_is_flagged_with_its_hint(items, seeded_mistake):
    SEEDED, BIASES_HINT = seeded_mistake
    seeded = items[("03_architectures_params", SEEDED)]
    wrong = seeded.students - 6 - 2                      # all but honest and blank
    assert seeded.top_hints(1) == [(BIASES_HINT, wrong)]       # one hint on different numbers
    assert seeded.flags and "fail rate" in seeded.flags[0]
    assert not items[("01_perceptron", "truth_table_h_test")].flags
    assert items[("01_perceptron", "truth_table_h_test")].hints.most_common(1)[0][1] == 3


def test_discrimination_index_takes_27_percent_groups():
    total = np.arange(100.0)
    item = (total >= 50).astype(float)
    assert discrimination_index(item, total) == 1.0             # 27 top all right, 27 bottom none
    assert discrimination_index(1 - item, total) == -1.0
    item = (total < 27).astype(float)                           # only the bottom group right
    assert discrimination_index(item, total) == -1.0
    assert np.isnan(discrimination_index(np.ones(1), np.ones(1)))


def test_point_biserial_is_scipys(rng):
    stats = pytest.importorskip("scipy.stats")
    for _ in range(20):
        n = int(rng.integers(5, 300))
        item = (rng.random(n) < rng.random()).astype(float)
        total = 5 * item + rng.normal(size=n) * rng.random() * 5
        if item.min() == item.max():
            continue
        assert point_biserial(item, total) == pytest.approx(
            stats.pointbiserialr(item, total)[0], abs=1e-12)
    assert np.isnan(point_biserial(np.ones(5), np.arange(5.0)))


def test_a_negatively_discriminating_item_is_flagged():
    from course_grader.lms.items import ItemStats

    item = ItemStats("a", "a", "x", 1, 10, 0.8, 0.8, 0.2, 0.0, -0.5, -0.3)
    assert item.flags == ["negative discrimination (D = -0.50, r = -0.30)"]
