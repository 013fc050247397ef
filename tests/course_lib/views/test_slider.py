"""The named sliders: ipywidgets' API for the explorers, a labelled native range input in the
browser (tests/integration/browser/test_browser_a11y.py checks the name with axe-core)."""

import ipywidgets
import numpy as np
import pytest
import traitlets

from course_lib.views.activations import activation_explorer, softmax_explorer
from course_lib.views.conv_step import conv_step_explorer
from course_lib.views.mistakes import misclassified_explorer
from course_lib.views.network import network_explorer
from course_lib.views.perceptron import perceptron_explorer
from course_lib.views.pooling import pooling_explorer
from course_lib.views.slider import SLIDER_CLASS, FloatSlider, IntSlider


def test_the_view_is_a_labelled_native_range_input():
    esm = IntSlider(description="n")._esm
    assert 'input.type = "range"' in esm and "label.htmlFor = id" in esm
    assert "aria-valuetext" in esm and SLIDER_CLASS in esm


def test_value_stays_inside_the_range_as_ipywidgets_keeps_it():
    s = IntSlider(0, 0, 24, description="position")
    s.value = 30
    assert s.value == 24
    s.max = 3
    assert s.value == 3
    f = FloatSlider(value=0.25, min=-5, max=5, step=0.1, description="T")
    f.value = -9
    assert f.value == -5.0 and isinstance(f.value, float)
    with pytest.raises(traitlets.TraitError, match="min 6 is above max 3"):
        s.min = 6


def test_observe_sees_each_change_once():
    s = IntSlider(1, 0, 5, description="window")
    seen = []
    s.observe(lambda c: seen.append(c["new"]), "value")
    s.value += 1
    s.value = 2
    assert seen == [2]


def test_a_slider_without_a_description_is_refused():
    with pytest.raises(ValueError, match="needs a description"):
        FloatSlider(1.0)


def _explorers():
    probs = np.full((4, 10), 0.1)
    yield activation_explorer()
    yield softmax_explorer()
    yield perceptron_explorer()
    yield network_explorer()
    yield misclassified_explorer(np.zeros((4, 28, 28)), [0, 1, 2, 3], probs)
    yield pooling_explorer()
    yield conv_step_explorer()


def _widgets(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _widgets(child)


UNNAMED = (ipywidgets.IntSlider, ipywidgets.FloatSlider, ipywidgets.FloatLogSlider,
           ipywidgets.SelectionSlider, ipywidgets.IntRangeSlider, ipywidgets.FloatRangeSlider)


def test_every_slider_of_the_explorers_is_a_named_one():
    found = 0
    for box in _explorers():
        for w in _widgets(box):
            assert not isinstance(w, UNNAMED), (
                f"{type(w).__name__} {getattr(w, 'description', '')!r}: an ipywidgets slider "
                "has no accessible name; use course_lib.views.slider")
            if isinstance(w, IntSlider | FloatSlider):
                assert w.description.strip()
                found += 1
    assert found >= 12
