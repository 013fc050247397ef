"""Tests of the window geometry views: window counts, the formula, plot_positions, the
predict-and-reveal explorer."""

import matplotlib.pyplot as plt
import pytest

from course_lib.shapes import conv_output_size
from course_lib.views.conv_geometry import (
    formula_text,
    plot_positions,
    plot_strides,
    predict_reveal_explorer,
    window_count,
)


@pytest.mark.parametrize("n, f, s, p, count, fits", [
    (7, 3, 1, 0, 5, True), (7, 3, 2, 0, 3, True), (7, 3, 3, 0, 2, False),
    (7, 3, 3, 1, 3, True), (32, 5, 1, 2, 32, True), (3, 5, 1, 0, 0, False),
])
def test_window_count_counts_whole_windows(n, f, s, p, count, fits):
    got, message = window_count(n, f, s, p)
    assert got == count
    assert (message is None) == fits
    if fits:
        assert got == conv_output_size(n, f, s, p)


def test_formula_text_works_the_slide_example_through():
    assert formula_text(7, 3, 3, 0) == "(7 - 3 + 2*0)/3 + 1 = 4/3 + 1 = 2.33"
    assert formula_text(7, 3, 3, 1) == "(7 - 3 + 2*1)/3 + 1 = 6/3 + 1 = 3"


@pytest.mark.parametrize("guess, verdict, words", [
    ("no", "Right", "does not fit"), ("2", "Not quite", "does not fit"),
    ("abc", "?", "not a whole number"),
])
def test_predict_reveal_on_the_stride_3_question(guess, verdict, words):
    ex = predict_reveal_explorer(7, 3, 3, 0)
    assert "Predict" in ex.caption.value and bytes(ex.image.value) == b""
    ex.controls["guess"].value = guess
    ex.controls["reveal"].click()
    assert verdict in ex.caption.value
    assert words in ex.caption.value
    assert "4/3 + 1 = 2.33" in ex.caption.value
    assert bytes(ex.image.value).startswith(b"\x89PNG")


@pytest.mark.parametrize("n, f, s, p, guess, hint", [
    (7, 3, 3, 1, "3", "you predicted 3."), (7, 3, 1, 0, "4", "forgot the +1"),
    (32, 5, 1, 2, "28", "forgot the padding"), (32, 5, 1, 2, "30", "both sides"),
    (9, 3, 2, 0, "7", "divide by the stride"), (9, 3, 2, 0, "5", "again"),
])
def test_predict_reveal_names_the_mistake(n, f, s, p, guess, hint):
    ex = predict_reveal_explorer()
    for key, value in zip(("n", "f", "stride", "pad"), (n, f, s, p), strict=True):
        ex.controls[key].value = value
    ex.controls["guess"].value = guess
    ex.controls["reveal"].click()
    assert hint in ex.caption.value
    assert ("Right" in ex.caption.value) == (int(guess) == conv_output_size(n, f, s, p))


def test_predict_reveal_shows_no_image_before_reveal_and_names_in_full():
    ex = predict_reveal_explorer()
    assert ex.image not in ex.children, "an empty image showed a broken-image icon"
    assert ex.controls["guess"].style.description_width == "initial", "'your answ...'"
    ex.controls["guess"].value = "no"
    ex.controls["reveal"].click()
    assert ex.children[-1] is ex.image
    ex.controls["pad"].value = 1
    assert ex.image not in ex.children


def test_predict_reveal_asks_first_and_hides_when_values_change():
    ex = predict_reveal_explorer()
    ex.controls["reveal"].click()
    assert "Type your prediction first" in ex.caption.value and bytes(ex.image.value) == b""
    ex.controls["guess"].value = "no"
    ex.controls["reveal"].click()
    assert ex.image.value
    ex.controls["n"].value = 9
    assert "Predict" in ex.caption.value and bytes(ex.image.value) == b""


@pytest.mark.parametrize("n, f, s, p", [(7, 3, 1, 0), (7, 3, 3, 0), (3, 5, 1, 0), (64, 3, 1, 1)])
def test_plot_positions_titles_the_formula(n, f, s, p):
    ax = plot_positions(n, f, s, p)
    assert formula_text(n, f, s, p) in ax.get_title()
    count, message = window_count(n, f, s, p)
    labels = [t.get_text() for t in ax.texts]
    assert str(count) in labels or count == 0
    assert ("does not fit" in labels) == (message is not None)
    plt.close(ax.figure)


def test_plot_strides_draws_one_row_per_stride():
    fig = plot_strides()
    assert len(fig.axes) == 3
    plt.close(fig)


@pytest.mark.parametrize("call, error, words", [
    (lambda: window_count(0, 3), ValueError, "window_count: n must be >= 1"),
    (lambda: window_count(7, 3.0), TypeError, "window_count: f must be a whole number"),
    (lambda: plot_positions(7, 3, stride=0), ValueError, "plot_positions: stride"),
    (lambda: predict_reveal_explorer(7, 3, 1, -1), ValueError, "predict_reveal_explorer: pad"),
])
def test_bad_input_names_the_function(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_the_reveal_explorer_takes_every_size_exercise_of_04():
    """04 Exercise 1 sends students to this explorer: every layer of every variant must fit in
    its boxes (a BoundedIntText clamps a value over its max without a word)."""
    from course_lib.checking.variants import Variant
    from course_lib.views.conv_geometry import predict_reveal_explorer

    box = predict_reveal_explorer()
    for student in [None, *(f"s{i}" for i in range(200))]:
        for layer in vars(Variant("04_convolution", student)["sizes"]).values():
            for key, name in (("n", "n"), ("f", "f"), ("s", "stride"), ("p", "pad")):
                box.controls[name].value = layer[key]
                assert box.controls[name].value == layer[key], (student, key, layer)
