"""LeNet-5, AlexNet, VGG16: published parameter counts, shapes, summaries without weights."""

import re
import tracemalloc

import numpy as np
import pytest

from course_lib import one_hot
from course_lib.nn.architectures import alexnet, lenet5, vgg16


@pytest.mark.parametrize("build, total", [
    (lenet5, 61_706),
    (lambda: lenet5(input_shape=(28, 28, 1)), 61_706),
    (lambda: lenet5(activation="tanh", pooling="average"), 61_706),
    (alexnet, 62_378_344),
    (vgg16, 138_357_544),
])
def test_published_parameter_counts(build, total):
    assert build().count_params() == total


def test_lenet5_shapes():
    shapes = [layer.output_shape for layer in lenet5(input_shape=(28, 28, 1)).layers]
    assert shapes == [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (400,), (120,),
                      (84,), (10,), (10,)]


def test_alexnet_and_vgg16_shapes():
    a = [layer.output_shape for layer in alexnet().layers]
    assert a[:8] == [(55, 55, 96), (27, 27, 96), (27, 27, 256), (13, 13, 256), (13, 13, 384),
                     (13, 13, 384), (13, 13, 256), (6, 6, 256)]
    assert (9216,) in a
    v = vgg16()
    assert v.layers[0].output_shape == (224, 224, 64)
    assert (7, 7, 512) in [layer.output_shape for layer in v.layers]
    assert v.output_shape == (None, 1000)


def test_vgg16_summary_allocates_no_weights(capsys):
    tracemalloc.start()
    model = vgg16()
    model.summary()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000, f"peak {peak / 1e6:.1f} MB"   # the weights would take 553 MB
    assert not any(layer.built for layer in model.layers)
    text = capsys.readouterr().out
    assert "Total params: 138,357,544" in text
    assert re.search(r"\nconv2d_1 \(Conv2D\) +\(None, 224, 224, 64\) +1792\n", text)
    assert re.search(r"\nmax_pooling2d_5 \(MaxPooling2D\) +\(None, 7, 7, 512\) +0\n", text)
    assert re.search(r"\ndense_1 \(Dense\) +\(None, 4096\) +102764544\n", text)


def test_lenet5_forward_and_one_training_step():
    rng = np.random.default_rng(0)
    model = lenet5(input_shape=(28, 28, 1), seed=0)
    model.compile(metrics=["accuracy"])
    x = rng.random((8, 28, 28, 1), dtype=np.float32)
    y = one_hot(rng.integers(0, 10, 8), 10)
    p = model.predict(x)
    assert p.shape == (8, 10) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    weights = [layer.W.copy() for layer in model.layers if hasattr(layer, "W")]
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert history["loss"][-1] < history["loss"][0]
    after = [layer.W for layer in model.layers if hasattr(layer, "W")]
    assert all(not np.array_equal(a, b) for a, b in zip(weights, after, strict=True))


def test_bad_pooling_name():
    with pytest.raises(ValueError, match="lenet5: pooling must be 'max' or 'average'"):
        lenet5(pooling="min")
