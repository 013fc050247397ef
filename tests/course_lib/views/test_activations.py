"""The activation and softmax explorers: captions and images follow the controls."""

import numpy as np
import pytest
import scipy.special

from course_lib import sigmoid_derivative, tanh_derivative
from course_lib.views.activations import (
    CLASSES,
    SATURATION,
    activation_caption,
    activation_explorer,
    plot_activation,
    plot_softmax_bars,
    saturation_edge,
    softmax_caption,
    softmax_explorer,
)
from course_lib.views.display import live


@pytest.mark.parametrize("name, peak, closed_form", [
    # sigmoid' = s(1-s) = 0.05 * 0.25  =>  s = (1 + sqrt(1 - 4 * 0.0125)) / 2, z = logit(s)
    ("sigmoid", 0.25, scipy.special.logit((1 + np.sqrt(1 - 4 * 0.25 * SATURATION)) / 2)),
    # tanh' = 1 - t^2 = 0.05  =>  z = artanh(sqrt(0.95))
    ("tanh", 1.0, np.arctanh(np.sqrt(1 - SATURATION))),
])
def test_saturation_edge_matches_the_closed_form(name, peak, closed_form):
    edge = saturation_edge(name)
    assert edge == pytest.approx(closed_form, abs=2e-3)
    deriv = {"sigmoid": sigmoid_derivative, "tanh": tanh_derivative}[name]
    assert deriv(edge + 0.01) < SATURATION * peak < deriv(edge - 0.01)


def test_relu_has_no_saturation_edge():
    assert saturation_edge("relu") is None
    assert "never saturates" in activation_caption("relu", 5.0)


def test_caption_says_when_the_range_is_too_narrow_to_saturate():
    assert "widen the range" in activation_caption("sigmoid", 3.0)
    assert "saturated" in activation_caption("sigmoid", 8.0)


def test_activation_explorer_follows_its_controls():
    w = activation_explorer()
    caption, image = w.caption.value, w.image.value
    assert caption.startswith(live("sigmoid")[:-6]) and image[:4] == b"\x89PNG"
    w.controls["activation"].value = "tanh"
    assert w.caption.value.startswith(live("tanh")[:-6]) and w.image.value != image
    image = w.image.value
    w.controls["z_max"].value = 12.0
    assert "[-12, 12]" in w.caption.value and w.image.value != image
    assert all(c.description for c in w.controls.values())


def test_softmax_explorer_follows_its_controls():
    w = softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0))
    assert "pedestrian" in w.caption.value
    image = w.image.value
    w.controls["truck"].value = 5.0
    assert "truck" in w.caption.value and w.image.value != image
    before = w.caption.value
    w.controls["temperature"].value = 5.0  # a high temperature flattens the probabilities
    assert w.caption.value != before and "T = 5" in w.caption.value
    assert set(w.controls) == {*CLASSES, "temperature"}


def test_softmax_caption_reports_the_argmax_probability():
    z = np.array([0.5, 3.0, -1.0, 0.0])
    p = np.exp(z) / np.exp(z).sum()
    want = f"Predicted class: car (p = {p[1]:.2f}); softmax(z / T) with T = 1."
    assert softmax_caption(z) == want
    p2 = np.exp(z / 2) / np.exp(z / 2).sum()
    assert f"p = {p2[1]:.2f}" in softmax_caption(z, temperature=2.0)


def test_plots_have_titles_labels_and_legends():
    from matplotlib.figure import Figure

    for draw in (lambda ax: plot_activation("tanh", 6.0, ax),
                 lambda ax: plot_softmax_bars([1.0, 2.0, 0.0, -1.0], 1.0, ax)):
        ax = Figure().subplots()
        draw(ax)
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert ax.get_legend() is not None


@pytest.mark.parametrize("call, match", [
    (lambda: activation_caption("softplus", 6.0), "activation_caption: unknown activation"),
    (lambda: plot_activation("tanh", -1.0), "plot_activation: z_max must be a positive number"),
    (lambda: softmax_caption([1.0, 2.0]), r"softmax_caption: expected 4 logits.*shape \(2,\)"),
    (lambda: softmax_caption([1.0, 2.0, 3.0, 4.0], 0.0), "temperature must be positive"),
])
def test_bad_input_raises_value_error_naming_the_function(call, match):
    with pytest.raises(ValueError, match=match):
        call()
