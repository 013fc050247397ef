"""The patch matrix ("im2col") behind the fast convolution, built a few images at a time.

A convolution is one matrix product once every input window is written out as a column: the
patch matrix P, one row per filter tap ``(i, j, c)`` (F*F*C rows, plus a row of ones that
multiplies the biases), one column per output position ``(n, y, x)``. Then
``out = P^T W^T``, ``dW = dout^T P^T`` and the bias gradient is the ones row's share.

P is F*F*C times larger than the output positions it serves (25 times the input for a 5x5
filter on one channel), so it is built for a chunk of the batch at a time, into buffers
reused from chunk to chunk: the memory stays small, and a chunk's patches are still in the
cache when the matrix product reads them.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .threads import over_batch

__all__ = ["CHUNK_BYTES", "DX_CHUNK_BYTES", "batch_chunks", "conv_backward_chunks",
           "conv_forward_chunks", "input_gradient", "patch_chunks"]

CHUNK_BYTES = 1 << 18
"""Largest patch matrix built at once, in bytes (a chunk holds at least one image): small
enough to be still in the cache when the matrix product reads it (256 KB was the fastest of
256 KB to 1 GB on LeNet's layers, up to 2x faster than one patch matrix for the batch)."""
DX_CHUNK_BYTES = 1 << 23
"""Largest tap-gradient matrix ``dP`` at once in the backward pass: there the F*F additions
per chunk dominate, so fewer, larger chunks were faster (8 MB: 1.5x faster than 256 KB)."""


def batch_chunks(n, bytes_per_image, budget=CHUNK_BYTES):
    """``[(lo, hi), ...]``: consecutive slices of ``n`` images, each within ``budget`` bytes.

    Examples
    --------
    >>> batch_chunks(10, 300, budget=1000)
    [(0, 3), (3, 6), (6, 9), (9, 10)]
    >>> batch_chunks(2, 5000, budget=1000)  # one image is too big: one image per chunk
    [(0, 1), (1, 2)]
    """
    per = max(1, int(budget // max(bytes_per_image, 1)))
    return [(lo, min(lo + per, n)) for lo in range(0, n, per)]


def patch_chunks(x, f, stride, pad, ho, wo, budget=CHUNK_BYTES):
    """Yield ``(lo, hi, P)`` for chunks of the batch: P of shape (F*F*C + 1, (hi-lo)*H'*W').

    Row ``(i*F + j)*C + c`` and column ``(n - lo, y, x)`` of P hold
    ``xpad[n, y*stride + i, x*stride + j, c]``; the last row is ones. P is a view of a buffer
    that the next chunk overwrites.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> [(lo, hi, p.shape) for lo, hi, p in patch_chunks(x, 2, 1, 0, 2, 2)]
    [(0, 1, (5, 4))]
    >>> next(patch_chunks(x, 2, 1, 0, 2, 2))[2]  # columns: the four 2x2 windows
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.],
           [1., 1., 1., 1.]])
    """
    n, h, w, c = x.shape
    rows = f * f * c
    chunks = batch_chunks(n, (rows + 1) * ho * wo * x.itemsize, budget)
    most = max(hi - lo for lo, hi in chunks)
    buf = np.empty((rows + 1, most * ho * wo), x.dtype)
    buf[rows] = 1  # the ones row, written once: the chunks only overwrite the tap rows
    # Channel-first padded copy of a chunk (its border stays zero from chunk to chunk), and
    # the view of all its windows in the patch rows' order (i, j, c, n, y, x): one copy per
    # chunk then fills the patches, moving whole rows of x (a Python loop over the F*F taps
    # was measured up to 2x slower on small chunks).
    xt = np.zeros((c, most, h + 2 * pad, w + 2 * pad), x.dtype)
    windows = sliding_window_view(xt, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
    windows = windows[:, :, :ho, :wo].transpose(4, 5, 0, 1, 2, 3)
    for lo, hi in chunks:
        m = hi - lo
        xt[:, :m, pad:pad + h, pad:pad + w] = x[lo:hi].transpose(3, 0, 1, 2)
        p = buf[:, :m * ho * wo]
        np.copyto(p[:rows].reshape(f, f, c, m, ho, wo), windows[:, :, :, :m])
        yield lo, hi, p


def conv_forward_chunks(x, w, b, stride, pad, ho, wo, relu=False):
    """``out`` (N, H', W', K) of the convolution, one matrix product per chunk of the batch.

    ``x`` and ``w`` share one float dtype; ``b`` is (K,) or None. Each chunk's product
    ``P^T [W | b]^T`` is written straight into its rows of ``out``, already in (n, y, x, k)
    order; ``relu=True`` applies ``max(0, .)`` to it there, while it is still in the cache.
    """
    k = w.shape[0]
    wb = np.zeros((k, w[0].size + 1), w.dtype)  # [W | b]: the bias is one more tap, on ones
    wb[:, :-1] = w.reshape(k, -1)
    if b is not None:
        wb[:, -1] = b
    out = np.empty((x.shape[0], ho, wo, k), x.dtype)

    def part(first, last):  # one core's images, in chunks, with buffers of its own
        for lo, hi, p in patch_chunks(x[first:last], w.shape[1], stride, pad, ho, wo):
            o = np.matmul(p.T, wb.T, out=out[first + lo:first + hi].reshape(-1, k))
            if relu:
                np.maximum(o, 0, out=o)

    over_batch(part, x.shape[0], split=_long_calls(x, w.shape[1], ho, wo))
    return out


def _long_calls(x, f, ho, wo):
    """Whether the chunks' copies and products are long enough to pay for two threads: one
    image's patches fill a chunk (measured on 2 cores: 3x3x64 and 5x5x3 layers 1.1-1.4x
    faster on two threads; LeNet's 5x5 layers on 1 and 6 channels, with chunks of several
    small images, 1.15-1.4x slower, the threads taking turns at Python's lock between calls)."""
    return (f * f * x.shape[3] + 1) * ho * wo * x.itemsize >= CHUNK_BYTES


def conv_backward_chunks(dout, x, w, stride, pad, need_dx=True, relu_out=None):
    """``(dx or None, dw, db)`` from ``dout`` (N, H', W', K), the patches rebuilt chunk by chunk.

    Per chunk: ``[dW | db]^T += P dout`` and, if ``need_dx``, ``dP = W^T dout^T``, whose
    rows are added back where each tap read the input (``input_gradient``). ``relu_out``:
    the output of a fused ReLU; ``dout`` is then first multiplied by ``relu_out > 0``.
    """
    k = w.shape[0]
    wk = w.reshape(k, -1)
    dwb = np.zeros((wk.shape[1] + 1, k), w.dtype)
    if relu_out is not None and need_dx:  # the whole of it is needed twice: mask it once
        dout, relu_out = np.multiply(dout, relu_out > 0), None
    dx = np.empty(x.shape, w.dtype) if need_dx else None
    per_image = wk.shape[1] * dout.shape[1] * (x.shape[2] + 2 * pad) * x.itemsize

    def dw_part(first, last):  # one core's images: its share of [dW | db]
        share = np.zeros_like(dwb)
        for lo, hi, p in patch_chunks(x[first:last], w.shape[1], stride, pad,
                                      *dout.shape[1:3]):
            d = dout[first + lo:first + hi].reshape(-1, k)
            if relu_out is not None:  # chunk by chunk, while d is in the cache
                d = d * (relu_out[first + lo:first + hi].reshape(-1, k) > 0)
            share += p @ d
        return share

    def dx_part(first, last):  # one core's rows of dx, in large chunks: always worth a split
        work = {}  # buffers of input_gradient, reused from chunk to chunk
        for lo, hi in batch_chunks(last - first, per_image, DX_CHUNK_BYTES):
            lo, hi = first + lo, first + hi
            d = dout[lo:hi].reshape(-1, k)
            dx[lo:hi] = input_gradient(d, wk, (hi - lo, *x.shape[1:]), stride, pad, work)

    split = _long_calls(x, w.shape[1], *dout.shape[1:3])
    for share in over_batch(dw_part, x.shape[0], split=split):
        dwb += share
    if need_dx:
        over_batch(dx_part, x.shape[0])
    return dx, dwb[:-1].T.reshape(w.shape), dwb[-1].copy()


def input_gradient(d, wk, shape, stride, pad, work=None):
    """``dx`` of ``shape`` (m, H, W, C) from ``d`` (m*H'*W', K) and the filters ``wk`` (K, F*F*C).

    ``dP = W^T d^T`` holds, for every tap, the gradient of the input value that tap read;
    these are added back tap by tap into a padded channel-first work space, whose inside is
    returned (a view into ``work``, a dict of buffers kept for the next call).

    Notes
    -----
    With stride 1, ``d`` is first widened to the padded width ``W + 2 pad`` (zeros in the
    ``F - 1`` extra columns). Tap ``(i, j)`` then reads the padded input at flat offset
    ``i*(W + 2 pad) + j`` from the output position, so its gradient is added as one run of
    ``H' (W + 2 pad)`` numbers per image and channel instead of H' runs of W' (measured 4x
    faster on LeNet's second layer, where W' = 10).
    """
    m, h, wd, c = shape
    k, f = wk.shape[0], int(round((wk.shape[1] // c) ** 0.5))
    hp, wp = h + 2 * pad, wd + 2 * pad
    ho, wo = (hp - f) // stride + 1, (wp - f) // stride + 1
    work = {} if work is None else work
    if stride == 1:
        if "wide" not in work:  # first (largest) chunk: zeros stay in the extra columns
            work["wide"] = np.zeros((m, ho, wp, k), d.dtype)
            work["runs"] = np.empty((c, m, hp * wp + f), d.dtype)
        wide, runs = work["wide"][:m], work["runs"][:, :m]
        wide[:, :, :wo] = d.reshape(m, ho, wo, k)
        dp = (wk.T @ wide.reshape(-1, k).T).reshape(f, f, c, m, ho * wp)
        runs.fill(0)
        for i in range(f):
            for j in range(f):
                runs[:, :, i * wp + j:i * wp + j + ho * wp] += dp[i, j]
        padded = runs[:, :, :hp * wp].reshape(c, m, hp, wp)
    else:
        if "padded" not in work:
            work["padded"] = np.empty((c, m, hp, wp), d.dtype)
        padded = work["padded"][:, :m]
        dp = (wk.T @ d.T).reshape(f, f, c, m, ho, wo)
        padded.fill(0)
        for i in range(f):
            for j in range(f):
                padded[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride] += dp[i, j]
    return padded[:, :, pad:pad + h, pad:pad + wd].transpose(1, 2, 3, 0)
