"""The CNN view: parameter bars, the ILSVRC chart, filter and feature-map grids, the explorer."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.views.cnn import (
    HUMAN_TOP5,
    ILSVRC_RUNNER_UP,
    ILSVRC_SOURCE,
    ILSVRC_TOP5,
    layer_explorer,
    layer_rows,
    plot_ilsvrc_top5,
    plot_params_per_layer,
)
from course_lib.views.feature_maps import plot_feature_maps, plot_filters


class _Layer:
    def __init__(self, name, output_shape, shapes):
        self.name, self.output_shape, self._shapes = name, output_shape, shapes

    def param_shapes(self):
        return self._shapes

    def count_params(self):
        return int(sum(np.prod(s) for s in self._shapes))


class _Model:
    """LeNet-5's layers as on the slide (28x28x1 input padded to keep 28x28 after conv1)."""
    layers = [_Layer("conv1", (28, 28, 6), [(6, 5, 5, 1), (6,)]),
              _Layer("pool1", (14, 14, 6), []),
              _Layer("conv2", (10, 10, 16), [(16, 5, 5, 6), (16,)]),
              _Layer("pool2", (5, 5, 16), []),
              _Layer("flatten", (400,), []),
              _Layer("fc1", (120,), [(120, 400), (120,)])]


def test_ilsvrc_numbers_are_the_published_ones():
    assert [(y, e) for y, _, e in ILSVRC_TOP5] == [(2010, 28.2), (2011, 25.8), (2012, 16.4),
                                                   (2013, 11.7), (2014, 6.7), (2015, 3.57)]
    assert ILSVRC_RUNNER_UP == ((2014, "VGG", 7.3),)
    assert HUMAN_TOP5 == 5.1
    assert "Russakovsky" in ILSVRC_SOURCE and "IJCV" in ILSVRC_SOURCE


def test_ilsvrc_plot_is_labelled_and_cites_source():
    fig = plot_ilsvrc_top5()
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("human" in label for label in labels) and any("VGG" in lab for lab in labels)
    heights = [p.get_height() for p in ax.patches]
    assert heights == [e for _, _, e in ILSVRC_TOP5]
    assert any("Russakovsky" in t.get_text() for t in fig.texts)
    plt.close(fig)


def test_params_plot_shows_counts_and_shares():
    fig = plot_params_per_layer(["a", "b", "c"], [100, 0, 300], "toy", highlight=2)
    ax = fig.axes[0]
    assert ax.get_title() == "toy: 400 parameters in all"
    assert [p.get_width() for p in ax.patches] == [100, 0, 300]
    assert [t.get_text() for t in ax.texts] == ["100 (25.0%)", "300 (75.0%)"]
    assert ax.patches[2].get_facecolor() != ax.patches[0].get_facecolor()
    plt.close(fig)
    with pytest.raises(ValueError, match="plot_params_per_layer: 2 names but 3 counts"):
        plot_params_per_layer(["a", "b"], [1, 2, 3], "bad")


def test_filters_and_feature_maps_grids(rng):
    fig = plot_filters(rng.normal(size=(6, 5, 5, 1)))
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 6 and "6 filters of 5x5x1" in fig._suptitle.get_text()
    plt.close(fig)
    fig = plot_feature_maps(rng.normal(size=(10, 10, 4)), image=rng.random((14, 14)))
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 5 and shown[0].get_title() == "input"
    plt.close(fig)
    with pytest.raises(ValueError, match=r"plot_filters: .*got shape \(5, 5, 1\)"):
        plot_filters(np.zeros((5, 5, 1)))
    with pytest.raises(ValueError, match=r"plot_feature_maps: .*got shape \(1, 4, 4, 2\)"):
        plot_feature_maps(np.zeros((1, 4, 4, 2)))


def test_layer_rows_reads_shapes_and_counts():
    rows = layer_rows(_Model())
    assert [r["params"] for r in rows] == [156, 0, 2416, 0, 0, 48120]
    assert rows[0]["output_shape"] == (28, 28, 6)


def test_layer_explorer_caption_follows_the_dropdown():
    box = layer_explorer(_Model(), "LeNet-5")
    assert "conv1" in box.caption.value and "6 x 5 x 5 x 1 + 6 = 156" in box.caption.value
    png = box.image.value
    box.layer.value = 5
    assert "120 x 400 + 120 = 48,120" in box.caption.value
    assert "output shape 120" in box.caption.value
    assert box.image.value != png
    box.layer.value = 1
    assert "0 (this layer has nothing to learn)" in box.caption.value


def test_layer_explorer_on_course_lib_vgg16():
    models = pytest.importorskip("course_lib.nn.architectures")
    box = layer_explorer(models.vgg16(), "VGG16")
    names = [label for label, _ in box.layer.options]
    fc = next(i for i, label in enumerate(names) if "Dense" in label)
    box.layer.value = fc
    assert "102,764,544" in box.caption.value and "138,357,544" in box.caption.value
