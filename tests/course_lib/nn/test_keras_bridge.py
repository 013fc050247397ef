"""course_lib against Keras 3 (JAX backend), number for number: the lab's three MLPs and
LeNet-5 moved to Keras with their weights give the same predictions and parameter counts, and
the same RMSprop steps on the same batches; from_keras brings a Keras model back.

Tolerances. Both sides compute in float32 but add in different orders (BLAS, XLA), so the
probabilities agree to a few float32 ulps: atol 2e-6 on numbers in [0, 1]. An RMSprop step
moves a weight by lr * g / sqrt(v + eps), about lr / sqrt(1 - rho) = 3.2e-3 on the first step
whatever the size of g: the step is insensitive to g's rounding, except where |g| is near
sqrt(eps) ~ 3e-4, and weights after three steps agree to atol 1e-6 (2% of one step's size,
and 300 float32 ulps of a weight of 0.05). A different formula, such as Keras 2's and
PyTorch's lr * g / (sqrt(v) + eps), moves a weight whose gradient is below 1e-3 up to ten
times further on the first step (the last test shows that the tolerance tells them apart).
"""

import numpy as np
import pytest

# the bridge first: it chooses Keras' backend (JAX) before Keras is imported
bridge = pytest.importorskip("course_lib.nn.keras_bridge",
                             reason="the keras extra: pip install -e '.[keras]'")
import keras  # noqa: E402

from course_lib.nn import (  # noqa: E402
    Activation,
    AveragePooling2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPooling2D,
    RMSprop,
    Sequential,
    lenet5,
)
from course_lib.nn.lecture_curves import build  # noqa: E402

LAB_MODELS = ("model 1", "model 2", "model 4")


def lenet(seed=0):
    model = lenet5(input_shape=(28, 28, 1), seed=seed)
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(), metrics=["accuracy"])
    return model


def batch(rng, shape, n=64):
    x = rng.random((n, *shape), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, n)]
    return x, y


def model_named(name):
    return lenet() if name == "lenet5" else build(name)


@pytest.mark.parametrize("name", [*LAB_MODELS, "lenet5"])
def test_same_weights_give_the_same_predictions_and_counts(name, rng):
    model = model_named(name)
    kmodel = bridge.to_keras(model)
    x, _ = batch(rng, model.input_shape[1:], n=100)
    assert kmodel.count_params() == model.count_params()
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x), atol=2e-6)
    back = bridge.from_keras(kmodel)
    assert [w.shape for w in back.get_weights()] == [w.shape for w in model.get_weights()]
    for got, want in zip(back.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)


def test_the_two_models_share_no_memory(rng):
    """Training the course model after to_keras leaves the Keras model as it was."""
    model = build("model 1")
    model.build()
    for layer in model.layers[::2]:     # JAX on the CPU shares 64-byte aligned NumPy arrays
        raw = np.zeros(layer.b.size + 16, np.float32)
        start = (-raw.ctypes.data % 64) // 4
        layer.b = layer.params[1] = raw[start:start + layer.b.size]
    kmodel = bridge.to_keras(model)
    x, y = batch(rng, (784,), n=256)
    for _ in range(5):
        course_step(model, x, y)
    for got, want in zip(kmodel.get_weights(), bridge.to_keras(build("model 1")).get_weights(),
                         strict=True):
        np.testing.assert_array_equal(got, want)


def course_step(model, x, y):
    """One RMSprop step of ``model`` on the batch, dropout off (as Keras' training=False)."""
    _, grads = model.gradients(x, y, training=False)
    model.optimizer.step(model.params, grads)


def keras_step(kmodel, x, y):
    """One step of Keras' own optimizer on gradients of Keras' loss, dropout off."""
    import jax

    trainable = [v.value for v in kmodel.trainable_variables]
    fixed = [v.value for v in kmodel.non_trainable_variables]

    def loss(weights):
        probs, _ = kmodel.stateless_call(weights, fixed, x, training=False)
        return keras.losses.categorical_crossentropy(y, probs).mean()

    grads = jax.grad(loss)(trainable)
    kmodel.optimizer.apply_gradients(zip(grads, kmodel.trainable_variables, strict=True))


@pytest.mark.parametrize("name", [*LAB_MODELS, "lenet5"])
def test_three_rmsprop_steps_give_the_same_weights(name, rng):
    model = model_named(name)
    kmodel = bridge.to_keras(model)
    start = model.get_weights()
    for _ in range(3):
        x, y = batch(rng, model.input_shape[1:])
        course_step(model, x, y)
        keras_step(kmodel, x, y)
    for got, want, before in zip(bridge.from_keras(kmodel).get_weights(), model.get_weights(),
                                 start, strict=True):
        assert np.abs(want - before).max() > 1e-3          # every array moved
        np.testing.assert_allclose(got, want, atol=1e-6)


@pytest.mark.parametrize("name", ["model 1", "lenet5"])
def test_keras_own_training_step_matches_fit(name, rng):
    """Keras' train_on_batch (its real training path) against course_lib's fit on one batch."""
    model = model_named(name)
    kmodel = bridge.to_keras(model)
    x, y = batch(rng, model.input_shape[1:], n=256)
    kmodel.train_on_batch(x, y)
    model.fit(x, y, batch_size=256, epochs=1, shuffle=False, verbose=0)
    for got, want in zip(bridge.from_keras(kmodel).get_weights(), model.get_weights(),
                         strict=True):
        np.testing.assert_allclose(got, want, atol=1e-6)


def test_dropout_is_keras_inverted_dropout(rng):
    """Keras' mask, read off its output, gives our Dropout the same output in training."""
    x = rng.random((32, 500), dtype=np.float32) + 0.5          # no zero in x
    out = np.asarray(keras.layers.Dropout(0.4, seed=1)(x, training=True))
    mask = out != 0
    assert 0.5 < mask.mean() < 0.7                               # about 1 - rate kept
    ours = Dropout(0.4).forward(x, training=True, mask=mask)
    np.testing.assert_allclose(ours, out, rtol=1e-6)


@pytest.mark.parametrize("seed", range(2))
def test_random_networks_round_trip(seed):
    """Random image sizes, filters, strides, paddings and pools: same predictions both ways."""
    rng = np.random.default_rng(seed)
    f, stride, depth = int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 4))
    pad, side = int(rng.integers(0, f)), 2 * int(rng.integers(2, 5))   # conv output side, even
    size = (side - 1) * stride + f - 2 * pad                 # (size - f + 2 pad)/stride + 1
    pool = [MaxPooling2D, AveragePooling2D][seed % 2]
    act = ["relu", "tanh", "sigmoid", None][seed]
    model = Sequential([
        Conv2D(int(rng.integers(2, 6)), f, stride=stride, pad=pad,
               input_shape=(size, size, depth), activation=act),
        pool(2), Flatten(), Dense(int(rng.integers(3, 12)), activation="tanh"),
        Dropout(0.3), Dense(4), Activation("softmax")], seed=seed)
    x = rng.random((7, size, size, depth), dtype=np.float32)
    kmodel = bridge.to_keras(model)
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x), atol=2e-6)
    back = bridge.from_keras(kmodel)
    np.testing.assert_allclose(back.predict(x), model.predict(x), atol=0)


def test_same_padding_comes_back_as_pad():
    kmodel = keras.Sequential([keras.Input((8, 8, 2)),
                               keras.layers.Conv2D(3, 5, padding="same", activation="relu"),
                               keras.layers.Flatten(), keras.layers.Dense(2)])
    model = bridge.from_keras(kmodel)
    assert (model.layers[0].pad, model.layers[0].output_shape) == (2, (8, 8, 3))
    x = np.random.default_rng(0).random((3, 8, 8, 2), dtype=np.float32)
    np.testing.assert_allclose(model.predict(x), kmodel.predict(x, verbose=0), atol=2e-6)


def test_what_keras_lacks_is_named():
    with pytest.raises(ValueError, match="'sign'.*Keras"):
        bridge.to_keras(Sequential([Dense(2, input_dim=3), Activation("sign")]))
    kmodel = keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization()])
    with pytest.raises(ValueError, match="BatchNormalization.*supported: Dense"):
        bridge.from_keras(kmodel)
    kmodel = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.ZeroPadding2D(((1, 0), (1, 0))),
                               keras.layers.Conv2D(2, 3)])
    with pytest.raises(ValueError, match="unevenly"):
        bridge.from_keras(kmodel)


def test_the_step_test_tells_keras_2_rmsprop_apart():
    """Keras 2's (and PyTorch's) epsilon after the root would fail the tolerance above; a
    model compiled with it is refused, not silently changed."""
    g = np.array([1e-4, 3e-4, 1e-3, 1e-2, 1.0], np.float32)
    keras_3, keras_2 = np.zeros(5, np.float32), np.zeros(5, np.float32)
    RMSprop().step([keras_3], [g])
    RMSprop(eps_in_sqrt=False).step([keras_2], [g])
    assert np.abs(keras_3 - keras_2).max() > 1e-4
    v = 0.1 * g.astype(np.float64) ** 2
    np.testing.assert_allclose(keras_3, -0.001 * g / np.sqrt(v + 1e-7), rtol=1e-5)
    model = Sequential([Dense(2, input_dim=3), Activation("softmax")])
    model.compile(optimizer=RMSprop(eps_in_sqrt=False))
    with pytest.raises(ValueError, match="Keras 2's RMSprop"):
        bridge.to_keras(model)
