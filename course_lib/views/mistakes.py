"""The mistakes of a classifier: a gallery of misclassified digits and an explorer.

:func:`mistakes_of` (plain NumPy) picks the mistakes to show; :func:`show_misclassified`
draws a gallery of them, :func:`misclassified_explorer` steps through them one by one with
the model's probabilities. Both import matplotlib or ipywidgets only when called.
"""

import numpy as np

from ..losses import as_labels
from .describe import describe
from .display import explorer_box, live, new_figure, show_figure
from .palette import OTHER, PREDICTED, PREDICTED_HATCH, TRUE
from .slider import IntSlider

__all__ = ["mistakes_of", "show_misclassified", "misclassified_explorer"]


def _check_gallery(images, y_true, probs, func):
    images, probs = np.asarray(images), np.asarray(probs)
    y = as_labels(y_true, func)
    n = len(y)
    if images.ndim == 2 and images.shape[1] == 784:
        images = images.reshape(n, 28, 28)
    if images.ndim != 3 or len(images) != n or probs.ndim != 2 or len(probs) != n:
        raise ValueError(f"{func}: expected images (N, 28, 28) or (N, 784), labels (N,) and "
                         f"probabilities (N, K) for the same N, got images {images.shape}, "
                         f"labels {y.shape}, probabilities {probs.shape}. Pass "
                         "model.predict(X_test) as the probabilities.")
    return images, y, probs


def show_misclassified(images, y_true, probs, n=24, cols=8, title=None):
    """A gallery of the first ``n`` misclassified images: true label, prediction, confidence.

    Parameters
    ----------
    images : ndarray, shape (N, 28, 28) or (N, 784)
    y_true : array_like of int, shape (N,)
    probs : ndarray, shape (N, K)
        Class probabilities, e.g. ``model.predict(X_test)``.
    n, cols : int
        How many mistakes to show, in how many columns.

    Returns
    -------
    matplotlib Figure
    """
    # drawn on demand: the grader's probe imports views, never draws
    import matplotlib.pyplot as plt

    images, y, probs = _check_gallery(images, y_true, probs, "show_misclassified")
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    shown = wrong[:n]
    rows = max(1, -(-len(shown) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(1.25 * cols, 1.55 * rows + 0.5),
                             constrained_layout=True, squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), shown, strict=False):
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"true {y[i]}, pred {pred[i]}\n({probs[i, pred[i]]:.0%}) #{i}", fontsize=7)
    fig.suptitle(title or f"Misclassified: {len(shown)} of {len(wrong):,} mistakes "
                          f"in {len(y):,} images (true label, prediction, its probability)",
                 fontsize=9)
    listed = "; ".join(f"#{i}: true {y[i]}, predicted {pred[i]} ({probs[i, pred[i]]:.0%})"
                       for i in shown)
    describe(fig, f"Gallery of {len(shown)} of the {len(wrong):,} misclassified images among "
                  f"{len(y):,}, each with its true label, the prediction and its probability"
                  + (f": {listed}." if listed else "."))
    return fig


def mistakes_of(y_true, pred, digit=None):
    """Indices of the misclassified examples (of one true digit, if ``digit`` is given).

    Parameters
    ----------
    y_true, pred : ndarray of int, shape (N,)
        True and predicted labels.
    digit : int, optional

    Returns
    -------
    ndarray of int, shape (M,)
        In increasing order.

    Examples
    --------
    >>> mistakes_of(np.array([3, 1, 3, 0]), np.array([5, 1, 8, 0])).tolist()
    [0, 2]
    >>> mistakes_of(np.array([3, 1, 3, 0]), np.array([5, 1, 8, 0]), digit=1).tolist()
    []
    """
    wrong = np.flatnonzero(pred != y_true)
    return wrong if digit is None else wrong[y_true[wrong] == digit]


def _draw_mistake(fig, image, probs, true, pred, i):
    """The image and the bar chart of its probabilities (true: blue, predicted: hatched
    orange, each also labelled above its bar)."""
    ax_img, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    ax_img.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_title(f"test image #{i}")
    ax_img.axis("off")
    bars = ax_bar.bar(range(len(probs)), probs, color=OTHER, edgecolor="black", lw=0.5)
    bars[true].set_facecolor(TRUE)
    bars[pred].set(facecolor=PREDICTED, hatch=PREDICTED_HATCH)
    for digit, word in ((true, "true"), (pred, "predicted")):
        ax_bar.text(digit, probs[digit] + 0.03, word, ha="center", fontsize=8)
    ax_bar.set_xticks(range(len(probs)))
    ax_bar.set_ylim(0, 1.1)
    ax_bar.set_xlabel("digit (blue: true, hatched orange: predicted)")
    ax_bar.set_ylabel("probability")
    ax_bar.set_title("the model's probabilities")
    others = sorted((d for d in range(len(probs)) if d not in (true, pred)),
                    key=lambda d: -probs[d])[:2]
    rest = ", ".join(f"{d} {probs[d]:.2f}" for d in others)
    describe(fig, f"Test image #{i}, a handwritten {true}, and a bar chart of the model's "
                  f"probabilities: {pred} (predicted) {probs[pred]:.2f}, {true} (true) "
                  f"{probs[true]:.2f}; the next largest {rest}.")


def misclassified_explorer(images, y_true, probs):
    """Widget: step through the mistakes (optionally of one true digit) with their probabilities.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: ``"digit"`` Dropdown, ``"mistake"`` IntSlider),
        ``caption`` (HTML) and ``image`` (Image).
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets

    images, y, probs = _check_gallery(images, y_true, probs, "misclassified_explorer")
    pred = probs.argmax(axis=1)
    digit = widgets.Dropdown(options=["all"] + [str(d) for d in range(probs.shape[1])],
                             value="all", description="true digit")
    mistake = IntSlider(value=1, min=1, max=max(1, len(mistakes_of(y, pred))),
                        description="mistake", continuous_update=False)
    caption, image = widgets.HTML(), widgets.Image(format="png")

    def update(_change=None):
        picks = mistakes_of(y, pred, None if digit.value == "all" else int(digit.value))
        mistake.max = max(1, len(picks))
        if len(picks) == 0:
            caption.value = live(f"No mistakes with true digit {digit.value}.")
            show_figure(image, new_figure(
                lambda fig: describe(fig, f"No mistakes with true digit {digit.value}."),
                figsize=(1, 1)))
            return
        k = min(mistake.value, len(picks))
        i = picks[k - 1]
        caption.value = live(f"Mistake {k} of {len(picks):,}: test image #{i} is a <b>{y[i]}</b>, "
                         f"the model says <b>{pred[i]}</b> with probability "
                         f"{probs[i, pred[i]]:.2f} (and {probs[i, y[i]]:.2f} for {y[i]}).")
        show_figure(image, new_figure(lambda fig: _draw_mistake(fig, images[i], probs[i], y[i],
                                                                pred[i], i), figsize=(6.5, 2.8)))

    return explorer_box([widgets.HBox([digit, mistake]), caption, image],
                        {"digit": digit, "mistake": mistake}, caption, image, update)
