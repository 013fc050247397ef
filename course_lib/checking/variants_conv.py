"""The value exercises of 04 (convolution), 05 (pooling, FC) and 06 (CNNs), with variants.

Same :class:`~.variants_dense.Exercise` contract as :mod:`.variants_dense`: every draw fits
(whole-number output sizes, windows that tile the input), and the default is the lecture's.
"""

import numpy as np

from .variants_dense import Exercise

__all__ = ["EXERCISES", "conv_out", "conv_count"]


def conv_out(n, f, stride=1, pad=0):
    """(n - f + 2*pad)/stride + 1, for sizes drawn to fit."""
    span = n - f + 2 * pad
    if span < 0 or span % stride:
        raise ValueError(f"conv_out: ({n} - {f} + 2*{pad})/{stride} + 1 is not a whole number")
    return span // stride + 1


def conv_count(f, depth, k):
    """Weights and biases of k filters of f x f x depth."""
    return f * f * depth * k + k


def _fit(rng, f, stride, pad, low, high):
    """An input width n in [low, high] on which the filter fits."""
    outs = [o for o in range(1, high + 1) if low <= (o - 1) * stride + f - 2 * pad <= high]
    return int((int(rng.choice(outs)) - 1) * stride + f - 2 * pad)


def _draw_sizes(rng):
    a = {"n": int(rng.integers(20, 41)), "f": int(rng.choice([3, 5, 7])), "s": 1, "p": 0}
    f, s = int(rng.choice([7, 9, 11])), int(rng.choice([2, 3, 4]))
    b = {"n": _fit(rng, f, s, 0, 120, 260), "f": f, "s": s, "p": 0}
    s = int(rng.choice([2, 3]))
    c = {"n": _fit(rng, 3, s, 1, 10, 40), "f": 3, "s": s, "p": 1}
    return {"a": a, "b": b, "c": c}


def answers_sizes(n):
    """The three output widths."""
    return {f"size_{k}": conv_out(v["n"], v["f"], v["s"], v["p"]) for k, v in n.items()}


def _layer(v):
    return (f"a {v['n']}x{v['n']} input, {v['f']}x{v['f']} filters, stride {v['s']}, "
            + ("no padding" if v["p"] == 0 else f"pad {v['p']}"))


def _sizes_text(n):
    return "\n".join(f"- `size_{k}`: {_layer(v)};" for k, v in n.items())


def _sizes_mistakes(n):
    out = {}
    for k, v in n.items():
        right = conv_out(v["n"], v["f"], v["s"], v["p"])
        out[f"size_{k}"] = [(right - 1, "One too small: did you forget the + 1?"),
                            ((v["n"] - v["f"]) // v["s"] + 1, "Did you forget the padding?"),
                            (v["n"] - v["f"] + 2 * v["p"] + 1, "Did you divide by the stride?"),
                            ((v["n"] - v["f"] + 2 * v["p"]) / v["s"],
                             "Add the + 1 after dividing by the stride: (N - F + 2P)/S + 1.")]
    return out


def _draw_params(rng):
    return {"a": {"k": int(rng.choice(np.arange(8, 49, 4))), "f": 3,
                  "d": int(rng.choice(np.arange(4, 33, 2)))},
            "b": {"k": int(rng.choice(np.arange(16, 129, 8))), "f": int(rng.choice([3, 5, 7])),
                  "d": int(rng.choice([1, 3]))},
            "c": {"k": int(rng.choice(np.arange(32, 257, 16))), "f": int(rng.choice([7, 9, 11])),
                  "d": 3}}


def answers_params(n):
    """The three parameter counts."""
    return {f"params_{k}": conv_count(v["f"], v["d"], v["k"]) for k, v in n.items()}


def _params_text(n):
    lines = [f"- `params_{k}`: {v['k']} filters of {v['f']}x{v['f']} on an input of depth "
             f"{v['d']};" for k, v in n.items()]
    return "\n".join(lines) + "\n\n(The stride and the padding change the output's size, " \
        "not the number of parameters.)"


def _params_mistakes(n):
    return {f"params_{k}": [(v["f"] ** 2 * v["d"] * v["k"], "Did you forget the biases? One "
                                                             "per filter."),
                            (v["f"] ** 2 * v["k"] + v["k"], "A filter is as deep as its input: "
                                                            "F x F x depth weights.")]
            for k, v in n.items()}


def _draw_by_hand(rng):
    """Input and filter; redrawn while the answer is all zeros or the same flipped."""
    while True:
        n = {"x": rng.integers(0, 4, size=(5, 5)).tolist(),
             "w": rng.integers(-1, 2, size=(3, 3)).tolist()}
        right = np.asarray(_slide(n["x"], n["w"], 2))   # not answers_by_hand: graders void it
        if right.any() and not np.array_equal(right, _by_hand_mistakes(n)["by_hand"][0][0]):
            return n


def _slide(x, w, stride):
    x, w = np.asarray(x), np.asarray(w)
    f, out = w.shape[0], (x.shape[0] - w.shape[0]) // stride + 1
    return [[int(np.sum(x[i * stride:i * stride + f, j * stride:j * stride + f] * w))
             for j in range(out)] for i in range(out)]


def answers_by_hand(n):
    """The stride-2 convolution of the 5x5 input with the 3x3 filter."""
    return {"by_hand": _slide(n["x"], n["w"], 2)}


def _by_hand_mistakes(n):
    flipped = np.asarray(n["w"])[::-1, ::-1]
    return {"by_hand": [(_slide(n["x"], flipped, 2), "You flipped the filter: slide it as is."),
                        (_slide(n["x"], n["w"], 1), "That is the stride-1 output: with stride "
                                                    "2 the window jumps.")]}


def _draw_fc(rng):
    return {"side": int(rng.choice([16, 24, 32, 40, 48, 64])), "depth": int(rng.choice([1, 3])),
            "k1": int(rng.choice([4, 6, 8, 12])), "k2": int(rng.choice([10, 16, 20, 24, 32])),
            "fc": int(rng.choice([32, 48, 64, 100, 128]))}


def answers_fc(n):
    """Length of the flattened vector and parameters of the FC layer."""
    flat = (n["side"] // 4) ** 2 * n["k2"]
    return {"flat_size": flat, "fc_params": flat * n["fc"] + n["fc"]}


def _fc_text(n):
    s, d = n["side"], n["depth"]
    return ("| layer | settings |\n|---|---|\n"
            f"| input | {s} x {s} x {d} |\n"
            f"| CONV + ReLU | {n['k1']} filters of 3x3, stride 1, pad 1 |\n"
            "| MAX POOL | 2x2, stride 2 |\n"
            f"| CONV + ReLU | {n['k2']} filters of 3x3, stride 1, pad 1 |\n"
            "| MAX POOL | 2x2, stride 2 |\n| FLATTEN | |\n"
            f"| FC | {n['fc']} neurons |")


def _fc_mistakes(n):
    flat = (n["side"] // 4) ** 2 * n["k2"]
    return {"flat_size": [((n["side"] // 2) ** 2 * n["k2"], "Each of the two pools halves the "
                                                             "width and the height."),
                          (n["side"] ** 2 * n["k2"], "The pools shrink the volume: 2x2, "
                                                     "stride 2 halves each side.")],
            "fc_params": [(flat * n["fc"], "Did you forget the biases? One per neuron."),
                          (flat * n["fc"] + flat, "One bias per neuron, not per input.")]}


def _draw_pool(rng):
    side, f, stride = [(4, 2, 2), (5, 3, 2), (6, 2, 2), (6, 3, 3)][int(rng.integers(4))]
    return {"x": rng.integers(0, 10, size=(side, side)).tolist(), "f": f, "s": stride}


def _pool(x, f, stride, reduce=np.max):
    x = np.asarray(x)
    out = (x.shape[0] - f) // stride + 1
    return [[float(reduce(x[i * stride:i * stride + f, j * stride:j * stride + f]))
             for j in range(out)] for i in range(out)]


def answers_pool(n):
    """Max pooling of the slice with f x f windows and the given stride."""
    return {"pooled": _pool(n["x"], n["f"], n["s"])}


def _pool_text(n):
    rows = "\n".join(" ".join(str(v) for v in row) for row in n["x"])
    return (f"Your {len(n['x'])}x{len(n['x'])} slice, pooled with **{n['f']}x{n['f']} windows "
            f"and stride {n['s']}** (it is `POOL_X` in the cell below):\n\n```\n{rows}\n```")


def _pool_mistakes(n):
    return {"pooled": [(_pool(n["x"], n["f"], n["s"], np.mean), "That is average pooling: "
                                                                 "take the largest value."),
                       (_pool(n["x"], n["f"], 1), "That is stride 1: the windows jump by the "
                                                  "stride.")]}


def _draw_table(rng):
    return {"side": int(rng.choice([24, 28, 32, 36])), "depth": int(rng.choice([1, 3])),
            "k1": int(rng.choice([6, 8, 10, 12, 16])), "k2": int(rng.choice([16, 20, 24, 32])),
            "classes": int(rng.choice([4, 5, 8, 10, 26]))}


def answers_table(n):
    """The six output shapes and parameter counts of the small CNN."""
    s1 = n["side"]                 # 5x5, pad 2 keeps the size
    s2 = s1 // 2
    s3 = s2 - 2                    # 3x3, pad 0
    s4 = s3 // 2
    flat = s4 * s4 * n["k2"]
    return {"shapes": [(s1, s1, n["k1"]), (s2, s2, n["k1"]), (s3, s3, n["k2"]),
                       (s4, s4, n["k2"]), (flat,), (n["classes"],)],
            "params": [conv_count(5, n["depth"], n["k1"]), 0, conv_count(3, n["k1"], n["k2"]),
                       0, 0, flat * n["classes"] + n["classes"]]}


def _table_text(n):
    s, d = n["side"], n["depth"]
    return (f"A small CNN for {s}x{s}x{d} images:\n\n| # | layer | settings |\n|---|---|---|\n"
            f"| 1 | CONV + ReLU | {n['k1']} filters of 5x5, stride 1, pad 2 |\n"
            "| 2 | MAX POOL | 2x2, stride 2 |\n"
            f"| 3 | CONV + ReLU | {n['k2']} filters of 3x3, stride 1, pad 0 |\n"
            "| 4 | MAX POOL | 2x2, stride 2 |\n| 5 | FLATTEN | |\n"
            f"| 6 | FC | {n['classes']} neurons |")


def _table_mistakes(n):
    right = answers_table(n)
    unpadded = dict(n, side=n["side"] - 4)
    shallow = list(right["params"])
    shallow[2] = conv_count(3, 1, n["k2"])
    nobias = [p - k for p, k in zip(right["params"], [n["k1"], 0, n["k2"], 0, 0, n["classes"]],
                                     strict=True)]
    return {"shapes": [(answers_table(unpadded)["shapes"], "With pad 2, a 5x5 conv keeps the "
                                                           "size.")],
            "params": [(shallow, "Layer 3's filters are as deep as its input (layer 2's maps)."),
                       (nobias, "Did you forget the biases?")]}


def _draw_small(rng):
    return {"depth": int(rng.choice(np.arange(16, 257, 8)))}


def answers_small(n):
    """Receptive field of two 3x3 layers and the two parameter counts."""
    d = n["depth"]
    return {"receptive_field": 5, "params_two_3x3": 2 * conv_count(3, d, d),
            "params_one_5x5": conv_count(5, d, d)}


def _small_text(n):
    d = n["depth"]
    return (f"Your depth: **{d}**. Both options map a volume of depth {d} to a volume of depth "
            f"{d}: **two** stacked conv layers of {d} filters of 3x3, or **one** conv layer of "
            f"{d} filters of 5x5.")


def _small_mistakes(n):
    d = n["depth"]
    return {"receptive_field": [(6, "Two 3x3 layers see 3 + (3 - 1): the windows overlap.")],
            "params_two_3x3": [(2 * 9 * d * d, "Did you forget the biases? One per filter."),
                               (conv_count(3, d, d), "There are two layers."),
                               (2 * conv_count(3, 1, d), "Each filter is 3x3x depth: as deep "
                                                         "as its input.")],
            "params_one_5x5": [(25 * d * d, "Did you forget the biases? One per filter."),
                               (conv_count(5, 1, d), "Each filter is 5x5x depth: as deep as "
                                                     "its input.")]}


EXERCISES = {
    "04_convolution": {
        "sizes": Exercise(lambda: {"a": {"n": 28, "f": 5, "s": 1, "p": 0},
                                   "b": {"n": 227, "f": 11, "s": 4, "p": 0},
                                   "c": {"n": 16, "f": 3, "s": 3, "p": 1}},
                          _draw_sizes, _sizes_text, answers_sizes, _sizes_mistakes,
                          lambda n: "; ".join(_layer(v) for v in n.values())),
        "params": Exercise(lambda: {"a": {"k": 16, "f": 3, "d": 8}, "b": {"k": 64, "f": 3, "d": 3},
                                    "c": {"k": 96, "f": 11, "d": 3}},
                           _draw_params, _params_text, answers_params, _params_mistakes,
                           lambda n: "; ".join(f"{v['k']} filters {v['f']}x{v['f']}x{v['d']}"
                                               for v in n.values())),
        "by_hand": Exercise(lambda: {"x": [[1, 0, 2, 1, 0], [0, 1, 1, 0, 2], [2, 1, 0, 1, 1],
                                           [0, 2, 1, 0, 1], [1, 0, 1, 2, 0]],
                                     "w": [[1, 2, 0], [0, 1, -1], [1, 0, 0]]},
                            _draw_by_hand, lambda n: "Your `X_HAND` and `W_HAND` are set in the "
                                                     "cell below.",
                            answers_by_hand, _by_hand_mistakes,
                            lambda n: f"X_HAND = {n['x']}, W_HAND = {n['w']}"),
    },
    "05_pooling_fc": {
        "fc": Exercise(lambda: {"side": 32, "depth": 3, "k1": 8, "k2": 16, "fc": 64}, _draw_fc,
                       _fc_text, answers_fc, _fc_mistakes,
                       lambda n: f"{n['side']}x{n['side']}x{n['depth']} input, {n['k1']} and "
                                 f"{n['k2']} filters, FC of {n['fc']}"),
        "pool": Exercise(lambda: {"x": [[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8], [9, 7, 9, 3]],
                                  "f": 2, "s": 2},
                         _draw_pool, _pool_text, answers_pool, _pool_mistakes,
                         lambda n: f"POOL_X = {n['x']}, {n['f']}x{n['f']} windows, stride "
                                   f"{n['s']}"),
    },
    "06_cnn_architectures": {
        "table": Exercise(lambda: {"side": 32, "depth": 3, "k1": 10, "k2": 20, "classes": 10},
                          _draw_table, _table_text, answers_table, _table_mistakes,
                          lambda n: f"{n['side']}x{n['side']}x{n['depth']} input, {n['k1']} and "
                                    f"{n['k2']} filters, {n['classes']} classes"),
        "small_filters": Exercise(lambda: {"depth": 64}, _draw_small, _small_text, answers_small,
                                  _small_mistakes, lambda n: f"depth {n['depth']}"),
    },
}
