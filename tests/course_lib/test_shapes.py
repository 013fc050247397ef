"""Output sizes and parameter counts: the slide's examples, a brute-force reference, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import (
    Conv2D,
    Dense,
    conv_output_size,
    conv_params,
    dense_params,
    lenet5,
    pool_output_size,
)


@pytest.mark.parametrize(
    "n, f, stride, pad, expected",
    [
        (7, 3, 1, 0, 5),  # the 7x7 input, 3x3 filter slide
        (7, 3, 2, 0, 3),  # stride 2
        (7, 3, 3, 1, 3),  # stride 3 fits once padded with 1
        (7, 3, 1, 1, 7),  # pad 1 keeps the size with a 3x3 filter
        (32, 5, 1, 2, 32),  # 32x32x3 with 5x5 filters, pad 2
        (36, 5, 1, 0, 32),  # 36x36x3 with 5x5 filters
        (32, 5, 1, 0, 28),  # six 5x5x3 filters give 28x28x6
        (227, 11, 4, 0, 55),  # AlexNet conv1
        (224, 3, 1, 1, 224),  # VGG16 conv
    ],
)
def test_conv_output_size_slide_examples(n, f, stride, pad, expected):
    assert conv_output_size(n, f, stride=stride, pad=pad) == expected


@pytest.mark.parametrize("n, f, stride, expected", [(4, 2, 2, 2), (224, 2, 2, 112), (55, 3, 2, 27),
                                                     (28, 2, 2, 14), (10, 2, 2, 5)])
def test_pool_output_size_slide_examples(n, f, stride, expected):
    assert pool_output_size(n, f, stride) == expected


def _positions(n, f, stride, pad):
    """Count the filter positions by sliding it, one step at a time (the reference)."""
    start, count = 0, 0
    while start + f <= n + 2 * pad:
        count += 1
        start += stride
    return count, start - stride + f == n + 2 * pad


@given(n=st.integers(1, 60), f=st.integers(1, 12), stride=st.integers(1, 6), pad=st.integers(0, 5))
def test_conv_output_size_matches_sliding_the_filter(n, f, stride, pad):
    count, fits = _positions(n, f, stride, pad)
    if count >= 1 and fits:
        assert conv_output_size(n, f, stride=stride, pad=pad) == count
    else:
        with pytest.raises(ValueError):
            conv_output_size(n, f, stride=stride, pad=pad)


def test_stride_3_does_not_fit_and_the_message_works_the_formula():
    with pytest.raises(ValueError, match=r"\(7 - 3 \+ 2\*0\)/3 \+ 1 = 2\.33") as err:
        conv_output_size(7, 3, stride=3)
    assert "does not fit" in str(err.value)
    assert "padding" in str(err.value)


def test_filter_larger_than_input_is_refused():
    with pytest.raises(ValueError, match=r"larger than an input side of 3.*below 1"):
        conv_output_size(3, 5)


def test_pool_window_that_does_not_fit():
    with pytest.raises(ValueError, match=r"pool_output_size: .*\(5 - 2\)/2 \+ 1 = 2\.50") as err:
        pool_output_size(5, 2, 2)
    # pooling has no padding: the message neither puts it in the formula nor advises it
    assert "add padding" not in str(err.value) and "2*0" not in str(err.value)


@pytest.mark.parametrize("kwargs, exc, pattern", [
    (dict(n=7.0, f=3), TypeError, r"conv_output_size: n must be a whole number .*7\.0"),
    (dict(n=7, f=3, stride=0), ValueError, r"conv_output_size: stride must be >= 1, got stride=0"),
    (dict(n=7, f=3, pad=-1), ValueError, r"conv_output_size: pad must be >= 0, got pad=-1"),
    (dict(n=7, f="3"), TypeError, r"conv_output_size: f must be a whole number"),
    (dict(n=7, f=3, stride=True), TypeError, r"stride must be a whole number .*bool"),
])
def test_bad_arguments_name_the_argument(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        conv_output_size(**kwargs)


def test_dense_params_lecture_numbers():
    assert dense_params(784, 10) == 7_850
    assert dense_params(784, 10) + dense_params(10, 10) == 7_960
    assert dense_params(784, 500) + dense_params(500, 10) == 397_510
    assert dense_params(784, 500) + dense_params(500, 300) + dense_params(300, 10) == 545_810
    assert dense_params(5 * 5 * 16, 120) == 48_120


def test_conv_params_lecture_numbers():
    assert conv_params(5, 3, 10) == 760
    assert conv_params(3, 3, 64) == 1_792  # VGG16's first layer


def test_published_parameter_counts():
    assert dense_params(784, 10) == Dense(10, input_dim=784).count_params() == 7_850
    assert conv_params(5, 3, 10) == Conv2D(10, 5, input_shape=(32, 32, 3)).count_params() == 760
    assert lenet5().count_params() == 61_706  # LeCun et al. (1998), as in Keras


@given(n_in=st.integers(1, 300), n_out=st.integers(1, 300))
def test_dense_params_counts_every_weight_and_bias(n_in, n_out):
    layer = Dense(n_out, input_dim=n_in)  # the layer that allocates those arrays
    assert dense_params(n_in, n_out) == layer.count_params()
    layer.init_weights(np.random.default_rng(0))
    assert dense_params(n_in, n_out) == sum(p.size for p in layer.params)


@given(f=st.integers(1, 7), depth=st.integers(1, 16), k=st.integers(1, 16))
def test_conv_params_counts_the_filter_bank(f, depth, k):
    layer = Conv2D(k, f, input_shape=(f, f, depth))
    assert conv_params(f, depth, k) == layer.count_params()
    layer.init_weights(np.random.default_rng(0))
    assert conv_params(f, depth, k) == sum(p.size for p in layer.params)


def test_param_counts_reject_bad_sizes():
    with pytest.raises(ValueError, match=r"dense_params: n_out must be >= 1, got n_out=0"):
        dense_params(784, 0)
    with pytest.raises(TypeError, match=r"conv_params: k must be a whole number"):
        conv_params(5, 3, 2.5)
