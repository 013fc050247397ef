"""Tests of the step-by-step convolution: conv_step_state's numbers and the explorer."""

import asyncio

import ipywidgets as widgets
import numpy as np
import pytest

from course_lib import conv2d_loops
from course_lib.views.conv_step import conv_step_explorer, conv_step_state


def _window_sums(x, w, stride, pad):
    """Independent reference: the output of a 2-D cross-correlation, written with loops."""
    xp = np.pad(x, pad)
    f = w.shape[0]
    size = (xp.shape[0] - f) // stride + 1
    return np.array([[np.sum(xp[i * stride:i * stride + f, j * stride:j * stride + f] * w)
                      for j in range(size)] for i in range(size)])


@pytest.mark.parametrize("s, p", [(1, 0), (2, 0), (3, 1), (1, 2)])
def test_state_at_the_last_position_is_the_whole_convolution(s, p):
    x = np.random.default_rng(1).integers(-3, 4, (7, 7))
    w = np.random.default_rng(2).integers(-2, 3, (3, 3))
    state = conv_step_state(x, w, s, p, position=10**6)  # clipped to the last window
    want = _window_sums(x, w, s, p)
    np.testing.assert_array_equal(state["output"], want)
    np.testing.assert_array_equal(state["output"], conv2d_loops(x, w, stride=s, pad=p))
    assert state["position"] == want.size - 1 and state["value"] == want[-1, -1]


def test_state_fills_the_output_up_to_the_position_in_row_major_order():
    x, w = np.arange(49.0).reshape(7, 7), np.ones((3, 3))
    state = conv_step_state(x, w, position=7)
    assert (state["row"], state["col"], state["count"]) == (1, 2, 5)
    assert np.isfinite(state["output"]).sum() == 8
    np.testing.assert_array_equal(state["window"], x[1:4, 2:5])
    np.testing.assert_array_equal(state["products"], x[1:4, 2:5] * w)
    assert state["message"] is None


def test_state_says_why_stride_3_does_not_fit():
    state = conv_step_state(np.zeros((7, 7)), np.ones((3, 3)), stride=3)
    assert state["count"] == 2 and "2.33 is not a whole number" in state["message"]


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


@pytest.mark.parametrize("call, words", [
    (lambda: conv_step_explorer(np.zeros((7, 7, 3))), "conv_step_explorer: expected"),
    (lambda: conv_step_explorer(np.zeros((3, 3)), np.ones((5, 5))), "F <= N"),
])
def test_bad_input_names_the_function(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_the_play_toggle_is_named_and_steps_without_an_event_loop():
    ex = conv_step_explorer()
    play, position = ex.controls["play"], ex.controls["position"]
    assert isinstance(play, widgets.ToggleButton) and play.description == "play"
    play.value = True
    assert position.value == 1 and play.value is False and play.description == "play"


def test_the_play_toggle_steps_to_the_end_in_the_kernels_event_loop():
    ex = conv_step_explorer(interval=0.001)
    play, position = ex.controls["play"], ex.controls["position"]

    async def press_and_wait():
        play.value = True
        assert play.description == "pause"
        for _ in range(500):
            await asyncio.sleep(0.002)
            if not play.value:
                break

    asyncio.run(press_and_wait())
    assert position.value == position.max == 24 and play.description == "play"
    assert "(row 4, column 4)" in ex.caption.value
