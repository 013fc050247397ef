"""Colour-blind-safe plots: the meaningful colour pairs stay apart for deuteranopes and
protanopes (simulated, CIELAB distance), and every meaning carried by colour has a second cue."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from course_lib.views import mistakes
from course_lib.views.activations import plot_softmax_bars
from course_lib.views.cnn import plot_params_per_layer
from course_lib.views.convolution import plot_image_grid
from course_lib.views.describe import description_of
from course_lib.views.palette import (
    NEGATIVE,
    OTHER,
    POSITIVE,
    PREDICTED,
    PREDICTED_HATCH,
    TRUE,
    series_colour,
    simulate,
)
from course_lib.views.perceptron import draw_decision, draw_layer
from course_lib.views.training import plot_losses

KINDS = ("deuteranopia", "protanopia")
APART = 40.0  # CIELAB distance; the old green/red bars of 07 were 7.3 apart for deuteranopes


def _lab(rgb):
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a, b, kind):
    """How far apart two colours look to a reader with ``kind`` colour blindness."""
    return float(np.linalg.norm(_lab(simulate(a, kind)) - _lab(simulate(b, kind))))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pair", [(POSITIVE, NEGATIVE), (TRUE, PREDICTED), (TRUE, OTHER),
                                  (PREDICTED, OTHER), (series_colour(0)[0], series_colour(1)[0]),
                                  (series_colour(0)[0], series_colour(2)[0]),
                                  (series_colour(1)[0], series_colour(2)[0])])
def test_colours_that_carry_a_meaning_stay_apart(pair, kind):
    assert distance(*pair, kind) > APART


def test_the_measure_tells_the_old_red_and_green_apart_from_the_new_colours():
    assert distance(to_hex("tab:green"), to_hex("tab:red"), "deuteranopia") < 10
    assert simulate("#FFFFFF", "deuteranopia") == pytest.approx([1, 1, 1], abs=0.01)


def test_a_negative_weight_is_dashed_and_written_on_its_line():
    ax = draw_layer(plt.subplots()[1], [[1.5, -2.0]], [0.5])
    lines = {line.get_linestyle() for line in ax.lines if line.get_color() == NEGATIVE}
    assert lines == {"--"}
    assert {t.get_text() for t in ax.texts} >= {"+1.5", "-2"}
    plt.close("all")


def test_the_decision_plots_one_side_is_hatched():
    ax = draw_decision(plt.subplots()[1], -1.5, 1, 1)
    assert ["..."] in [list(getattr(c, "hatches", [])) for c in ax.collections]
    assert "blue circles" in description_of(ax.figure)
    plt.close("all")


def test_the_predicted_bar_is_hatched_and_labelled():
    ax = plot_softmax_bars([2.0, 1.0, 0.1, -1.0])
    assert [p.get_hatch() for p in ax.patches[:4]] == [PREDICTED_HATCH, None, None, None]
    fig = plot_params_per_layer(["a", "b"], [10, 20], "t", highlight=1)
    assert [p.get_hatch() for p in fig.axes[0].patches[:2]] == [None, PREDICTED_HATCH]
    plt.close("all")


def test_the_mistakes_bars_say_true_and_predicted_in_words_and_hatching(monkeypatch):
    shown = []
    monkeypatch.setattr(mistakes, "show_figure", lambda image, fig: shown.append(fig))
    mistakes.misclassified_explorer(np.zeros((2, 28, 28)), [3, 1], np.eye(10)[[5, 1]])
    bars = shown[-1].axes[1]
    assert bars.patches[5].get_hatch() == PREDICTED_HATCH and bars.patches[3].get_hatch() is None
    assert {t.get_text() for t in bars.texts} == {"true", "predicted"}


def test_signed_maps_have_a_colorbar():
    fig = plot_image_grid([np.eye(3) - 0.5, np.ones((3, 3))], ["edges", "flat"], "maps")
    assert len(fig.axes) == 4 and fig.axes[2].get_ylabel() == "value"
    plt.close(fig)


def test_each_models_curves_have_their_own_marker():
    fig = plot_losses({"model 1": {"loss": [1, 0.5]}, "model 2": {"loss": [1, 0.4]}},
                      accuracy=False)
    markers = [line.get_marker() for line in fig.axes[0].lines]
    assert len(set(markers)) == 2
    plt.close(fig)
