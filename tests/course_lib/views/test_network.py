"""The MLP explorer and its parameter arithmetic, against a loop over weight matrices."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.views.network import (
    draw_network,
    mlp_layer_params,
    mlp_param_text,
    network_explorer,
)


@pytest.mark.parametrize("widths, per_layer, total", [
    ([784, 10, 10], [7850, 110], 7960),
    ([784, 500, 10], [392500, 5010], 397510),
    ([784, 500, 300, 10], [392500, 150300, 3010], 545810),
])
def test_the_lecture_networks(widths, per_layer, total):
    assert mlp_layer_params(widths) == per_layer
    assert mlp_param_text(widths).endswith(f"= {total:,} parameters")


@given(st.lists(st.integers(1, 60), min_size=2, max_size=6))
def test_counts_match_the_sizes_of_real_weight_arrays(widths):
    # independent reference: build the (units, inputs) weights and (units,) biases and count
    pairs = zip(widths[:-1], widths[1:], strict=True)
    arrays = [(np.zeros((b, a)), np.zeros(b)) for a, b in pairs]
    assert mlp_layer_params(widths) == [w.size + b.size for w, b in arrays]


@pytest.mark.parametrize("widths, error, match", [
    ([784], ValueError, r"mlp_layer_params: expected at least two widths.*\[784\]"),
    ([], ValueError, "at least two widths"),
    ([784, 0, 10], ValueError, r"at least one unit.*bad: \[0\]"),
    ([784, -5, 10], ValueError, r"bad: \[-5\]"),
    ([784, 2.5, 10], TypeError, r"mlp_layer_params: widths\[1\] must be a whole number"),
    ("784", TypeError, "must be a list of layer widths"),
])
def test_bad_widths(widths, error, match):
    with pytest.raises(error, match=match):
        mlp_layer_params(widths)


def test_explorer_follows_its_controls():
    w = network_explorer(n_inputs=784, n_outputs=10, hidden=(500, 300))
    assert "= 545,810 parameters" in w.caption.value
    image = w.image.value
    assert image[:4] == b"\x89PNG"
    w.controls["layers"].value = 1
    assert "= 397,510 parameters" in w.caption.value and w.image.value != image
    assert w.controls["hidden 2"].disabled and not w.controls["hidden 1"].disabled
    w.controls["hidden 1"].value = 10
    assert "= 7,960 parameters" in w.caption.value
    w.controls["layers"].value = 0
    assert "total: 7,850 parameters" in w.caption.value
    assert all(c.description for c in w.controls.values())


def test_explorer_refuses_too_many_hidden_layers():
    with pytest.raises(ValueError, match="network_explorer: 2 hidden widths"):
        network_explorer(hidden=(20, 10), max_hidden=1)


def test_drawing_has_a_title_with_the_total():
    from matplotlib.figure import Figure

    ax = draw_network([4, 3, 2], Figure().subplots())
    assert ax.get_title() == "4-3-2: 23 parameters (per layer above the links)"
    assert ax.get_legend() is not None
