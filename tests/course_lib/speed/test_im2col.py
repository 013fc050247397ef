"""im2col: the patch matrix built chunk by chunk, against direct references on random shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import conv2d_loops
from course_lib.speed.im2col import (
    batch_chunks,
    conv_backward_chunks,
    conv_forward_chunks,
    input_gradient,
    patch_chunks,
)


@st.composite
def cases(draw):
    """(x, w, stride, pad, ho, wo) that fit, float64, and a patch budget (bytes)."""
    f, stride = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    pad = draw(st.integers(0, f - 1))
    ho, wo = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    h, w = (ho - 1) * stride + f - 2 * pad, (wo - 1) * stride + f - 2 * pad
    n, c, k = draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    if h < 1 or w < 1:
        h, w, pad = h + 2 * pad, w + 2 * pad, 0
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x, filters = rng.standard_normal((n, h, w, c)), rng.standard_normal((k, f, f, c))
    budget = draw(st.sampled_from([1, 500, 4000, 1 << 20]))  # 1: one image per chunk
    return x, filters, stride, pad, ho, wo, budget


def reference_patches(x, f, stride, pad, ho, wo):
    """(F*F*C + 1, N*H'*W') straight from the definition, with the ones row."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n, c = x.shape[0], x.shape[3]
    p = np.ones((f * f * c + 1, n, ho, wo))
    for i in range(f):
        for j in range(f):
            for ch in range(c):
                p[(i * f + j) * c + ch] = xp[:, i:i + stride * ho:stride,
                                             j:j + stride * wo:stride, ch]
    return p.reshape(f * f * c + 1, -1)


def reference_dx(d, w, shape, stride, pad):
    """dx by the chain rule, position by position: each output adds w * d where it read."""
    n, h, wd, c = shape
    k, f = w.shape[:2]
    dxp = np.zeros((n, h + 2 * pad, wd + 2 * pad, c))
    for b, y, x_ in np.ndindex(d.shape[:3]):
        dxp[b, y * stride:y * stride + f, x_ * stride:x_ * stride + f] += np.tensordot(
            d[b, y, x_], w, axes=(0, 0))
    return dxp[:, pad:pad + h, pad:pad + wd]


def test_batch_chunks_cover_the_batch_within_the_budget():
    assert batch_chunks(7, 100, budget=250) == [(0, 2), (2, 4), (4, 6), (6, 7)]
    assert batch_chunks(3, 100, budget=10_000) == [(0, 3)]
    assert batch_chunks(3, 100, budget=1) == [(0, 1), (1, 2), (2, 3)]


@settings(max_examples=40, deadline=None)
@given(cases())
def test_patches_match_the_definition_for_any_chunk_size(case):
    x, w, stride, pad, ho, wo, budget = case
    f = w.shape[1]
    parts = [(lo, hi, p.copy()) for lo, hi, p in patch_chunks(x, f, stride, pad, ho, wo, budget)]
    assert [lo for lo, _, _ in parts] == sorted({lo for lo, _, _ in parts})
    assert parts[0][0] == 0 and parts[-1][1] == x.shape[0]
    np.testing.assert_array_equal(np.concatenate([p for _, _, p in parts], axis=1),
                                  reference_patches(x, f, stride, pad, ho, wo))


@settings(max_examples=30, deadline=None)
@given(cases())
def test_forward_matches_the_loops(case):
    x, w, stride, pad, ho, wo, _ = case
    b = np.arange(w.shape[0], dtype=float)
    np.testing.assert_allclose(conv_forward_chunks(x, w, b, stride, pad, ho, wo),
                               conv2d_loops(x, w, b, stride, pad), rtol=1e-10, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_input_gradient_matches_the_chain_rule(case):
    x, w, stride, pad, ho, wo, _ = case
    d = np.random.default_rng(3).standard_normal((x.shape[0], ho, wo, w.shape[0]))
    dx = input_gradient(d.reshape(-1, w.shape[0]), w.reshape(w.shape[0], -1), x.shape,
                        stride, pad)
    np.testing.assert_allclose(dx, reference_dx(d, w, x.shape, stride, pad),
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("stride, pad", [(1, 2), (2, 1)])
def test_backward_without_dx_gives_the_same_dw_and_db(rng, stride, pad):
    x, w = rng.standard_normal((3, 9, 9, 2)), rng.standard_normal((4, 3, 3, 2))
    ho = (9 - 3 + 2 * pad) // stride + 1
    dout = rng.standard_normal((3, ho, ho, 4))
    dx, dw, db = conv_backward_chunks(dout, x, w, stride, pad)
    none, dw2, db2 = conv_backward_chunks(dout, x, w, stride, pad, need_dx=False)
    assert none is None and dx.shape == x.shape
    np.testing.assert_array_equal(dw2, dw)
    np.testing.assert_allclose(db, dout.sum(axis=(0, 1, 2)), rtol=1e-12)
    np.testing.assert_array_equal(db2, db)
