"""course_lib.nn.fit: the mini-batches of an epoch, one epoch, evaluate and predict."""

import numpy as np

from course_lib import one_hot
from course_lib.nn.fit import _minibatches
from course_lib.nn.layers import Activation, Dense
from course_lib.nn.sequential import Sequential


def test_minibatches_cover_every_example_once_in_order():
    x, y = np.arange(10.0)[:, None], np.arange(10)
    order = np.random.default_rng(0).permutation(10)
    bufs = (np.empty((4, 1)), np.empty(4, int))
    seen, got = [], []
    for xb, yb, n in _minibatches(x, y, 4, order, bufs):
        got += yb.tolist()
        seen.append(n)
        np.testing.assert_array_equal(xb[:, 0], yb)
    assert got == order.tolist() and seen == [4, 8, 10]
    plain = [yb.tolist() for _, yb, _ in _minibatches(x, y, 4, None, None)]
    assert plain == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def _model(seed=0):
    model = Sequential([Dense(8, input_dim=5), Activation("relu"), Dense(3),
                        Activation("softmax")], seed=seed)
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    return model


def test_one_epoch_logs_the_mean_loss_of_its_batches(rng):
    x = rng.normal(size=(40, 5)).astype(np.float32)
    y = one_hot(rng.integers(0, 3, 40), 3)
    history = _model().fit(x, y, epochs=2, batch_size=40, verbose=0, shuffle=False)
    before = _model()  # the same seed: the weights fit started from
    loss, accuracy = before.evaluate(x, y)
    assert abs(history["loss"][0] - loss) < 1e-5  # the first epoch's one batch, before its step
    assert abs(history["accuracy"][0] - accuracy) < 1e-9
    assert history.params == {"epochs": 2, "batch_size": 40, "steps": 1}


def test_evaluate_prints_the_logs_and_predict_gives_probabilities(rng, capsys):
    x = rng.normal(size=(7, 5)).astype(np.float32)
    y = one_hot(rng.integers(0, 3, 7), 3)
    model = _model()
    loss, accuracy = model.evaluate(x, y, batch_size=3, verbose=1)
    assert capsys.readouterr().out.strip() == f"loss: {loss:.4f} - accuracy: {accuracy:.4f}"
    probs = model.predict(x, batch_size=2)
    assert probs.shape == (7, 3) and np.allclose(probs.sum(axis=1), 1, atol=1e-6)
