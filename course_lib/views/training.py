"""Pictures of training: loss curves, the confusion matrix, misclassified digits, a table.

:func:`confusion_matrix` and :class:`Table` are plain NumPy/Python (no plotting); the plots and
the explorer import matplotlib and ipywidgets only when called.
"""

import html

import numpy as np

from ..losses import as_labels
from .display import figure_png

__all__ = [
    "Table",
    "confusion_matrix",
    "misclassified_explorer",
    "plot_confusion_matrix",
    "plot_losses",
    "show_misclassified",
]


def _as_histories(histories, func):
    """``{name: {key: list}}`` from one history (``fit``'s result or a dict) or a dict of them."""
    def curves(h):
        return getattr(h, "history", h)

    one = curves(histories)
    if isinstance(one, dict) and "loss" in one:
        return {"": one}
    if isinstance(one, dict) and one and all("loss" in curves(h) for h in one.values()):
        return {str(name): curves(h) for name, h in one.items()}
    raise TypeError(f"{func}: expected the history returned by fit (with a 'loss' curve) or a "
                    f"dict of them such as {{'model 1': history_1}}, got {type(histories).__name__}"
                    f"{' with keys ' + str(list(one)) if isinstance(one, dict) else ''}.")


def plot_losses(histories, accuracy=True, title=None):
    """Training and test loss (and accuracy) per epoch of one or several models.

    Parameters
    ----------
    histories : History or dict of str to History
        What ``model.fit(..., validation_data=...)`` returned, or ``{"model 1": h1, ...}``.
        Curves named ``val_...`` are drawn as the test curves (dashed, same colour).
    accuracy : bool, default True
        Add a second panel with the accuracy (when the histories have it).
    title : str, optional
        Title above the panels.

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    >>> fig = plot_losses({"loss": [0.5, 0.3], "val_loss": [0.4, 0.35]}, accuracy=False)
    >>> fig.axes[0].get_title()
    'Loss per epoch'
    """
    import matplotlib.pyplot as plt

    runs = _as_histories(histories, "plot_losses")
    panels = [("loss", "Loss per epoch", "cross-entropy loss")]
    if accuracy and any("accuracy" in h for h in runs.values()):
        panels.append(("accuracy", "Accuracy per epoch", "accuracy"))
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.8),
                             constrained_layout=True, squeeze=False)
    for ax, (key, panel_title, ylabel) in zip(axes[0], panels, strict=True):
        for i, (name, h) in enumerate(runs.items()):
            color = f"C{i}"
            prefix = f"{name}: " if name else ""
            for curve, style, label in [(key, "-", "train"), ("val_" + key, "--", "test")]:
                if curve in h:
                    epochs = np.arange(1, len(h[curve]) + 1)
                    ax.plot(epochs, h[curve], style, color=color, marker="o", markersize=3,
                            label=prefix + label)
        ax.set_title(panel_title)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        fig.suptitle(title)
    return fig


def confusion_matrix(y_true, y_pred, n_classes=10):
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (N,)
        True and predicted labels in ``0 .. n_classes-1`` (e.g. ``probs.argmax(axis=1)``).
    n_classes : int, default 10

    Returns
    -------
    ndarray of int64, shape (n_classes, n_classes)
        ``C[i, j]`` = number of examples of true class ``i`` predicted as ``j``; the diagonal
        holds the correct predictions, ``C.trace() / C.sum()`` is the accuracy.

    Raises
    ------
    ValueError
        If the two label arrays differ in length or a label is out of range.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], n_classes=3)
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    t = as_labels(y_true, "confusion_matrix")
    p = as_labels(y_pred, "confusion_matrix")
    if t.shape != p.shape:
        raise ValueError(f"confusion_matrix: y_true has shape {t.shape} but y_pred has shape "
                         f"{p.shape}; give one predicted label per example (for probabilities "
                         "of shape (N, K) use probs.argmax(axis=1)).")
    for name, y in [("y_true", t), ("y_pred", p)]:
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            raise ValueError(f"confusion_matrix: {name} has labels from {y.min()} to {y.max()}, "
                             f"expected 0 .. {n_classes - 1} (n_classes={n_classes}).")
    counts = np.bincount(t * n_classes + p, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def plot_confusion_matrix(y_true, y_pred, n_classes=10, ax=None, title=None):
    """The confusion matrix as a picture: rows true digit, columns predicted, counts written.

    The diagonal (correct) is drawn in grey so the colour scale shows the mistakes.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    cm = confusion_matrix(y_true, y_pred, n_classes)
    if ax is None:
        ax = plt.subplots(figsize=(6.2, 5.4), constrained_layout=True)[1]
    off = np.where(np.eye(n_classes, dtype=bool), np.nan, cm)
    image = ax.imshow(off, cmap="Reds", vmin=0, vmax=max(1, np.nanmax(off)))
    ax.imshow(np.where(np.eye(n_classes, dtype=bool), 1.0, np.nan), cmap="Greys", vmin=0,
              vmax=4)
    for i in range(n_classes):
        for j in range(n_classes):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if i != j and cm[i, j] > 0.6 * np.nanmax(off) else "black")
    ax.figure.colorbar(image, ax=ax, label="wrong predictions")
    ax.set_xticks(range(n_classes))
    ax.set_yticks(range(n_classes))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    accuracy = np.trace(cm) / max(cm.sum(), 1)
    ax.set_title(f"{title or 'Confusion matrix'}\n{cm.sum() - np.trace(cm):,} mistakes of "
                 f"{cm.sum():,}, accuracy {accuracy:.2%}")
    return ax


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
    return fig


def misclassified_explorer(images, y_true, probs):
    """Widget: step through the mistakes (optionally of one true digit) with their probabilities.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: ``"digit"`` Dropdown, ``"mistake"`` IntSlider),
        ``caption`` (HTML) and ``image`` (Image).
    """
    import ipywidgets as widgets

    images, y, probs = _check_gallery(images, y_true, probs, "misclassified_explorer")
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    digit = widgets.Dropdown(options=["all"] + [str(d) for d in range(probs.shape[1])],
                             value="all", description="true digit")
    mistake = widgets.IntSlider(value=1, min=1, max=max(1, len(wrong)), description="mistake",
                                continuous_update=False)
    caption, image = widgets.HTML(), widgets.Image(format="png")

    def chosen():
        return wrong if digit.value == "all" else wrong[y[wrong] == int(digit.value)]

    def draw(fig, i):
        ax_img, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
        ax_img.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        ax_img.set_title(f"test image #{i}")
        ax_img.axis("off")
        colors = ["tab:grey"] * probs.shape[1]
        colors[pred[i]], colors[y[i]] = "tab:red", "tab:green"
        ax_bar.bar(range(probs.shape[1]), probs[i], color=colors)
        ax_bar.set_xticks(range(probs.shape[1]))
        ax_bar.set_ylim(0, 1)
        ax_bar.set_xlabel("digit (green: true, red: predicted)")
        ax_bar.set_ylabel("probability")
        ax_bar.set_title("the model's probabilities")

    def update(_change=None):
        picks = chosen()
        mistake.max = max(1, len(picks))
        if len(picks) == 0:
            caption.value = f"No mistakes with true digit {digit.value}."
            image.value = figure_png(lambda fig: None, figsize=(1, 1))
            return
        k = min(mistake.value, len(picks))
        i = picks[k - 1]
        caption.value = (f"Mistake {k} of {len(picks):,}: test image #{i} is a <b>{y[i]}</b>, "
                         f"the model says <b>{pred[i]}</b> with probability "
                         f"{probs[i, pred[i]]:.2f} (and {probs[i, y[i]]:.2f} for {y[i]}).")
        image.value = figure_png(lambda fig: draw(fig, i), figsize=(6.5, 2.8))

    digit.observe(update, names="value")
    mistake.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([digit, mistake]), caption, image])
    box.controls = {"digit": digit, "mistake": mistake}
    box.caption, box.image = caption, image
    return box


class Table:
    """A small table that shows as HTML in a notebook and as aligned text elsewhere.

    Parameters
    ----------
    columns : list of str
    rows : list of sequences, each as long as ``columns``
        Cells are shown with ``str`` (format numbers before, e.g. ``f"{acc:.2%}"``).

    Examples
    --------
    >>> print(Table(["model", "params"], [["model 1", "7,960"]]))
    model    params
    -------  ------
    model 1  7,960
    """

    def __init__(self, columns, rows):
        self.columns = [str(c) for c in columns]
        self.rows = [[str(v) for v in row] for row in rows]
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"Table: a row has {len(row)} cells {row} but there are "
                                 f"{len(self.columns)} columns {self.columns}.")

    def __str__(self):
        widths = [max(len(r[j]) for r in [self.columns, *self.rows])
                  for j in range(len(self.columns))]
        lines = [self.columns, ["-" * w for w in widths], *self.rows]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                         for line in lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                       for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
