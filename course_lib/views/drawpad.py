"""Draw a digit: a drawing pad (ipycanvas), the model's probabilities and its feature maps.

The pad keeps the mouse strokes in Python and draws them with
:func:`course_lib.data.drawn.strokes_to_ink` (the picture the browser shows, the same for every
run, testable without a browser); the canvas shows them. After each stroke the drawing goes
through :func:`~course_lib.data.drawn.preprocess_digit` (MNIST's 20x20 box and centre of mass)
and the model. :func:`read_digit` is that step alone (ink in, probabilities and text out).
"""

import numpy as np

from ..data.drawn import preprocess_digit, rgba_to_ink, strokes_to_ink
from .describe import describe
from .display import live, new_figure, show_figure
from .feature_maps import plot_feature_maps
from .palette import OTHER, PREDICTED, PREDICTED_HATCH

__all__ = ["DIGIT_NAMES", "DrawPad", "draw_pad", "feature_maps", "prediction_text",
           "read_digit"]

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
EMPTY = "The pad is empty: draw a digit with the mouse (press, drag, release)."
MAP_LAYERS = ("Conv2D", "MaxPooling2D", "AveragePooling2D")


def prediction_text(probs, name="the model", top=3):
    """One sentence: the most probable digit, in figures and words, and the runners-up.

    Parameters
    ----------
    probs : array_like, shape (10,)
        The model's probabilities for the digits 0..9.
    name : str
        Who predicts (e.g. "model 2").
    top : int, default 3
        How many digits to name.

    Returns
    -------
    str

    Examples
    --------
    >>> prediction_text([0.01, 0.9, 0, 0, 0, 0, 0, 0.07, 0.02, 0], "model 2")
    'model 2 says 1 (one) with probability 0.90; then 7 (0.07), 8 (0.02).'
    """
    p = np.asarray(probs, dtype=np.float64).ravel()
    if p.shape != (len(DIGIT_NAMES),):
        raise ValueError(f"prediction_text: expected 10 probabilities (digits 0..9), got shape "
                         f"{np.shape(probs)}. Pass model.predict(x)[0].")
    order = np.argsort(-p, kind="stable")[:top]
    best = int(order[0])
    rest = ", ".join(f"{int(d)} ({p[d]:.2f})" for d in order[1:])
    return (f"{name} says {best} ({DIGIT_NAMES[best]}) with probability {p[best]:.2f}"
            + (f"; then {rest}." if rest else "."))


def _model_input(model, digit):
    """``digit`` (28, 28) as a batch of one in the model's input shape ((1, 784) or 4-D)."""
    shape = getattr(model, "input_shape", None)
    shape = (28 * 28,) if shape is None else tuple(shape[1:])
    return digit.reshape((1, *shape))


def read_digit(model, ink, name="the model"):
    """What the model makes of a drawing: MNIST-like image, probabilities, a sentence.

    Parameters
    ----------
    model : Sequential
        A trained classifier of 28x28 digits (``input_shape`` (784,) or (28, 28, 1)).
    ink : ndarray, shape (H, W)
        The drawing (0 paper, 1 ink), e.g. :func:`~course_lib.data.drawn.strokes_to_ink`.
    name : str
        Who predicts, for the sentence.

    Returns
    -------
    dict
        ``digit`` (28, 28) float32 or None, ``probs`` (10,) or None, ``text`` (str): the
        prediction, or the reason there is none (an empty pad).
    """
    try:
        digit = preprocess_digit(ink)
    except ValueError:
        return {"digit": None, "probs": None, "text": EMPTY}
    probs = np.asarray(model.predict(_model_input(model, digit)), dtype=np.float64)[0]
    return {"digit": digit, "probs": probs, "text": prediction_text(probs, name)}


def feature_maps(model, digit):
    """The digit's maps after each conv and pool layer, up to the first other layer.

    Parameters
    ----------
    model : Sequential
        A CNN such as ``lenet5(input_shape=(28, 28, 1))``.
    digit : ndarray, shape (28, 28)

    Returns
    -------
    list of (str, ndarray of shape (H, W, K))
        The layer's name and kind (e.g. ``"layer 0: Conv2D"``) and its output for the digit.

    Examples
    --------
    >>> from course_lib import lenet5
    >>> maps = feature_maps(lenet5(input_shape=(28, 28, 1), seed=0), np.zeros((28, 28)))
    >>> [(title, m.shape) for title, m in maps]  # doctest: +NORMALIZE_WHITESPACE
    [('layer 0: Conv2D', (28, 28, 6)), ('layer 1: MaxPooling2D', (14, 14, 6)),
     ('layer 2: Conv2D', (10, 10, 16)), ('layer 3: MaxPooling2D', (5, 5, 16))]
    """
    x = _model_input(model, np.asarray(digit, dtype=np.float32))
    maps = []
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        if kind not in MAP_LAYERS:
            break
        x = layer.forward(x)
        maps.append((f"layer {i}: {kind}", x[0]))
    return maps


def _draw_reading(fig, digit, probs):
    """The 28x28 image the model sees, and the bar chart of its probabilities (the top one
    hatched orange and labelled)."""
    ax_img, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.8]})
    ax_img.imshow(digit, cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_title("what the model sees (28x28)", fontsize=9)
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    best = int(np.argmax(probs))
    bars = ax_bar.bar(range(len(probs)), probs, color=OTHER, edgecolor="black", lw=0.5)
    bars[best].set(facecolor=PREDICTED, hatch=PREDICTED_HATCH)
    ax_bar.text(best, probs[best] + 0.03, "top", ha="center", fontsize=8)
    ax_bar.set_xticks(range(len(probs)))
    ax_bar.set_ylim(0, 1.15)
    ax_bar.set_xlabel("digit")
    ax_bar.set_ylabel("probability")
    ax_bar.set_title("the model's probabilities", fontsize=9)
    top = np.argsort(-probs, kind="stable")[:3]
    describe(fig, "The drawing as the model sees it (28x28 pixels) and a bar chart of the "
                  "model's probabilities for the digits 0 to 9: "
                  + ", ".join(f"{int(d)} {probs[d]:.2f}" for d in top) + ", the rest lower.")


class DrawPad:
    """The pad's state and behaviour; :func:`draw_pad` builds it and returns its widget.

    Attributes: ``strokes`` (list of lists of (x, y)), ``reading`` (the last
    :func:`read_digit` result), ``canvas`` (ipycanvas.Canvas), ``clear_button``, ``caption``
    (HTML), ``image`` (Image: input and probabilities), ``maps`` (VBox of Images), ``box``.
    """

    def __init__(self, model, name="the model", maps=False, size=280, pen=20):
        import ipywidgets as widgets
        from ipycanvas import Canvas

        self.model, self.name, self.show_maps, self.size, self.pen = model, name, maps, size, pen
        self.strokes, self.drawing, self.reading = [], False, None
        self.canvas = Canvas(width=size, height=size, sync_image_data=True,
                             layout=widgets.Layout(border="2px solid #888", width=f"{size}px",
                                                   height=f"{size}px"))
        self.clear_button = widgets.Button(description="Clear", icon="eraser")
        self.caption = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.maps = widgets.VBox()
        self.canvas.on_mouse_down(self._down)
        self.canvas.on_mouse_move(self._move)
        self.canvas.on_mouse_up(self._up)
        self.canvas.on_mouse_out(self._up)
        self.clear_button.on_click(lambda _button: self.clear())
        self.clear(message="Draw a digit in the box with the mouse: press, drag, release.")
        self.box = widgets.VBox([widgets.HBox([self.canvas, widgets.VBox(
            [self.clear_button, self.caption, self.image])]), self.maps])
        self.box.pad = self

    def _paper(self):
        self.canvas.clear()
        self.canvas.fill_style = "white"
        self.canvas.fill_rect(0, 0, self.size, self.size)
        self.canvas.fill_style = self.canvas.stroke_style = "black"
        self.canvas.line_width, self.canvas.line_cap, self.canvas.line_join = (
            self.pen, "round", "round")

    def _down(self, x, y):
        self.drawing = True
        self.strokes.append([(float(x), float(y))])
        self.canvas.fill_circle(x, y, self.pen / 2)

    def _move(self, x, y):
        if self.drawing:
            (x0, y0) = self.strokes[-1][-1]
            self.strokes[-1].append((float(x), float(y)))
            self.canvas.stroke_line(x0, y0, x, y)

    def _up(self, x, y):
        if self.drawing:
            self._move(x, y)
            self.drawing = False
            self.update()

    def draw(self, strokes):
        """Add strokes as if drawn with the mouse (each a list of (x, y)), then update."""
        for stroke in strokes:
            self._down(*stroke[0])
            for x, y in stroke[1:]:
                self._move(x, y)
            self._up(*stroke[-1])

    def clear(self, message="Cleared: draw a new digit."):
        """Wipe the pad, the prediction and the maps."""
        self.strokes, self.drawing, self.reading = [], False, None
        self._paper()
        self.caption.value = live(message)
        self._show(None)
        self.maps.children = ()

    def ink(self):
        """The drawing as ink, shape (size, size): the strokes drawn in NumPy."""
        return strokes_to_ink(self.strokes, self.size, self.pen)

    def canvas_ink(self):
        """The browser's pixels as ink (``get_image_data``); None before the browser sent any."""
        if self.canvas.image_data is None:
            return None
        return rgba_to_ink(self.canvas.get_image_data())

    def update(self):
        """Read the drawing, show the prediction (and the feature maps).

        Everything is computed first and the caption is set last, so a caption that names a
        digit always comes with the pictures of that same drawing.
        """
        self.reading = read_digit(self.model, self.ink(), self.name)
        digit, probs = self.reading["digit"], self.reading["probs"]
        fig, maps = None, ()
        if digit is not None:
            fig = new_figure(lambda f: _draw_reading(f, digit, probs), figsize=(5.2, 2.2),
                             dpi=80)
            if self.show_maps:
                maps = [self._maps_image(title, m, digit if k == 0 else None)
                        for k, (title, m) in enumerate(feature_maps(self.model, digit))]
        self._show(fig)
        self.maps.children = maps
        self.caption.value = live(f"<b>{self.reading['text']}</b>")

    def _show(self, fig):
        """The described figure of the input and probabilities; hidden while there is none."""
        if fig is None:
            self.image.value, self.image.tooltip = b"", None
        else:
            show_figure(self.image, fig)
        self.image.layout.display = "" if fig is not None else "none"

    def _maps_image(self, title, maps, image):
        import ipywidgets as widgets

        fig = plot_feature_maps(maps, f"your digit, {title}", image=image, ncols=8)
        picture = widgets.Image(format="png")
        show_figure(picture, fig, dpi=60)
        return picture


def draw_pad(model, name="the model", maps=False, size=280, pen=20):
    """A pad to draw a digit on; after each stroke the model's probabilities (and maps).

    Parameters
    ----------
    model : Sequential
        A trained classifier of 28x28 MNIST digits (an MLP on 784 inputs or a CNN).
    name : str
        Who predicts, named in the caption (e.g. "model 2", "LeNet-5").
    maps : bool, default False
        Also show the feature maps of the drawn digit after each conv and pool layer.
    size : int, default 280
        The pad's width and height in pixels (ten times MNIST's 28).
    pen : int, default 20
        The pen's width in pixels.

    Returns
    -------
    ipywidgets.VBox
        The pad (canvas, Clear button, caption, image of the input and probabilities, feature
        maps); its ``pad`` attribute is the :class:`DrawPad` (``pad.draw(strokes)`` draws
        without a mouse).
    """
    return DrawPad(model, name, maps, size, pen).box
