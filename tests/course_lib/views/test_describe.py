"""Every figure of course_lib.views has a text alternative written from its data.

Each public plotting function of the views (``plot_*``, ``draw_*``, ``show_*`` that draw, every
``*_explorer`` and the drawing pad) is called here with small inputs; a function that is not in
the tables fails ``test_every_plotting_function_is_walked``, so a new plot without a text
alternative cannot slip in. The inline display path is checked through IPython's own
formatter, as ``plt.show()`` in a notebook reaches it.
"""

import importlib
import inspect
import pkgutil
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import course_lib.views as views
from course_lib import lenet5
from course_lib.data.drawn import SAMPLE_STROKES
from course_lib.views.activations import (
    activation_explorer,
    plot_activation,
    plot_softmax_bars,
    softmax_explorer,
)
from course_lib.views.cnn import layer_explorer, plot_ilsvrc_top5, plot_params_per_layer
from course_lib.views.conv_geometry import plot_positions, plot_strides, predict_reveal_explorer
from course_lib.views.conv_step import conv_step_explorer
from course_lib.views.convolution import plot_image_grid, plot_volumes
from course_lib.views.describe import describe, description_of, figure_bundle
from course_lib.views.drawpad import draw_pad
from course_lib.views.feature_maps import plot_feature_maps, plot_filters
from course_lib.views.mistakes import misclassified_explorer, show_misclassified
from course_lib.views.network import draw_network, network_explorer
from course_lib.views.perceptron import draw_decision, draw_layer, perceptron_explorer
from course_lib.views.pooling import LECTURE_EXAMPLE, plot_pooling, pooling_explorer
from course_lib.views.training import plot_confusion_matrix, plot_losses

PLOTTING = re.compile(r"^(plot_|draw_|show_)|_explorer$")
NOT_A_PLOT = {"show_widget", "show_figure"}   # they show what they are given
R = np.random.default_rng(0)
Y = np.array([3, 1, 3, 0, 7, 7])
P = np.eye(10)[[5, 1, 8, 0, 7, 1]] * 0.7 + 0.03
CURVES = {"model 1": {"loss": [0.5, 0.3, 0.2], "val_loss": [0.4, 0.3, 0.35],
                      "accuracy": [0.8, 0.9, 0.95], "val_accuracy": [0.85, 0.9, 0.88]},
          "model 2": {"loss": [0.6, 0.2, 0.1], "val_loss": [0.5, 0.06, 0.12]}}


def _ax():
    return plt.subplots()[1]


PLOTS = {
    "draw_decision": lambda: draw_decision(_ax(), -1.5, 1, 1),
    "draw_layer": lambda: draw_layer(_ax(), [[1, -2], [0, 0.5]], [0.5, -1]),
    "plot_activation": lambda: plot_activation("tanh", 6.0),
    "plot_softmax_bars": lambda: plot_softmax_bars([2.0, 1.0, 0.1, -1.0]),
    "draw_network": lambda: draw_network([784, 30, 10]),
    "plot_image_grid": lambda: plot_image_grid([R.normal(size=(5, 5)), R.random((5, 5, 3))],
                                               ["edges", "colour"], "two maps"),
    "plot_volumes": lambda: plot_volumes([(32, 32, 3), (28, 28, 6)], ["CONV 6 5x5x3"]),
    "plot_positions": lambda: plot_positions(7, 3, stride=3),
    "plot_strides": lambda: plot_strides(7, 3, strides=(1, 2)),
    "plot_ilsvrc_top5": plot_ilsvrc_top5,
    "plot_params_per_layer": lambda: plot_params_per_layer(["conv", "pool", "fc"],
                                                           [156, 0, 48120], "toy", highlight=0),
    "plot_filters": lambda: plot_filters(R.normal(size=(4, 3, 3, 1))),
    "plot_feature_maps": lambda: plot_feature_maps(np.maximum(R.normal(size=(6, 6, 3)), 0),
                                                   image=R.random((6, 6))),
    "plot_pooling": lambda: plot_pooling(LECTURE_EXAMPLE),
    "plot_losses": lambda: plot_losses(CURVES),
    "plot_confusion_matrix": lambda: plot_confusion_matrix(Y, P.argmax(axis=1)),
    "show_misclassified": lambda: show_misclassified(R.random((6, 28, 28)), Y, P),
}


class SevenModel:
    """Says 7 with probability 0.8 for any input (enough for the pad's pictures)."""

    input_shape = (None, 784)

    def predict(self, x):
        return np.tile(np.eye(10)[7] * 0.78 + 0.02, (len(x), 1))


def _revealed():
    box = predict_reveal_explorer(7, 3, 3, 0)
    box.controls["guess"].value = "2"
    box.controls["reveal"].click()
    return box


def _drawn():
    box = draw_pad(SevenModel())
    box.pad.draw(SAMPLE_STROKES[7])
    return box.pad


EXPLORERS = {
    "perceptron_explorer": lambda: perceptron_explorer().children[2],
    "activation_explorer": lambda: activation_explorer().image,
    "softmax_explorer": lambda: softmax_explorer().image,
    "network_explorer": lambda: network_explorer().image,
    "conv_step_explorer": lambda: conv_step_explorer().image,
    "predict_reveal_explorer": lambda: _revealed().image,
    "pooling_explorer": lambda: pooling_explorer().image,
    "layer_explorer": lambda: layer_explorer(lenet5()).image,
    "misclassified_explorer": lambda: misclassified_explorer(R.random((6, 28, 28)), Y, P).image,
    "draw_pad": lambda: _drawn().image,
}


def _public_plotting_functions():
    found = set()
    for info in pkgutil.iter_modules(views.__path__):
        module = importlib.import_module(f"course_lib.views.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            if (obj.__module__ == module.__name__ and PLOTTING.search(name)
                    and name not in NOT_A_PLOT and not name.startswith("_")):
                found.add(name)
    return found


def test_every_plotting_function_is_walked():
    missing = _public_plotting_functions() - set(PLOTS) - set(EXPLORERS)
    assert not missing, (f"new plotting functions {sorted(missing)}: add them to PLOTS or "
                         "EXPLORERS here with small inputs, and describe() what they draw")


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_every_plot_has_a_text_alternative_from_its_data(name):
    result = PLOTS[name]()
    fig = result if isinstance(result, Figure) else result.get_figure(root=True)
    try:
        text = description_of(fig)
        assert text, f"{name} draws a figure without a text alternative: call describe()"
        assert re.search(r"\d", text), f"{name}'s text names no value: {text!r}"
        data, meta = DisplayFormatter().format(fig)   # what plt.show() displays
        assert meta["image/png"]["alt"] == text and data["text/plain"] == text
        assert data["text/html"].startswith('<img alt="')
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_image_has_a_text_alternative(name):
    image = EXPLORERS[name]()
    assert bytes(image.value).startswith(b"\x89PNG")
    assert image.tooltip and re.search(r"\d", image.tooltip), (
        f"{name}'s image has no text alternative: show it with show_figure()")


def test_texts_follow_the_data():
    assert "computes AND" in description_of(draw_decision(_ax(), -1.5, 1, 1).figure)
    assert "x2 = 1.5 - 1·x1" in description_of(draw_decision(_ax(), -1.5, 1, 1).figure)
    text = description_of(plot_losses(CURVES, accuracy=False))
    assert "model 2 test loss from 0.5 at epoch 1 to 0.12 at epoch 3, lowest 0.06 at epoch 2" \
        in text
    text = description_of(plot_pooling(LECTURE_EXAMPLE, modes=("max",)))
    assert "max pooling gives [[6, 8], [3, 4]]" in text
    box = pooling_explorer()
    first = box.image.tooltip
    box.window.value = 3
    assert box.image.tooltip != first and "cell (1, 1) = 4" in box.image.tooltip
    plt.close("all")


def test_a_figure_of_several_panels_reads_its_suptitle_then_each_panel():
    fig, (a, b) = plt.subplots(1, 2)
    plot_activation("sigmoid", ax=a)
    plot_activation("relu", ax=b)
    fig.suptitle("Two activations")
    text = description_of(fig)
    assert text.startswith("Two activations. Panel 1 of 2: Plot of sigmoid(z)")
    assert "Panel 2 of 2: Plot of relu(z)" in text
    plt.close(fig)


def test_an_undescribed_figure_shows_as_before():
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    assert description_of(fig) is None
    assert "text/html" not in DisplayFormatter().format(fig)[0]
    plt.close(fig)


def test_describe_refuses_what_it_cannot_attach():
    fig = Figure()
    with pytest.raises(TypeError, match="expected a matplotlib Axes or Figure"):
        describe("fig", "text")
    with pytest.raises(ValueError, match="the text is blank"):
        describe(fig, "  ")
    with pytest.raises(ValueError, match="has no text alternative"):
        figure_bundle(fig)


def test_the_alt_text_is_escaped_in_the_html():
    fig = Figure(figsize=(1, 1))
    describe(fig.subplots(), 'a "quoted" <b>word</b> & more')
    html = figure_bundle(fig)[0]["text/html"]
    assert 'alt="a &quot;quoted&quot; &lt;b&gt;word&lt;/b&gt; &amp; more"' in html
    assert isinstance(fig.axes[0], Axes)


def test_an_empty_explorer_image_is_left_out_rather_than_unnamed():
    box = predict_reveal_explorer(7, 3, 3, 0)
    assert bytes(box.image.value) == b"" and box.image not in box.children
    box.controls["guess"].value = "2"
    box.controls["reveal"].click()
    assert box.image in box.children and "does not fit" in box.image.tooltip
