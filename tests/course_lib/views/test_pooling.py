"""The pooling view: the window-by-window reference, the slide's picture, and the explorer."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from course_lib.views.pooling import (
    LECTURE_EXAMPLE,
    plot_pooling,
    pool_slice_by_windows,
    pooling_explorer,
)


def test_lecture_example_max_and_average():
    assert pool_slice_by_windows(LECTURE_EXAMPLE).tolist() == [[6, 8], [3, 4]]
    np.testing.assert_allclose(pool_slice_by_windows(LECTURE_EXAMPLE, mode="average"),
                               [[13 / 4, 21 / 4], [8 / 4, 8 / 4]])


@settings(max_examples=40, deadline=None)
@given(f=st.integers(1, 4), stride=st.integers(1, 4), h_out=st.integers(1, 5),
       w_out=st.integers(1, 5), seed=st.integers(0, 2**16), mode=st.sampled_from(["max",
                                                                                   "average"]))
def test_matches_sliding_windows(f, stride, h_out, w_out, seed, mode):
    h, w = (h_out - 1) * stride + f, (w_out - 1) * stride + f
    x = np.random.default_rng(seed).normal(size=(h, w))
    windows = sliding_window_view(x, (f, f))[::stride, ::stride]
    want = windows.max(axis=(2, 3)) if mode == "max" else windows.mean(axis=(2, 3))
    np.testing.assert_allclose(pool_slice_by_windows(x, f, stride, mode), want, rtol=1e-6)


def test_agrees_with_course_lib_kernel(rng):
    pooling = pytest.importorskip("course_lib.pooling")
    x = rng.normal(size=(8, 6)).astype(np.float32)
    np.testing.assert_allclose(pool_slice_by_windows(x), pooling.max_pool2d(x, f=2, stride=2))
    np.testing.assert_allclose(pool_slice_by_windows(x, mode="average"),
                               pooling.avg_pool2d(x, f=2, stride=2), rtol=1e-6)


@pytest.mark.parametrize("x, f, stride, mode, match", [
    (np.zeros((2, 4, 4)), 2, 2, "max", r"pool_slice_by_windows: x must be one depth slice"),
    (np.zeros((5, 5)), 2, 2, "max",
     r"pool_slice_by_windows: the 5x5 slice does not fit: .*\(5 - 2\)/2 \+ 1 = 2.50"),
    (np.zeros((4, 4)), 2, 2, "min", r"mode must be 'max' or 'average', got 'min'"),
])
def test_bad_input_is_explained(x, f, stride, mode, match):
    with pytest.raises(ValueError, match=match):
        pool_slice_by_windows(x, f, stride, mode)


def test_plot_pooling_has_titles_and_labels():
    fig = plot_pooling(LECTURE_EXAMPLE)
    axes = fig.axes
    assert len(axes) == 3
    assert all(ax.get_title() and ax.get_xlabel() and ax.get_ylabel() for ax in axes)
    assert "max pool 2x2, stride 2 -> 2x2" in axes[1].get_title()
    texts = [t.get_text() for t in axes[1].texts]
    assert texts == ["6", "8", "3", "4"]
    plt.close(fig)


def test_explorer_moves_window_and_mode():
    box = pooling_explorer()
    first, first_png = box.caption.value, box.image.value
    assert "output cell (0, 0) = max(1, 1, 5, 6) = <b>6</b>" in first
    assert first_png[:8] == b"\x89PNG\r\n\x1a\n"
    box.window.value = 1
    assert "output cell (0, 1) = max(2, 4, 7, 8) = <b>8</b>" in box.caption.value
    assert box.image.value != first_png
    box.mode.value = "average"
    assert "mean(2, 4, 7, 8) = <b>5.25</b>" in box.caption.value
    assert box.window.max == 3


def test_explorer_on_other_input_sizes(rng):
    box = pooling_explorer(rng.integers(0, 9, size=(7, 7)), f=3, stride=2)
    assert box.window.max == 3 * 3 - 1
    box.window.value = 8
    assert "rows 4..6, columns 4..6" in box.caption.value
    with pytest.raises(ValueError, match="pooling_explorer"):
        pooling_explorer(np.zeros((3, 4, 4)))
