"""Tests of the convolution views: the explorers react to their controls, the drawings draw."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.shapes import conv_output_size
from course_lib.views.convolution import (
    conv_step_explorer,
    fit,
    formula_text,
    plot_feature_maps,
    plot_positions,
    plot_strides,
    plot_volumes,
    predict_reveal_explorer,
)


def _window_sums(x, w, stride, pad):
    """Independent reference: the output of a 2-D cross-correlation, written with loops."""
    xp = np.pad(x, pad)
    f = w.shape[0]
    size = (xp.shape[0] - f) // stride + 1
    return np.array([[np.sum(xp[i * stride:i * stride + f, j * stride:j * stride + f] * w)
                      for j in range(size)] for i in range(size)])


@pytest.mark.parametrize("n, f, s, p, count, fits", [
    (7, 3, 1, 0, 5, True), (7, 3, 2, 0, 3, True), (7, 3, 3, 0, 2, False),
    (7, 3, 3, 1, 3, True), (32, 5, 1, 2, 32, True), (3, 5, 1, 0, 0, False),
])
def test_fit_counts_whole_windows(n, f, s, p, count, fits):
    got, message = fit(n, f, s, p)
    assert got == count
    assert (message is None) == fits
    if fits:
        assert got == conv_output_size(n, f, s, p)


def test_formula_text_works_the_slide_example_through():
    assert formula_text(7, 3, 3, 0) == "(7 - 3 + 2*0)/3 + 1 = 4/3 + 1 = 2.33"
    assert formula_text(7, 3, 3, 1) == "(7 - 3 + 2*1)/3 + 1 = 6/3 + 1 = 3"


def test_step_explorer_moves_window_and_fills_output():
    ex = conv_step_explorer()
    pos, stride, pad = (ex.controls[k] for k in ("position", "stride", "pad"))
    assert pos.max == 24  # 5x5 positions for 7x7 with 3x3, stride 1
    first_caption, first_image = ex.caption.value, ex.image.value
    assert bytes(ex.image.value).startswith(b"\x89PNG")
    pos.value = 8
    assert ex.caption.value != first_caption
    assert bytes(ex.image.value) != bytes(first_image)
    assert (ex.state["row"], ex.state["col"]) == (1, 3)
    assert ex.caption.value.count(")(") == 9  # all nine products written out
    filled = ex.state["output"]
    assert np.isfinite(filled).sum() == 9  # positions 0..8 are filled, the rest blank


@pytest.mark.parametrize("s, p", [(2, 0), (3, 1), (1, 2)])
def test_step_explorer_output_matches_loop_reference(s, p):
    x = np.random.default_rng(1).integers(-3, 4, (7, 7))
    w = np.random.default_rng(2).integers(-2, 3, (3, 3))
    ex = conv_step_explorer(x, w)
    ex.controls["stride"].value, ex.controls["pad"].value = s, p
    ex.controls["position"].value = ex.controls["position"].max
    want = _window_sums(x, w, s, p)
    np.testing.assert_array_equal(ex.state["output"], want)
    assert ex.state["value"] == want[-1, -1]
    assert f"<b>{want[-1, -1]:g}</b>" in ex.caption.value


def test_step_explorer_shows_the_error_when_stride_3_does_not_fit():
    ex = conv_step_explorer()
    ex.controls["position"].value = 10
    ex.controls["stride"].value = 3
    assert ex.controls["position"].value == 0  # position resets to the first window
    assert ex.controls["position"].max == 3  # 2x2 whole windows
    assert "2.33 is not a whole number" in ex.caption.value
    ex.controls["pad"].value = 1
    assert "not a whole number" not in ex.caption.value
    assert ex.controls["position"].max == 8  # 3x3 output


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
    count, message = fit(n, f, s, p)
    labels = [t.get_text() for t in ax.texts]
    assert str(count) in labels or count == 0
    assert ("does not fit" in labels) == (message is not None)
    plt.close(ax.figure)


def test_plot_helpers_return_titled_figures():
    figs = [plot_strides(),
            plot_feature_maps([np.zeros((4, 4)), -np.eye(4)], ["a", "b"], "maps", ncols=1),
            plot_volumes([(32, 32, 3), (28, 28, 6)], ["conv"])]
    assert len(figs[0].axes) == 3
    assert [ax.get_title() for ax in figs[1].axes] == ["a", "b"]
    assert "ConvNet" in figs[2].axes[0].get_title()
    for fig in figs:
        plt.close(fig)


@pytest.mark.parametrize("call, error, words", [
    (lambda: fit(0, 3), ValueError, "fit: n must be >= 1"),
    (lambda: fit(7, 3.0), TypeError, "fit: f must be a whole number"),
    (lambda: plot_positions(7, 3, stride=0), ValueError, "plot_positions: stride"),
    (lambda: predict_reveal_explorer(7, 3, 1, -1), ValueError, "predict_reveal_explorer: pad"),
    (lambda: conv_step_explorer(np.zeros((7, 7, 3))), ValueError, "conv_step_explorer: expected"),
    (lambda: conv_step_explorer(np.zeros((3, 3)), np.ones((5, 5))), ValueError, "F <= N"),
])
def test_bad_input_names_the_function(call, error, words):
    with pytest.raises(error, match=words):
        call()
