"""The drawing pad without a browser: strokes in, the MNIST-like image, probabilities and maps out.

The mouse is played by calling the pad's event handlers (what ipycanvas calls on mouse
events); tests/browser/test_browser_drawpad.py draws with a real mouse in JupyterLab.
"""

import numpy as np
import pytest

from course_lib import Activation, Dense, RMSprop, Sequential, lenet5, load_mnist, one_hot
from course_lib.data.drawn import SAMPLE_STROKES, preprocess_digit, strokes_to_ink
from course_lib.views import show_widget
from course_lib.views.display import live
from course_lib.views.drawpad import (
    EMPTY,
    DrawPad,
    draw_pad,
    prediction_text,
    read_digit,
)
from course_lib.views.feature_maps import feature_maps
from course_lib.views.keypad import GRID, PAD_LABEL


class FixedModel:
    """Returns the same probabilities for any input and remembers the input's shape."""

    def __init__(self, probs, input_shape=(None, 784)):
        self.probs, self.input_shape, self.seen = np.asarray(probs), input_shape, []

    def predict(self, x):
        self.seen.append(x.copy())
        return np.tile(self.probs, (len(x), 1))


SEVEN = np.eye(10)[7] * 0.8 + 0.02


@pytest.fixture(scope="module")
def mlp():
    """A 784-100-10 network trained for 2 epochs on 10,000 MNIST images (about 91%)."""
    (x, y), _ = load_mnist()
    model = Sequential(seed=0)
    model.add(Dense(100, input_dim=784))
    model.add(Activation("relu"))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop())
    model.fit(x[:10000].reshape(-1, 784), one_hot(y[:10000], 10), epochs=2, batch_size=128,
              verbose=0)
    return model


def test_prediction_text_names_the_top_digits():
    assert prediction_text(SEVEN, "LeNet-5") == (
        "LeNet-5 says 7 (seven) with probability 0.82; then 0 (0.02), 1 (0.02).")
    assert prediction_text(SEVEN, top=1) == "the model says 7 (seven) with probability 0.82."
    assert prediction_text(SEVEN[None]) == prediction_text(SEVEN), "predict's (1, 10) works"
    with pytest.raises(ValueError, match=r"expected 10 probabilities .*got shape \(2, 10\)"):
        prediction_text(np.stack([SEVEN, SEVEN]))
    with pytest.raises(ValueError, match=r"got shape \(9,\)"):
        prediction_text(np.zeros(9))


@pytest.mark.parametrize("input_shape, batch", [((None, 784), (1, 784)),
                                                ((None, 28, 28, 1), (1, 28, 28, 1))])
def test_read_digit_feeds_the_preprocessed_drawing_in_the_models_shape(input_shape, batch):
    model = FixedModel(SEVEN, input_shape)
    ink = strokes_to_ink(SAMPLE_STROKES[7])
    reading = read_digit(model, ink, "model 2")
    assert reading["text"].startswith("model 2 says 7 (seven)")
    assert np.array_equal(reading["digit"], preprocess_digit(ink))
    assert model.seen[0].shape == batch
    assert np.array_equal(model.seen[0].ravel(), reading["digit"].ravel())


def test_read_digit_of_an_empty_pad_says_so_without_asking_the_model():
    model = FixedModel(SEVEN)
    assert read_digit(model, np.zeros((280, 280))) == {"digit": None, "probs": None,
                                                       "text": EMPTY}
    assert model.seen == []


@pytest.mark.parametrize("digit", sorted(SAMPLE_STROKES))
def test_a_trained_network_reads_the_drawn_digits(digit, mlp):
    reading = read_digit(mlp, strokes_to_ink(SAMPLE_STROKES[digit]), "mlp")
    assert int(np.argmax(reading["probs"])) == digit, reading["text"]


def test_feature_maps_follow_lenet5_through_its_conv_and_pool_layers(rng):
    model = lenet5(input_shape=(28, 28, 1), seed=0)
    digit = rng.random((28, 28)).astype(np.float32)
    maps = feature_maps(model, digit)
    assert [t for t, _ in maps] == ["layer 0: Conv2D", "layer 1: MaxPooling2D",
                                    "layer 2: Conv2D", "layer 3: MaxPooling2D"]
    x = digit.reshape(1, 28, 28, 1)
    for layer, (_, m) in zip(model.layers, maps, strict=False):
        x = layer.forward(x)
        assert np.array_equal(m, x[0])
    mlp_like = FixedModel(SEVEN)
    mlp_like.layers = [Dense(10, input_dim=784)]
    assert feature_maps(mlp_like, digit) == []


def test_the_pad_draws_with_the_mouse_and_predicts_after_each_stroke():
    model = FixedModel(SEVEN)
    pad = draw_pad(model, "model 2").pad
    assert "Draw a digit" in pad.caption.value and pad.image.layout.visibility == "hidden"
    pad.pen_move(10, 10)                       # moving without the button pressed draws nothing
    assert pad.strokes == []
    pad.pen_down(70, 50)
    pad.pen_move(210, 50)
    assert model.seen == [], "no prediction while the stroke goes on"
    pad.pen_up(120, 250)
    assert pad.strokes == [[(70.0, 50.0), (210.0, 50.0), (120.0, 250.0)]]
    assert np.array_equal(pad.ink(), strokes_to_ink(SAMPLE_STROKES[7]))
    assert "model 2 says 7 (seven) with probability 0.82" in pad.caption.value
    assert pad.image.value[:4] == b"\x89PNG" and pad.image.layout.visibility == "visible"
    assert pad.maps.children == ()
    pad.pen_down(200, 200)
    pad.pen_up(200, 200)                        # mouse out ends a stroke as mouse up does
    pad.pen_up(5, 5)
    assert len(pad.strokes) == 2 and len(model.seen) == 2


def test_clear_wipes_the_pad_and_an_empty_pad_asks_for_a_digit():
    pad = DrawPad(FixedModel(SEVEN))
    pad.draw(SAMPLE_STROKES[4])
    pad.clear_button.click()
    assert pad.strokes == [] and pad.reading is None
    assert pad.caption.value.startswith(live("Cleared")[:-6])
    assert pad.image.layout.visibility == "hidden", "hidden, its place kept (no jump)"
    assert (pad.image.layout.width, pad.image.layout.height) == ("416px", "176px")
    pad.update()
    assert pad.caption.value == live(f"<b>{EMPTY}</b>")
    assert pad.canvas_ink() is None, "no browser sent the canvas's pixels"


def test_the_pad_shows_the_feature_maps_of_the_drawn_digit():
    model = lenet5(input_shape=(28, 28, 1), seed=0)
    pad = draw_pad(model, "LeNet-5", maps=True).pad
    assert pad.canvas.width == pad.canvas.height == 280 and pad.canvas.sync_image_data
    pad.draw(SAMPLE_STROKES[1])
    assert pad.caption.value.startswith(live("<b>LeNet-5 says ")[:-6])
    assert len(pad.maps.children) == 4
    assert all(img.value[:4] == b"\x89PNG" for img in pad.maps.children)
    pad.clear()
    assert pad.maps.layout.visibility == "hidden" and len(pad.maps.children) == 4, (
        "Clear hides the maps in their place: removing them made the page jump")
    pad.draw(SAMPLE_STROKES[7])
    assert pad.maps.layout.visibility == "visible"


def test_without_a_front_end_the_pad_prints_what_it_is(capsys):
    box = show_widget(draw_pad(FixedModel(SEVEN)), "draw a digit and see model 2's guess")
    assert "Interactive explorer: draw a digit and see model 2's guess" in capsys.readouterr().out
    assert box.pad.caption.value


def test_the_keyboard_draws_on_a_grid_and_the_digit_is_read_when_the_pen_lifts():
    model = FixedModel(SEVEN)
    pad = DrawPad(model, "model 2")
    assert pad.help.label == PAD_LABEL, "the canvas's accessible name (set by the help's view)"
    press = pad.keys.press
    for key in ["ArrowUp"] * 5 + ["ArrowLeft"] * 3 + [" "] + ["ArrowRight"] * 6:
        press(key, False, False, False)
    assert model.seen == [] and pad.help.status == "row 3, column 11, pen down"
    for key in ["ArrowDown"] * 10 + ["Enter"]:
        press(key, False, False, False)
    assert pad.strokes[0][0] == (90.0, 50.0) and pad.strokes[0][-1] == (210.0, 250.0)
    assert len(model.seen) == 1 and "model 2 says 7 (seven)" in pad.caption.value
    assert pad.help.status.endswith("pen up")
    press("Tab", False, False, False)          # other keys do nothing (the browser moves on)
    press("ArrowDown", False, False, False)
    assert len(pad.strokes) == 1 and pad.keys.row == GRID - 1
    pad.clear()
    assert pad.strokes == [] and not pad.keys.down


def test_the_sample_button_draws_the_sample_digits_in_turn():
    model = FixedModel(SEVEN)
    pad = DrawPad(model)
    pad.sample_button.click()
    assert np.array_equal(pad.ink(), strokes_to_ink(SAMPLE_STROKES[1]))
    assert "says 7" in pad.caption.value and pad.image.layout.visibility == "visible"
    pad.sample_button.click()
    assert len(pad.strokes) == len(SAMPLE_STROKES[4]) and len(model.seen) == 1 + 2
