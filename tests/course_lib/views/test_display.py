"""course_lib.views.display: show_widget degrades to a message, PNGs, explorer_box wiring."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from course_lib.views import show_widget
from course_lib.views.describe import describe
from course_lib.views.display import explorer_box, new_figure, png_bytes, show_figure


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
