"""course_lib.nn.batch_losses and .history: the fast losses against course_lib.losses,
History, the table."""

import io

import numpy as np
import pytest

from course_lib.losses import cross_entropy, softmax, softmax_cross_entropy_gradient
from course_lib.nn.batch_losses import check_loss, correct_count, loss_gradient, loss_sum
from course_lib.nn.history import History, Progress, format_logs, summary_table


def test_check_loss_canonical_names_and_errors():
    assert check_loss("mse") == "mean_squared_error"
    assert check_loss("categorical_crossentropy") == "categorical_crossentropy"
    with pytest.raises(ValueError, match=r"Sequential.compile: unknown loss 'hinge'; valid"):
        check_loss("hinge")


def test_fast_losses_agree_with_the_taught_ones(rng):
    p = softmax(rng.normal(size=(5, 4)))
    labels = rng.integers(0, 4, 5)
    y = np.eye(4)[labels]
    assert loss_sum("categorical_crossentropy", p, y) / 5 == pytest.approx(cross_entropy(p, y))
    assert loss_sum("sparse_categorical_crossentropy", p, labels) / 5 == pytest.approx(
        cross_entropy(p, labels))
    for loss, target in [("categorical_crossentropy", y), ("sparse_categorical_crossentropy",
                                                           labels)]:
        np.testing.assert_allclose(loss_gradient(loss, p, target, np.empty_like(p)),
                                   softmax_cross_entropy_gradient(p, labels))
    np.testing.assert_allclose(loss_gradient("mean_squared_error", p, y, np.empty_like(p)),
                               2 * (p - y) / (4 * 5))
    assert correct_count("sparse_categorical_crossentropy", p, labels) == np.sum(
        p.argmax(axis=1) == labels)


def test_history_and_format_logs():
    h = History()
    h.append({"loss": 0.5, "accuracy": 0.75})
    h.append({"loss": 0.25, "accuracy": 0.875})
    assert h["loss"] == [0.5, 0.25] and h.epoch == [0, 1] and "accuracy" in h
    assert repr(h) == "History(epochs=2, keys=['loss', 'accuracy'])"
    with pytest.raises(KeyError, match="validation_data"):
        h["val_loss"]
    assert format_logs({"loss": 0.5, "accuracy": 0.75}) == "loss: 0.5000 - accuracy: 0.7500"


def test_summary_table_totals():
    text = summary_table("m", [("dense_1 (Dense)", "(None, 10)", "7850")], 7850)
    assert text.splitlines()[0] == 'Model: "m"' and "Total params: 7,850" in text


def test_progress_one_line_per_epoch():
    out = io.StringIO()
    p = Progress(2, epochs=1, steps=3, stream=out)
    p.start_epoch(0)
    p.update(3, {"loss": 1.0})
    p.end_epoch({"loss": 1.0})
    assert "Epoch 1/1" in out.getvalue() and "loss: 1.0000" in out.getvalue()
