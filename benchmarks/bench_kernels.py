"""conv2d and max_pool2d (forward and backward) against the loop references and PyTorch.

Targets (float32, NumPy time / PyTorch time, same threads) are the course's (issue 2) for the
forward passes, max pooling and memory; the backward targets are ours (see BACKWARD_TARGET).
PyTorch gets its own NCHW layout, converted outside the timed region. Run through
``python -m benchmarks``, which imports ``_timing`` (the thread settings) before NumPy.
"""

import numpy as np

from benchmarks._timing import Row, compare_ms, median_ms, peak_bytes, print_rows, torch_or_none
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

# (label, N, H, W, C, K, F, pad, target NumPy/PyTorch ratio)
CONV_CASES = [
    ("conv2d 64x28x28x1, six 5x5, pad 2", 64, 28, 28, 1, 6, 5, 2, 1.5),
    ("conv2d 64x32x32x3, ten 5x5x3, pad 2", 64, 32, 32, 3, 10, 5, 2, 3.0),
    ("conv2d 8x56x56x64, 64 3x3x64, pad 1", 8, 56, 56, 64, 64, 3, 1, 2.0),
]
POOL_SHAPE, POOL_TARGET = (64, 28, 28, 16), 1.0
# Our choices, no course target. conv2d: a backward pass costs about two forward passes in both
# libraries, so allow the margin of the loosest forward target. max_pool2d: PyTorch stores the
# argmax of every window and scatters dout there; NumPy has no such kernel, so our backward
# finds the maxima again with f*f strided comparisons (about 20 cheap array passes in all).
BACKWARD_TARGET = 3.0
POOL_BACKWARD_TARGET = 10.0
MEMORY_TARGET = 12.0  # peak extra memory of conv2d forward / input size, 3x3 filters
LOOPS_TARGET = 0.1  # the fast kernel must be at least 10x faster than its loop reference
MIN_TIME = 0.5  # seconds spent on each comparison at least (more repeats for short calls)


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
        times = compare_ms(lambda: conv2d(x, filters, b, pad=pad),
                           lambda: tf.conv2d(xt, wt, bt, padding=pad), min_time=MIN_TIME)
    forward = Row(label + " (forward)", *times, target)

    out, cache = conv2d_forward(x, filters, b, pad=pad)
    dout = rng.standard_normal(out.shape, dtype=np.float32)
    leaves = [a.clone().requires_grad_() for a in (xt, wt, bt)]
    tout, tdout = tf.conv2d(*leaves, padding=pad), _nchw(torch, dout)
    tdx = torch.autograd.grad(tout, leaves, tdout, retain_graph=True)[0]
    _check_close(label + " backward", conv2d_backward(dout, cache)[0],
                 tdx.permute(0, 2, 3, 1).numpy())
    times = compare_ms(lambda: conv2d_backward(dout, cache),
                       lambda: torch.autograd.grad(tout, leaves, tdout, retain_graph=True),
                       min_time=MIN_TIME)
    return [forward, Row(label + " (backward)", *times, BACKWARD_TARGET)]


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
        times = compare_ms(lambda: max_pool2d(x), lambda: tf.max_pool2d(xt, 2, 2),
                           min_time=MIN_TIME)
    label = "max_pool2d 2x2/2 on 64x28x28x16"
    rows.append(Row(label + " (forward)", *times, POOL_TARGET))
    out, cache = max_pool2d_forward(x)
    dout = rng.standard_normal(out.shape, dtype=np.float32)
    xg = xt.clone().requires_grad_()
    tout, tdout = tf.max_pool2d(xg, 2, 2), _nchw(torch, dout)
    _check_close("max_pool2d backward", max_pool2d_backward(dout, cache),
                 torch.autograd.grad(tout, xg, tdout, retain_graph=True)[0]
                 .permute(0, 2, 3, 1).numpy())
    times = compare_ms(lambda: max_pool2d_backward(dout, cache),
                       lambda: torch.autograd.grad(tout, xg, tdout, retain_graph=True),
                       min_time=MIN_TIME)
    rows.append(Row(label + " (backward)", *times, POOL_BACKWARD_TARGET))
    return rows


def bench_loops(rng):
    """The fast kernels against the readable loop references, on small inputs."""
    x, filters, b = _data(rng, 2, 16, 16, 3, 4, 3)
    np.testing.assert_allclose(conv2d(x, filters, b, pad=1), conv2d_loops(x, filters, b, pad=1),
                               rtol=1e-4, atol=1e-4)
    conv = Row("conv2d 2x16x16x3, four 3x3x3, pad 1 vs conv2d_loops",
               median_ms(lambda: conv2d(x, filters, b, pad=1), min_time=0.2),
               median_ms(lambda: conv2d_loops(x, filters, b, pad=1), repeat=3), LOOPS_TARGET)
    x = rng.standard_normal((4, 16, 16, 8), dtype=np.float32)
    np.testing.assert_array_equal(max_pool2d(x), max_pool2d_loops(x))
    pool = Row("max_pool2d 2x2/2 on 4x16x16x8 vs max_pool2d_loops",
               median_ms(lambda: max_pool2d(x), min_time=0.2),
               median_ms(lambda: max_pool2d_loops(x), repeat=3), LOOPS_TARGET)
    return [conv, pool]


def bench_memory(rng):
    """Peak extra memory of conv2d's forward pass, as a multiple of the input's size."""
    lines = []
    for label, n, h, w, c, k, f, pad, _ in CONV_CASES:
        x, filters, b = _data(rng, n, h, w, c, k, f)
        ratio = peak_bytes(lambda: conv2d(x, filters, b, pad=pad)) / x.nbytes  # noqa: B023
        target = MEMORY_TARGET if f == 3 else None
        verdict = "" if target is None else (
            f" (target <= {target:g}: {'yes' if ratio <= target else 'NO'})")
        lines.append(f"{label}: peak extra memory {ratio:.1f}x the input{verdict}")
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
    print(f"\nkernels: {len(missed)} target(s) missed" + (f": {missed}" if missed else ""))
    return rows
