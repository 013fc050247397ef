"""The variants of 04, 05 and 06 (course_lib.checking.variants_conv): 200 random student ids
give numbers that fit, checked against course_lib's conv2d, conv_output_size and models."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_grader.variants import expected
from course_lib import (
    Conv2D,
    Dense,
    Flatten,
    MaxPooling2D,
    Sequential,
    conv2d,
    conv_output_size,
    conv_params,
    max_pool2d,
)
from course_lib.checking.reveal import reveal_after
from course_lib.checking.variants import Variant
from course_lib.checking.variants_conv import conv_out

IDS = st.text(min_size=1, max_size=24)


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_conv_exercises_of_any_student(student):
    v = Variant("04_convolution", student)
    sizes = expected(v, "sizes")
    for key, layer in vars(v["sizes"]).items():
        want = conv_output_size(layer["n"], layer["f"], stride=layer["s"], pad=layer["p"])
        assert sizes[f"size_{key}"] == want >= 2
        assert f"{layer['n']}x{layer['n']} input" in v.text("sizes")
    params = expected(v, "params")
    for key, bank in vars(v["params"]).items():
        assert params[f"params_{key}"] == conv_params(bank["f"], bank["d"], bank["k"])
    hand = v["by_hand"]
    x, w = np.array(hand.x), np.array(hand.w)
    assert x.shape == (5, 5) and w.shape == (3, 3)
    assert expected(v, "by_hand")["by_hand"] == conv2d(x, w, stride=2).astype(int).tolist()



@settings(max_examples=200, deadline=None)
@given(IDS)
def test_fc_after_stack_of_any_student(student):
    v = Variant("05_pooling_fc", student)
    n = v["fc"]
    model = Sequential([Conv2D(n.k1, 3, pad=1, input_shape=(n.side, n.side, n.depth)),
                        MaxPooling2D(2, stride=2), Conv2D(n.k2, 3, pad=1),
                        MaxPooling2D(2, stride=2), Flatten(), Dense(n.fc)])
    flat, fc = model.layers[4], model.layers[5]
    assert expected(v, "fc") == {"flat_size": flat.output_shape[0],
                                "fc_params": fc.count_params()}
    pool = v["pool"]
    x = np.array(pool.x, dtype=float)
    assert (x.shape[0] - pool.f) % pool.s == 0, "the windows tile the slice"
    assert expected(v, "pool")["pooled"] == max_pool2d(x, f=pool.f, stride=pool.s).tolist()
    assert f"stride {pool.s}" in v.text("pool")


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_layer_table_and_small_filters_of_any_student(student):
    v = Variant("06_cnn_architectures", student)
    n = v["table"]
    model = Sequential([Conv2D(n.k1, 5, pad=2, input_shape=(n.side, n.side, n.depth)),
                        MaxPooling2D(2, stride=2), Conv2D(n.k2, 3),
                        MaxPooling2D(2, stride=2), Flatten(), Dense(n.classes)])
    want = expected(v, "table")
    assert want["shapes"] == [tuple(layer.output_shape) for layer in model.layers]
    assert want["params"] == [layer.count_params() for layer in model.layers]
    d = v["small_filters"].depth
    small = expected(v, "small_filters")
    assert small["params_two_3x3"] == 2 * conv_params(3, d, d)
    assert small["params_one_5x5"] == conv_params(5, d, d)
    assert small["receptive_field"] == 5 and f"**{d}**" in v.text("small_filters")


def test_conv_out_refuses_what_does_not_fit():
    assert conv_out(7, 3, 3, 1) == 3
    with pytest.raises(ValueError, match="not a whole number"):
        conv_out(7, 3, 3, 0)


def test_a_checked_variant_answer_unlocks_its_worked_answer(capsys, monkeypatch):
    """06 shows the comparison of two 3x3 layers with one 5x5 only after Exercise 3's answer
    went through ``V.check`` (a blank answer does not unlock it)."""
    monkeypatch.setattr("course_lib.checking.reveal._checked", set())  # a fresh kernel
    v = Variant("06_cnn_architectures", "reveal-test")
    v.check("small_filters", receptive_field=None)
    assert not reveal_after("receptive_field", "Exercise 3")
    v.check("small_filters", receptive_field=6)
    capsys.readouterr()
    assert reveal_after("receptive_field", "Exercise 3")


def test_no_student_gets_an_all_zero_or_flip_proof_convolution_by_hand():
    """Some ids drew an answer of zeros, or one the flipped filter also gives (then the flip,
    the mistake the exercise names, went unnoticed): 3,000 ids, none of either."""
    for i in range(3000):
        v = Variant("04_convolution", f"s{i}")
        right = expected(v, "by_hand")["by_hand"]
        flipped = np.asarray(v["by_hand"].w)[::-1, ::-1]
        assert np.any(right), v["by_hand"]
        assert not np.array_equal(right, conv2d(np.asarray(v["by_hand"].x), flipped, stride=2))


def test_two_slips_that_give_one_number_share_one_hint(capsys):
    """Forgetting the padding and forgetting the + 1 give the same size_c: the hint names both
    (it named only the + 1, which misled a student who had forgotten the padding)."""
    v = Variant("04_convolution", "two-slips")
    c = v["sizes"].c
    assert (c["n"] - c["f"]) // c["s"] + 1 == conv_out(c["n"], c["f"], c["s"], c["p"]) - 1
    v.check("sizes", size_c=conv_out(c["n"], c["f"], c["s"], c["p"]) - 1)
    out = capsys.readouterr().out
    assert "+ 1" in out and "padding" in out, out
