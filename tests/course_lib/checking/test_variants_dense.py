"""The variants of 01 and 03 (course_lib.checking.variants_dense): 200 random student ids give
valid numbers, checked against course_lib's models and kernels (an independent reference)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from course_grader.variants import expected
from course_lib import Dense, Sequential, sign, step
from course_lib.checking.variants import Variant
from course_lib.checking.variants_dense import GATES, INPUTS, same_value

IDS = st.text(min_size=1, max_size=24)


def _mlp_params(widths):
    model = Sequential([Dense(widths[1], input_dim=widths[0])]
                       + [Dense(w) for w in widths[2:]])
    return model.count_params()


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_truth_tables_of_any_student(student):
    v = Variant("01_perceptron", student)
    p = v["truth_table"]
    z = p.b + p.w1 * INPUTS[:, 0] + p.w2 * INPUTS[:, 1]
    assert np.all(z != 0), "sign(0) is not on the slide: no z may be 0"
    want = expected(v, "truth_table")
    assert want["truth_table_h"] == sign(z).astype(int).tolist()
    assert want["step_table_h"] == step(z).astype(int).tolist()
    assert len(set(want["truth_table_h"])) == 2, "a constant table is no exercise"
    assert f"g({p.b} {'-' if p.w1 < 0 else '+'} {abs(p.w1)} x_1" in v.text("truth_table")
    assert f"w2 = {p.w2})" in v.text("truth_table")


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_gates_of_any_student_are_perceptron_gates(gate_weights, student):
    v = Variant("01_perceptron", student)
    table = expected(v, "gate")["gate_table"]
    assert len(set(table)) == 2 and v["gate"].gate in v.text("gate")
    weights = gate_weights(table)   # a perceptron computes it (the independent check)
    assert weights is not None, f"{v['gate'].gate}: no perceptron computes {table}"
    b, w1, w2 = weights
    assert step(b + w1 * INPUTS[:, 0] + w2 * INPUTS[:, 1]).tolist() == table


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_networks_and_design_of_any_student(student):
    v = Variant("03_architectures_params", student)
    nets = v["networks"]
    assert nets.a[0] == 784 and nets.a[-1] == 10
    for widths in (nets.a, nets.b):
        assert all(w >= 1 for w in widths), widths
        # the rule of thumb the notebook states: widths shrink from the input to the output
        assert all(a > b for a, b in zip(widths[:-1], widths[1:], strict=False)), widths
        assert "-".join(map(str, widths)) in v.text("networks")
    want = expected(v, "networks")
    assert want == {"params_a": _mlp_params(nets.a), "params_b": _mlp_params(nets.b)}
    d = v["design"]
    design = expected(v, "design")
    assert design["n_inputs"] == d.side * d.side * 3 and design["n_outputs"] == len(d.classes)
    assert design["design_params"] == _mlp_params([design["n_inputs"], d.hidden,
                                                   design["n_outputs"]])
    assert all(c in v.text("design") for c in d.classes)


def test_same_value_compares_shapes_and_values():
    assert same_value("x", [1, 2], (1.0, 2.0))
    assert not same_value("x", [1, 2], [1, 2, 3])
    assert not same_value("x", "abc", 3)
    assert set(GATES) >= {"AND", "OR", "NAND", "NOR"}
