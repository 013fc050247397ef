"""conv2d and max_pool2d (forward and backward) against the loop references and PyTorch.

Targets (float32, NumPy time / PyTorch time, same threads): issue 16's. PyTorch gets its own
NCHW layout, converted outside the timed region. The two sides' samples are interleaved and a
ratio is printed only when their spread is below 10% (``benchmarks/_timing.py``). Run through
``python -m benchmarks``, which imports ``_timing`` (the thread settings) before NumPy.
"""

import numpy as np

from benchmarks._timing import Row, compare, median_ms, peak_bytes, print_rows, torch_or_none
from course_lib import (
    conv2d,
    conv2d_backward,
    conv2d_forward,
    conv2d_loops,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_forward,
    max_pool2d_loops,
)

# (label, N, H, W, C, K, F, pad, target NumPy/PyTorch ratio of the forward pass)
CONV_CASES = [
    ("conv2d 64x28x28x1, six 5x5, pad 2", 64, 28, 28, 1, 6, 5, 2, 1.2),
    ("conv2d 64x32x32x3, ten 5x5x3, pad 2", 64, 32, 32, 3, 10, 5, 2, 1.2),
    ("conv2d 8x56x56x64, 64 3x3x64, pad 1", 8, 56, 56, 64, 64, 3, 1, 1.2),
]
POOL_SHAPE, POOL_TARGET = (64, 28, 28, 16), 1.0
BACKWARD_TARGET = 1.5  # conv2d backward, with dx and without (a first layer's)
POOL_BACKWARD_TARGET = 1.5
MEMORY_TARGET = 12.0  # peak extra memory of conv2d forward / input size
LOOPS_TARGET = 0.1  # the fast kernel must be at least 10x faster than its loop reference


def _data(rng, n, h, w, c, k, f):
    x = rng.standard_normal((n, h, w, c), dtype=np.float32)
    scale = float(np.sqrt(f * f * c))  # a NumPy float64 scalar would turn the filters float64
    filters = rng.standard_normal((k, f, f, c), dtype=np.float32) / scale
    return x, filters, rng.standard_normal(k, dtype=np.float32)


def _nchw(torch, a):
    return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)))


def _check_close(name, ours, theirs):
    if not np.allclose(ours, theirs, rtol=1e-3, atol=1e-3):
        raise AssertionError(f"{name}: NumPy and PyTorch disagree (max difference "
                             f"{np.max(np.abs(ours - theirs)):.3g})")


def _conv_rows(torch, rng, label, n, h, w, c, k, f, pad, target):
    """Forward and backward of one conv case against PyTorch."""
    tf = torch.nn.functional
    x, filters, b = _data(rng, n, h, w, c, k, f)
    xt, wt, bt = _nchw(torch, x), _nchw(torch, filters), torch.from_numpy(b)
    with torch.no_grad():
        ours, theirs = conv2d(x, filters, b, pad=pad), tf.conv2d(xt, wt, bt, padding=pad)
        _check_close(label, ours, theirs.permute(0, 2, 3, 1).numpy())
        times = compare(lambda: conv2d(x, filters, b, pad=pad),
                        lambda: tf.conv2d(xt, wt, bt, padding=pad))
    forward = Row(label + " (forward)", *times, target)

    out, cache = conv2d_forward(x, filters, b, pad=pad)
    dout = rng.standard_normal(out.shape, dtype=np.float32)
    leaves = [a.clone().requires_grad_() for a in (xt, wt, bt)]
    tout, tdout = tf.conv2d(*leaves, padding=pad), _nchw(torch, dout)
    tdx = torch.autograd.grad(tout, leaves, tdout, retain_graph=True)[0]
    _check_close(label + " backward", conv2d_backward(dout, cache)[0],
                 tdx.permute(0, 2, 3, 1).numpy())
    times = compare(lambda: conv2d_backward(dout, cache),
                    lambda: torch.autograd.grad(tout, leaves, tdout, retain_graph=True))
    rows = [forward, Row(label + " (backward)", *times, BACKWARD_TARGET)]
    if c <= 3:  # a first layer's: no dx (PyTorch skips it when x needs no gradient)
        _check_close(label + " backward dw", conv2d_backward(dout, cache, need_dx=False)[1],
                     torch.autograd.grad(tout, leaves[1], tdout, retain_graph=True)[0]
                     .permute(0, 2, 3, 1).numpy())
        times = compare(lambda: conv2d_backward(dout, cache, need_dx=False),
                        lambda: torch.autograd.grad(tout, leaves[1:], tdout, retain_graph=True))
        rows.append(Row(label + " (backward, no dx)", *times, BACKWARD_TARGET))
    return rows


def bench_torch(torch, rng):
    """Forward and backward of every conv case and of max pooling, against PyTorch."""
    tf = torch.nn.functional
    rows = []
    for case in CONV_CASES:
        rows += _conv_rows(torch, rng, *case)
    x = rng.standard_normal(POOL_SHAPE, dtype=np.float32)
    xt = _nchw(torch, x)
    _check_close("max_pool2d", max_pool2d(x), tf.max_pool2d(xt, 2, 2).permute(0, 2, 3, 1).numpy())
    with torch.no_grad():
        times = compare(lambda: max_pool2d(x), lambda: tf.max_pool2d(xt, 2, 2))
    label = "max_pool2d 2x2/2 on 64x28x28x16"
    rows.append(Row(label + " (forward)", *times, POOL_TARGET))
    out, cache = max_pool2d_forward(x)
    dout = rng.standard_normal(out.shape, dtype=np.float32)
    xg = xt.clone().requires_grad_()
    tout, tdout = tf.max_pool2d(xg, 2, 2), _nchw(torch, dout)
    _check_close("max_pool2d backward", max_pool2d_backward(dout, cache),
                 torch.autograd.grad(tout, xg, tdout, retain_graph=True)[0]
                 .permute(0, 2, 3, 1).numpy())
    times = compare(lambda: max_pool2d_backward(dout, cache),
                    lambda: torch.autograd.grad(tout, xg, tdout, retain_graph=True))
    rows.append(Row(label + " (backward)", *times, POOL_BACKWARD_TARGET))
    return rows


def bench_loops(rng):
    """The fast kernels against the readable loop references, on small inputs."""
    x, filters, b = _data(rng, 2, 16, 16, 3, 4, 3)
    np.testing.assert_allclose(conv2d(x, filters, b, pad=1), conv2d_loops(x, filters, b, pad=1),
                               rtol=1e-4, atol=1e-4)
    conv = Row("conv2d 2x16x16x3, four 3x3x3, pad 1 vs conv2d_loops",
               median_ms(lambda: conv2d(x, filters, b, pad=1), min_time=0.2),
               median_ms(lambda: conv2d_loops(x, filters, b, pad=1), repeat=3), target=LOOPS_TARGET)
    x = rng.standard_normal((4, 16, 16, 8), dtype=np.float32)
    np.testing.assert_array_equal(max_pool2d(x), max_pool2d_loops(x))
    pool = Row("max_pool2d 2x2/2 on 4x16x16x8 vs max_pool2d_loops",
               median_ms(lambda: max_pool2d(x), min_time=0.2),
               median_ms(lambda: max_pool2d_loops(x), repeat=3), target=LOOPS_TARGET)
    return [conv, pool]


def bench_memory(rng):
    """Peak extra memory of conv2d's forward pass (and of conv2d_forward, which keeps a cache
    for training), as a multiple of the input's size; the output is part of it."""
    lines = []
    for label, n, h, w, c, k, f, pad, _ in CONV_CASES:
        x, filters, b = _data(rng, n, h, w, c, k, f)
        ratio = peak_bytes(lambda: conv2d(x, filters, b, pad=pad)) / x.nbytes  # noqa: B023
        train = peak_bytes(lambda: conv2d_forward(x, filters, b, pad=pad)) / x.nbytes  # noqa: B023
        verdict = f"target <= {MEMORY_TARGET:g}: {'yes' if ratio <= MEMORY_TARGET else 'NO'}"
        lines.append(f"{label}: peak extra memory {ratio:.1f}x the input, the output "
                     f"{k * (h + 2 * pad - f + 1) * (w + 2 * pad - f + 1) / (c * h * w):.1f}x of "
                     f"it; conv2d_forward {train:.1f}x ({verdict})")
    return lines


def main():
    rng = np.random.default_rng(0)
    torch = torch_or_none()
    rows = bench_loops(rng)
    print_rows("Fast kernels vs loop references (float32)", rows)
    if torch is None:
        print("\nPyTorch is not installed: no PyTorch comparison "
              "(pip install -e '.[bench]', i.e. torch==2.13.0, the CPU build).")
    else:
        torch_rows = bench_torch(torch, rng)
        print_rows(f"NumPy vs PyTorch {torch.__version__} (float32)", torch_rows)
        rows += torch_rows
    print("\nMemory (tracemalloc, float32)")
    memory = bench_memory(rng)
    print("\n".join(memory))
    missed = [r.case for r in rows if r.ok is False] + [m for m in memory if m.endswith("NO)")]
    withheld = [r.case for r in rows if r.ratio is None]
    print(f"\nkernels: {len(missed)} target(s) missed" + (f": {missed}" if missed else ""))
    if withheld:
        print(f"kernels: {len(withheld)} ratio(s) withheld, spread too large (a busy machine; "
              f"run again): {withheld}")
    return rows
