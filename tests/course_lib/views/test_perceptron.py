"""The perceptron explorer: truth tables against a loop reference, and a live widget."""

import itertools

import numpy as np
import pytest

from course_lib.views.perceptron import (
    INPUTS,
    draw_decision,
    draw_layer,
    gate_name,
    perceptron_explorer,
    truth_table,
)


def loop_table(b, w1, w2):
    """The truth table written out as on the slide, one input at a time."""
    out = []
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        z = b + w1 * x1 + w2 * x2
        out.append(1 if z >= 0 else 0)
    return out


@pytest.mark.parametrize("b, w1, w2, gate", [
    (-1.5, 1, 1, "AND"), (-0.5, 1, 1, "OR"), (3, -2, -2, "NAND"), (0.5, -1, -1, "NOR"),
    (-10, 12, 5, "x1"),
])
def test_truth_table_of_the_slides_gates(b, w1, w2, gate):
    assert truth_table(b, w1, w2).tolist() == loop_table(b, w1, w2)
    assert gate_name(truth_table(b, w1, w2)) == gate


def test_truth_table_matches_loop_on_random_weights(rng):
    for b, w1, w2 in rng.uniform(-5, 5, size=(200, 3)):
        assert truth_table(b, w1, w2).tolist() == loop_table(b, w1, w2)
        assert ((truth_table(b, w1, w2, "sign") + 1) // 2).tolist() == loop_table(b, w1, w2)


def test_z_equal_zero_gives_one():
    assert truth_table(0, 0, 0).tolist() == [1, 1, 1, 1]
    assert truth_table(0, 0, 0, activation="sign").tolist() == [1, 1, 1, 1]


def test_no_single_perceptron_computes_xor():
    grid = np.arange(-3, 3.5, 0.5)
    tables = {tuple(truth_table(b, w1, w2)) for b, w1, w2 in itertools.product(grid, repeat=3)}
    assert len(tables) == 14  # every 0/1 table except XOR and XNOR
    assert (0, 1, 1, 0) not in tables and (1, 0, 0, 1) not in tables


def test_bad_input_errors():
    with pytest.raises(TypeError, match=r"^truth_table: w1 must be a number, got 'a'"):
        truth_table(0, "a", 1)
    with pytest.raises(ValueError, match=r"^truth_table: activation must be"):
        truth_table(0, 1, 1, activation="relu")


def test_inputs_are_in_the_lectures_order():
    assert INPUTS.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_moving_a_slider_changes_table_and_picture():
    box = perceptron_explorer()
    controls, table, picture = box.children
    w1, w2, b, activation = controls.children
    assert [c.description for c in (w1, w2, b)] == ["w1", "w2", "b"]
    before_table, before_png = table.value, picture.value
    assert "<b>AND</b>" in before_table
    assert bytes(before_png).startswith(b"\x89PNG")
    b.value = -0.5
    assert "<b>OR</b>" in table.value
    assert table.value != before_table and bytes(picture.value) != bytes(before_png)
    activation.value = "sign"
    assert "-1" in table.value and "sign(z)" in table.value


def test_vertical_and_missing_decision_lines():
    from matplotlib.figure import Figure

    for b, w1, w2 in [(-0.5, 1, 0), (1, 0, 0)]:
        ax = Figure().add_subplot()
        draw_decision(ax, b, w1, w2)
        assert ax.get_xlabel() == "x1" and ax.get_ylabel() == "x2"
        assert ax.get_title().startswith(f"z = {b:g}")


def test_draw_layer_draws_one_line_per_weight():
    from matplotlib.figure import Figure

    W = np.arange(12.0).reshape(4, 3) - 6
    ax = Figure().add_subplot()
    draw_layer(ax, W, np.zeros(4))
    assert len(ax.lines) == 12 + 2  # the weights, and the two legend entries
    assert "(4, 3)" in ax.get_title()
    with pytest.raises(ValueError, match=r"^draw_layer: .* got W \(4, 3\) and b \(3,\)"):
        draw_layer(ax, W, np.zeros(3))


def test_slider_rounding_noise_does_not_flip_the_table():
    """A browser slider sends 1.5000000000000018 for 1.5: z = -1.5 + 1.5 must read 0."""
    box = perceptron_explorer()
    controls, table, _ = box.children
    w1, _, _, _ = controls.children
    w1.value = 1.5 + 2e-15
    assert "e-15" not in table.value
    assert "this perceptron computes <b>x1</b>" in table.value
    w1.value = 1.5 - 2e-15  # would give z < 0 and flip the (1, 0) row without the rounding
    assert "this perceptron computes <b>x1</b>" in table.value
