"""Training views: confusion matrix against a loop, loss curves; the lab's one import."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.nn.history import History
from course_lib.views import mistakes, table
from course_lib.views.training import confusion_matrix, plot_confusion_matrix, plot_losses


def _loop_confusion(t, p, k):
    cm = np.zeros((k, k), dtype=np.int64)
    for a, b in zip(t, p, strict=True):
        cm[a, b] += 1
    return cm


@given(st.integers(1, 12).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), max_size=60))))
def test_confusion_matrix_matches_a_loop(case):
    k, pairs = case
    t = np.array([a for a, _ in pairs], dtype=np.int64)
    p = np.array([b for _, b in pairs], dtype=np.int64)
    cm = confusion_matrix(t, p, n_classes=k)
    assert cm.shape == (k, k) and cm.dtype == np.int64
    np.testing.assert_array_equal(cm, _loop_confusion(t, p, k))
    assert cm.sum() == len(pairs)
    assert np.trace(cm) == int(np.sum(t == p))


def test_confusion_matrix_rows_are_true_labels():
    cm = confusion_matrix([3, 3, 5], [5, 5, 3])   # two 3s taken for 5s, one 5 for a 3
    assert cm[3, 5] == 2 and cm[5, 3] == 1 and cm.sum() == 3


@pytest.mark.parametrize("t, p, match", [
    ([0, 1], [0], r"confusion_matrix: y_true has shape \(2,\) but y_pred has shape \(1,\)"),
    ([0, 10], [0, 1], r"y_true has labels from 0 to 10, expected 0 \.\. 9"),
    ([0, 1], [-1, 1], r"y_pred has labels from -1 to 1"),
    ([[0, 1]], [[0, 1]], r"confusion_matrix: labels must be a 1-D array"),
    ([0.5, 1], [0, 1], "whole numbers"),
])
def test_confusion_matrix_bad_input(t, p, match):
    with pytest.raises(ValueError, match=match):
        confusion_matrix(t, p)


def _history(loss, val_loss, acc=None, val_acc=None):
    h = History()
    for i in range(len(loss)):
        logs = {"loss": loss[i]}
        if acc is not None:
            logs["accuracy"] = acc[i]
        logs["val_loss"] = val_loss[i]
        if val_acc is not None:
            logs["val_accuracy"] = val_acc[i]
        h.append(logs)
    return h


def test_plot_losses_of_one_history():
    h = _history([0.7, 0.3, 0.2], [0.4, 0.3, 0.35], [0.8, 0.9, 0.95], [0.88, 0.91, 0.9])
    fig = plot_losses(h, title="model 1")
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_title() == "Loss per epoch" and acc_ax.get_title() == "Accuracy per epoch"
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_ylabel() == "cross-entropy loss"
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["train", "test"]
    train, test = loss_ax.get_lines()
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])   # epochs count from 1
    np.testing.assert_allclose(test.get_ydata(), [0.4, 0.3, 0.35])
    assert test.get_linestyle() == "--" and train.get_color() == test.get_color()
    assert fig._suptitle.get_text() == "model 1"
    plt.close(fig)


def test_plot_losses_of_several_models_and_plain_dicts():
    runs = {"model 1": _history([1.0, 0.5], [0.9, 0.6]),
            "model 2": {"loss": [0.4, 0.2], "val_loss": [0.3, 0.25]}}
    fig = plot_losses(runs)
    assert len(fig.axes) == 1   # no accuracy recorded: one panel
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["model 1: train", "model 1: test", "model 2: train", "model 2: test"]
    colors = [line.get_color() for line in fig.axes[0].get_lines()]
    assert colors[0] == colors[1] != colors[2] == colors[3]
    plt.close(fig)
    fig = plot_losses(_history([0.5], [0.4], [0.9], [0.91]), accuracy=False)
    assert len(fig.axes) == 1 and fig.axes[0].get_lines()[0].get_marker() == "o"
    plt.close(fig)


@pytest.mark.parametrize("bad", [[0.1, 0.2], {"model 1": [0.3]}, {}, "loss"])
def test_plot_losses_refuses_what_is_not_a_history(bad):
    with pytest.raises(TypeError, match="plot_losses: expected the history returned by fit"):
        plot_losses(bad)


def test_confusion_matrix_picture_counts_the_mistakes(predictions):
    _, y, probs = predictions
    pred = probs.argmax(axis=1)
    wrong = int(np.sum(pred != y))
    ax = plot_confusion_matrix(y, pred, title="test model")
    stats = f"{wrong:,} mistakes of 200, accuracy {1 - wrong / 200:.2%}"
    assert ax.get_title() == f"test model\n{stats}"
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 100 and sum(map(int, texts)) == 200
    plt.close(ax.figure)


def test_the_lab_imports_its_views_from_one_module():
    from course_lib.views import training

    assert training.Table is table.Table
    assert training.show_misclassified is mistakes.show_misclassified
    assert training.misclassified_explorer is mistakes.misclassified_explorer
