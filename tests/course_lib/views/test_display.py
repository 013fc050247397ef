"""course_lib.views.display: show_widget degrades to a message, PNGs, explorer_box wiring."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import lenet5
from course_lib.views import show_widget
from course_lib.views.activations import activation_explorer, softmax_explorer
from course_lib.views.cnn import layer_explorer
from course_lib.views.conv_geometry import predict_reveal_explorer
from course_lib.views.conv_step import conv_step_explorer
from course_lib.views.describe import describe
from course_lib.views.display import (
    EXPLORER_CLASS,
    explorer_box,
    live,
    new_figure,
    png_bytes,
    show_figure,
)
from course_lib.views.mistakes import misclassified_explorer
from course_lib.views.network import network_explorer
from course_lib.views.perceptron import perceptron_explorer
from course_lib.views.pooling import pooling_explorer
from course_lib.views.slider import NativeKeys


def test_show_widget_without_a_front_end_prints_the_description(capsys):
    w = widgets.IntSlider()
    assert show_widget(w, "a slider") is w
    assert capsys.readouterr().out.strip() == (
        "Interactive explorer: a slider (open this notebook in JupyterLab to use it).")


def test_png_bytes_closes_pyplot_figures():
    fig = plt.figure()
    fig.add_subplot().plot([0, 1])
    assert png_bytes(fig).startswith(b"\x89PNG")
    assert not plt.fignum_exists(fig.number)


def test_new_figure_draws_on_a_figure_pyplot_never_sees():
    before = plt.get_fignums()
    fig = new_figure(lambda fig: fig.subplots().plot([1, 2]), figsize=(2, 2), dpi=50)
    assert fig.axes and plt.get_fignums() == before


def test_show_figure_puts_the_png_and_its_text_into_the_image():
    image = widgets.Image(format="png")
    fig = new_figure(lambda fig: describe(fig.subplots(), "a rising line"), figsize=(2, 2))
    show_figure(image, fig)
    assert bytes(image.value).startswith(b"\x89PNG") and image.tooltip == "a rising line"


def test_show_figure_refuses_a_figure_without_a_text_alternative():
    image = widgets.Image(format="png")
    with pytest.raises(ValueError, match="has no text alternative"):
        show_figure(image, new_figure(lambda fig: fig.subplots().plot([1, 2])))
    assert image.value == b""


def test_explorer_box_redraws_on_every_control():
    calls = []
    slider, caption, image = widgets.IntSlider(), widgets.HTML(), widgets.Image()
    box = explorer_box([slider, caption, image], {"n": slider}, caption, image,
                       lambda _change=None: calls.append(slider.value))
    assert calls == [0]  # drawn once at the start
    slider.value = 3
    assert calls == [0, 3]
    assert box.controls == {"n": slider} and box.caption is caption and box.image is image
    assert list(box.children) == [slider, caption, image]


def _controls(widget):
    """Every widget in an explorer's tree, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


EXPLORERS = {
    "perceptron": lambda: perceptron_explorer(),
    "activation": lambda: activation_explorer(),
    "softmax": lambda: softmax_explorer(),
    "network": lambda: network_explorer(),
    "conv_step": lambda: conv_step_explorer(),
    "predict_reveal": lambda: predict_reveal_explorer(),
    "pooling": lambda: pooling_explorer(),
    "layer": lambda: layer_explorer(lenet5()),
    "misclassified": lambda: misclassified_explorer(np.zeros((3, 28, 28)), [1, 2, 3],
                                                    np.eye(10)[[1, 7, 3]]),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_has_a_name_and_the_caption_is_a_polite_live_region(name):
    box = EXPLORERS[name]()
    kinds = (widgets.widget_int._Int, widgets.widget_float._Float, widgets.Dropdown,
             widgets.ToggleButtons, widgets.Text)
    for w in _controls(box):
        assert not isinstance(w, widgets.Play), f"{name}: Play's icon-only buttons have no name"
        if isinstance(w, kinds):
            assert w.description.strip(), f"{name}: a {type(w).__name__} without a name"
        if isinstance(w, widgets.Button):
            assert (w.description or w.tooltip or "").strip(), f"{name}: an unnamed button"
    captions = [w.value for w in _controls(box) if isinstance(w, widgets.HTML)]
    assert any('role="status" aria-live="polite"' in c for c in captions), name


def test_show_widget_displays_the_explorer_with_its_focus_ring(monkeypatch):
    import IPython
    import IPython.display

    shown, boxes = [], []

    class Box(widgets.VBox):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            boxes.append(self)

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append(data))
    monkeypatch.setattr(widgets, "VBox", Box)
    slider = widgets.IntSlider(description="n")
    assert show_widget(slider, "a slider") is slider
    (data,), (root,) = shown, boxes
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == root.model_id
    inner, style, keys = root.children
    assert inner is slider and root._dom_classes == (EXPLORER_CLASS,)
    assert isinstance(keys, NativeKeys), "the arrows stay in the explorer's drop-downs"
    assert ".noUi-handle:focus" in style.value and "outline: 3px solid" in style.value
    assert data["text/plain"].startswith("Interactive explorer: a slider")


def test_live_wraps_a_caption_in_a_status_region():
    assert live("x") == '<div role="status" aria-live="polite">x</div>'
