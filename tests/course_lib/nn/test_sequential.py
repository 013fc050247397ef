"""Sequential: parameter counts, summary, whole-model gradients, training, progress, errors."""

import numpy as np
import pytest

from course_lib import one_hot
from course_lib.nn.layers import Activation, Dense, Dropout, Flatten
from course_lib.nn.optimizers import SGD, RMSprop
from course_lib.nn.sequential import Sequential


def mlp(*sizes, dropout=None, seed=0, **kwargs):
    layers = [Dense(sizes[1], input_dim=sizes[0]), Activation("relu")]
    for n in sizes[2:-1]:
        if dropout:
            layers.append(Dropout(dropout))
        layers += [Dense(n), Activation("relu")]
    if dropout:
        layers.append(Dropout(dropout))
    layers += [Dense(sizes[-1]), Activation("softmax")]
    return Sequential(layers, seed=seed, **kwargs)


def blobs(n=600, d=20, k=3, seed=0):
    """k well separated Gaussian clusters in d dimensions, one-hot targets."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(k, d))
    labels = rng.integers(0, k, n)
    x = (centers[labels] + rng.normal(size=(n, d))).astype(np.float32)
    return x, one_hot(labels, k), labels


@pytest.mark.parametrize("sizes, total", [
    ((784, 10, 10), 7_960), ((784, 500, 10), 397_510), ((784, 500, 300, 10), 545_810)])
def test_count_params_lecture_models(sizes, total):
    model = mlp(*sizes, dropout=0.4)
    assert model.count_params() == total
    assert all(not layer.built for layer in model.layers)   # counted without weights


def test_summary_table(capsys):
    mlp(784, 10, 10).summary()
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert lines[2].split() == ["Layer", "(type)", "Output", "Shape", "Param", "#"]
    assert "dense_1 (Dense)              (None, 10)                7850" in text
    assert "activation_1 (Activation)    (None, 10)                0" in text
    assert "dense_2 (Dense)              (None, 10)                110" in text
    assert "Total params: 7,960\nTrainable params: 7,960\nNon-trainable params: 0" in text


def test_summary_of_model_4_and_flatten(capsys):
    model = Sequential([Flatten(input_shape=(28, 28)), Dense(500), Activation("relu"),
                        Dropout(0.4), Dense(300), Activation("relu"), Dropout(0.4), Dense(10),
                        Activation("softmax")])
    model.summary()
    text = capsys.readouterr().out
    assert "flatten_1 (Flatten)          (None, 784)               0" in text
    assert "dropout_2 (Dropout)          (None, 300)               0" in text
    assert "Total params: 545,810" in text
    assert model.output_shape == (None, 10) and model.input_shape == (None, 28, 28)


@pytest.mark.parametrize("loss, last", [
    ("categorical_crossentropy", [Dense(3), Activation("softmax")]),
    ("sparse_categorical_crossentropy", [Dense(3, activation="softmax")]),
    ("mse", [Dense(3), Activation("sigmoid")]),
])
def test_whole_model_gradients(loss, last):
    """Gradient of the model's loss w.r.t. every parameter, against central differences."""
    rng = np.random.default_rng(0)
    model = Sequential([Dense(4, input_dim=5), Activation("tanh"), Dense(4),
                        Activation("relu"), *last], seed=1, dtype="float64")
    model.compile(loss=loss, optimizer="sgd")
    x = rng.normal(size=(6, 5))
    labels = rng.integers(0, 3, 6)
    y = labels if loss.startswith("sparse") else one_hot(labels, 3).astype(np.float64)
    for p in model.params:
        p[...] = rng.normal(scale=0.5, size=p.shape)
    _, grads = model.gradients(x, y)
    grads = [g.copy() for g in grads]
    h = 1e-6
    for p, g in zip(model.params, grads, strict=True):
        assert p.dtype == np.float64
        num = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            plus = model.gradients(x, y)[0]
            p[idx] = old - h
            minus = model.gradients(x, y)[0]
            p[idx] = old
            num[idx] = (plus - minus) / (2 * h)
        err = np.max(np.abs(num - g) / np.maximum(1e-8, np.abs(num) + np.abs(g)))
        assert err < 1e-6, err


def test_training_reaches_high_accuracy():
    x, y, _ = blobs()
    model = mlp(20, 16, 3, seed=0)
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(learning_rate=0.01),
                  metrics=["accuracy"])
    history = model.fit(x[:500], y[:500], epochs=5, batch_size=32, verbose=0,
                        validation_data=(x[500:], y[500:]))
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history["loss"] is history.history["loss"] and len(history["loss"]) == 5
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] > 0.95
    loss, acc = model.evaluate(x[500:], y[500:])
    assert acc == pytest.approx(history["val_accuracy"][-1])
    assert loss == pytest.approx(history["val_loss"][-1], rel=1e-5)
    p = model.predict(x[500:])
    assert p.shape == (100, 3) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)


def test_sparse_labels_and_sgd_string():
    x, _, labels = blobs(seed=1)
    model = mlp(20, 16, 3, seed=0)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["acc"])
    history = model.fit(x, labels, epochs=5, batch_size=16, verbose=0)
    assert history["acc"][-1] > 0.9


def test_dropout_only_in_training():
    x, y, _ = blobs(n=64)
    model = mlp(20, 50, 3, dropout=0.5, seed=0)
    model.compile(metrics=["accuracy"])
    p1, p2 = model.predict(x), model.predict(x)
    np.testing.assert_array_equal(p1, p2)
    assert model.evaluate(x, y) == model.evaluate(x, y)
    train1, train2 = model.forward(x, training=True), model.forward(x, training=True)
    assert not np.allclose(train1, train2)     # a fresh mask each time in training
    without = Sequential([la for la in model.layers if not isinstance(la, Dropout)])
    np.testing.assert_allclose(without.predict(x), p1, rtol=1e-6)


def test_same_seed_same_weights_and_history():
    x, y, _ = blobs(n=200)

    def run(seed):
        model = mlp(20, 8, 3, dropout=0.2, seed=seed)
        model.compile(metrics=["accuracy"])
        return model.fit(x, y, epochs=3, batch_size=32, verbose=0).history, model.get_weights()

    (h1, w1), (h2, w2), (h3, _) = run(0), run(0), run(1)
    assert h1 == h2
    for a, b in zip(w1, w2, strict=True):
        np.testing.assert_array_equal(a, b)
    assert h1 != h3


def test_fit_seed_overrides_model_seed():
    x, y, _ = blobs(n=100)
    histories = []
    for model_seed in (None, None):
        model = mlp(20, 8, 3, dropout=0.2, seed=model_seed)
        model.compile()
        histories.append(model.fit(x, y, epochs=2, verbose=0, seed=5).history)
    assert histories[0] == histories[1]


def test_verbose_outputs(capsys):
    x, y, _ = blobs(n=100)
    model = mlp(20, 8, 3)
    model.compile(metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=10, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, batch_size=10, verbose=2, validation_data=(x, y))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Epoch 2/2 - ")
    assert "s - loss: " in lines[1] and " - accuracy: " in lines[1]
    assert " - val_loss: " in lines[1] and " - val_accuracy: " in lines[1]
    model.fit(x, y, epochs=1, batch_size=10, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("Epoch 1/1\n") and "\r10/10 [==============================]" in out
    assert out.endswith("\n") and "ms/step - loss: " in out


def test_keyboard_interrupt_keeps_history(capsys, monkeypatch):
    x, y, _ = blobs(n=100)
    model = mlp(20, 8, 3)
    model.compile(metrics=["accuracy"])
    calls = {"n": 0}
    original = model.optimizer.step

    def step(params, grads):
        calls["n"] += 1
        if calls["n"] == 25:          # during the third epoch of 10 steps
            raise KeyboardInterrupt
        original(params, grads)

    monkeypatch.setattr(model.optimizer, "step", step)
    history = model.fit(x, y, epochs=5, batch_size=10, verbose=2)
    assert len(history["loss"]) == 2 and history.interrupted
    assert "Training interrupted after 2 of 5 epochs" in capsys.readouterr().out
    assert model.history is history
    assert all(layer._buffers is None for layer in model.layers)   # cleaned up


def test_fit_before_compile():
    with pytest.raises(ValueError, match=r"not compiled yet\. Call model\.compile\("):
        mlp(4, 3, 2).fit(np.zeros((2, 4)), np.zeros((2, 2)))


def test_first_layer_without_input_size():
    model = Sequential([Dense(10), Activation("softmax")])
    with pytest.raises(ValueError, match=r"first layer, Dense\(10\), does not know the size of "
                                         r"its input.*input_dim=784"):
        model.compile()
    with pytest.raises(ValueError, match="does not know the size"):
        model.summary()


def test_integer_labels_with_categorical_crossentropy():
    model = mlp(4, 3, 10)
    model.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=r"expects targets of shape \(5, 10\).*got y of shape "
                                         r"\(5,\)\. Convert the labels with one_hot\(y, 10\)"):
        model.fit(np.zeros((5, 4)), np.arange(5), verbose=0)


def test_wrong_input_shape_for_model():
    model = mlp(784, 10, 10)
    model.compile()
    with pytest.raises(ValueError, match=r"X has shape \(3, 28, 28\), the model expects "
                                         r"\(N, 784\)\. Flatten the images with "
                                         r"X\.reshape\(len\(X\), 784\)"):
        model.predict(np.zeros((3, 28, 28)))
    with pytest.raises(ValueError, match=r"X has 3 examples but y has 2"):
        model.evaluate(np.zeros((3, 784)), np.zeros((2, 10)))


def test_unknown_loss_optimizer_metric():
    model = mlp(4, 3, 2)
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'; valid losses: "
                                         "'categorical_crossentropy'"):
        model.compile(loss="crossentropy")
    with pytest.raises(ValueError, match="unknown optimizer 'adam'"):
        model.compile(optimizer="adam")
    with pytest.raises(ValueError, match="unknown metric 'f1'; valid metrics: 'accuracy'"):
        model.compile(metrics=["f1"])


def test_crossentropy_needs_softmax_and_layers_must_chain():
    model = Sequential([Dense(3, input_dim=4)])
    with pytest.raises(ValueError, match=r"needs probabilities.*Activation\('softmax'\)"):
        model.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=r"was given input_shape \(5,\) but the layer before "
                                         r"it outputs \(3,\)"):
        model.add(Dense(2, input_dim=5))
    with pytest.raises(TypeError, match="expected a layer such as Dense"):
        model.add("relu")


def test_weights_roundtrip_and_repr():
    model = mlp(4, 3, 2)
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(3, 4), (3,), (2, 3), (2,)]
    model.set_weights([np.zeros_like(w) for w in weights])
    assert not any(w.any() for w in model.get_weights())
    assert repr(model).startswith("Sequential([Dense(3, input_dim=4), Activation('relu')")
    with pytest.raises(ValueError, match=r"array 1 has shape \(4,\), expected \(3,\)"):
        model.set_weights([weights[0], np.zeros(4), weights[2], weights[3]])


def test_sgd_momentum_trains_too():
    x, y, _ = blobs(seed=2)
    model = mlp(20, 16, 3, seed=0)
    model.compile(optimizer=SGD(learning_rate=0.05, momentum=0.9), metrics=["accuracy"])
    assert model.fit(x, y, epochs=3, batch_size=32, verbose=0)["accuracy"][-1] > 0.9
