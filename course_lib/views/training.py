"""Pictures of training: loss curves and the confusion matrix; the views of notebook 07.

:func:`confusion_matrix` is plain NumPy (no plotting); the plots import matplotlib only when
called. The misclassified digits (:mod:`.mistakes`) and :class:`~.table.Table` have modules of
their own and are imported here too, so that the lab imports its views from one module.
"""

import numpy as np

from ..losses import as_labels
from .describe import describe
from .mistakes import misclassified_explorer, show_misclassified
from .palette import series_colour
from .table import Table

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
    # drawn on demand: the grader's probe imports views, never draws
    import matplotlib.pyplot as plt

    runs = _as_histories(histories, "plot_losses")
    panels = [("loss", "Loss per epoch", "cross-entropy loss")]
    if accuracy and any("accuracy" in h for h in runs.values()):
        panels.append(("accuracy", "Accuracy per epoch", "accuracy"))
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.8),
                             constrained_layout=True, squeeze=False)
    for ax, (key, panel_title, ylabel) in zip(axes[0], panels, strict=True):
        for i, (name, h) in enumerate(runs.items()):
            color, marker = series_colour(i)  # a marker of its own besides the colour
            prefix = f"{name}: " if name else ""
            for curve, style, label in [(key, "-", "train"), ("val_" + key, "--", "test")]:
                if curve in h:
                    epochs = np.arange(1, len(h[curve]) + 1)
                    ax.plot(epochs, h[curve], style, color=color, marker=marker, markersize=4,
                            label=prefix + label)
        ax.set_title(panel_title)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
        describe(ax, _curves_text(runs, key, panel_title))
    if title:
        fig.suptitle(title)
    return fig


def _curves_text(runs, key, panel_title):
    """One panel of curves in words: per model and curve, first, best (with its epoch), last."""
    best, word = (np.argmin, "lowest") if key == "loss" else (np.argmax, "highest")
    parts = []
    for name, h in runs.items():
        for curve, label in [(key, "train"), ("val_" + key, "test")]:
            if curve in h and len(h[curve]):
                v = np.asarray(h[curve], dtype=float)
                k = int(best(v))
                parts.append(f"{name + ' ' if name else ''}{label} {key} from {v[0]:.3g} at "
                             f"epoch 1 to {v[-1]:.3g} at epoch {len(v)}, {word} {v[k]:.3g} at "
                             f"epoch {k + 1}")
    style = "train solid, test dashed" + (", one colour and marker per model"
                                          if len(runs) > 1 else "")
    return f"{panel_title} ({style}): " + "; ".join(parts) + "."


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
    # drawn on demand: the grader's probe imports views, never draws
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
    wrong = np.where(np.eye(n_classes, dtype=bool), 0, cm)
    top = [divmod(int(k), n_classes) for k in np.argsort(-wrong, axis=None, kind="stable")[:3]]
    common = ", ".join(f"{t} taken for {p} {wrong[t, p]:,} times" for t, p in top if wrong[t, p])
    describe(ax, f"{title or 'Confusion matrix'}: rows the true digit, columns the predicted "
                 f"digit, each cell's count written in it, the mistakes shaded darker the more "
                 f"there are; {cm.sum() - np.trace(cm):,} mistakes of {cm.sum():,}, accuracy "
                 f"{accuracy:.2%}; most common mistakes: {common or 'none'}.")
    return ax
