"""The grading benchmark's pure parts (benchmarks/bench_grading.py): which assignments
BENCH_GRADING_ASSIGNMENTS selects, and the JSON cases of the price of safety."""

import doctest

import pytest

from benchmarks import bench_grading
from benchmarks.bench_grading import Measured, json_cases, selected_assignments

FOLDERS = ["01_perceptron", "02_activations_softmax", "03_architectures_params",
           "07_mnist_lab"]


def test_the_docstring_examples_hold():
    assert doctest.testmod(bench_grading).failed == 0


@pytest.mark.parametrize("spec, expected", [
    ("01", ["01_perceptron"]),
    ("01,07", ["01_perceptron", "07_mnist_lab"]),
    ("07, 01", ["01_perceptron", "07_mnist_lab"]),  # the course's order, spaces allowed
    ("01-03", FOLDERS[:3]),
    ("2", ["02_activations_softmax"]),
    ("01_perceptron", ["01_perceptron"]),
])
def test_numbers_and_ranges_select_folders(spec, expected):
    assert selected_assignments(spec, FOLDERS) == expected


@pytest.mark.parametrize("spec", ["05", "01,09", "x", "01-", "", "01;02"])
def test_what_names_no_folder_is_refused(spec):
    with pytest.raises(ValueError, match="BENCH_GRADING_ASSIGNMENTS"):
        selected_assignments(spec, FOLDERS)


def test_the_default_leaves_out_the_lab():
    selected = selected_assignments(bench_grading.DEFAULT_ASSIGNMENTS,
                                    [f"0{i}_x" for i in range(1, 8)])
    assert selected == [f"0{i}_x" for i in range(1, 7)]


def test_json_cases_give_seconds_per_submission_and_ratios():
    rows = [Measured("01_perceptron", 4, 12.0, 7.0, 2.5, 8.0, 2.0, True, {}),
            Measured("02_activations_softmax", 4, 20.0, 11.0, 4.5, 10.0, 2.0, True, {})]
    cases = {c["case"]: c for c in json_cases(rows)}
    assert cases["01_perceptron, make grade JOBS=1"]["seconds_per_submission"] == 3.0
    assert cases["01_perceptron, plain nbgrader autograde"]["seconds_per_submission"] == 2.0
    assert cases["01_perceptron, ours / plain nbgrader"]["ratio"] == 1.5
    assert cases["02_activations_softmax, ours / plain nbgrader"][
        "ratio_with_plain_feedback"] == pytest.approx(20 / 12)
    assert cases["all, ours / plain nbgrader"]["ratio"] == pytest.approx(32 / 18)
    assert cases["all, make grade JOBS=1 / JOBS=2 (speed-up)"]["speedup_ratio"] == 32 / 18
    for case in cases.values():  # a ratio's key says so; every other number is seconds
        for key, value in case.items():
            if key != "case":
                assert "ratio" in key or key == "seconds_per_submission", (key, value)
