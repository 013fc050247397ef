"""The value exercises of 01 (perceptrons) and 03 (parameter counts), with their variants.

Each exercise is an :class:`Exercise`: ``default()`` (the default numbers, the lecture's where
it has them), ``draw(rng)`` (a student's numbers, always with a whole-number, sensible answer),
``text(nums)`` (the statement),
``answers(nums)`` (the expected answers: switched off in the grading probe), ``mistakes(nums)``
(common wrong answers with a hint) and ``summary(nums)`` (the numbers in one line, for
feedback). :mod:`.variants` draws and uses them.
"""

from typing import Callable, NamedTuple

import numpy as np

__all__ = ["Exercise", "EXERCISES", "same_value", "INPUTS", "GATES"]


INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])

# every two-input gate a perceptron can compute that depends on both inputs
GATES = {"AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0), "NOR": (1, 0, 0, 0),
         "x1 AND NOT x2": (0, 0, 1, 0), "NOT x1 AND x2": (0, 1, 0, 0),
         "x1 OR NOT x2": (1, 0, 1, 1), "NOT x1 OR x2": (1, 1, 0, 1)}


def same_value(_name, value, want):
    """True when ``value`` equals ``want``: numbers, or nested lists/tuples of equal shape,
    ragged ones too (06's shapes: three numbers per conv layer, one per dense layer).

    Examples
    --------
    >>> same_value("shapes", [(32, 32, 10), (10,)], [[32, 32, 10], [10]])
    True
    >>> same_value("shapes", [(32, 32, 10), (10, 1)], [[32, 32, 10], [10]])
    False
    """
    try:
        ref = np.asarray(want, dtype=float)
    except (TypeError, ValueError):  # ragged: compare item by item
        if isinstance(value, np.ndarray):
            value = value.tolist()
        return (isinstance(value, (list, tuple)) and len(value) == len(want)
                and all(same_value(_name, v, w) for v, w in zip(value, want, strict=True)))
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == ref.shape and bool(np.array_equal(got, ref))


class Exercise(NamedTuple):
    """How one value exercise varies (see the module docstring)."""

    default: Callable
    draw: Callable
    text: Callable
    answers: Callable
    mistakes: Callable
    summary: Callable
    same: Callable = same_value


def _sign(z):
    return [1 if v >= 0 else -1 for v in z]  # sign(0) = +1, as course_lib.sign


def _step(z):
    return [1 if v >= 0 else 0 for v in z]


def _z(n):
    return [n["b"] + n["w1"] * x1 + n["w2"] * x2 for x1, x2 in INPUTS.tolist()]


def _draw_perceptron(rng):
    while True:   # no z is 0 (sign(0) is not on the slide) and the table is not constant
        b, w1, w2 = (int(v) for v in rng.integers(-15, 16, size=3))
        z = _z({"b": b, "w1": w1, "w2": w2})
        if w1 and w2 and 0 not in z and len(set(_sign(z))) == 2:
            return {"b": b, "w1": w1, "w2": w2}


def answers_truth_table(n):
    """The sign and step tables of h, rows (0, 0), (0, 1), (1, 0), (1, 1)."""
    z = _z(n)
    return {"truth_table_h": _sign(z), "step_table_h": _step(z)}


def _perceptron_text(n):
    def term(w, x):
        return f"{'-' if w < 0 else '+'} {abs(w)} {x}"

    return (f"Your perceptron: $h(x_1, x_2) = g({n['b']} {term(n['w1'], 'x_1')} "
            f"{term(n['w2'], 'x_2')})$ (b = {n['b']}, w1 = {n['w1']}, w2 = {n['w2']}).")


def _perceptron_mistakes(n):
    z = _z(n)
    return {"truth_table_h": [(_step(z), "sign gives -1 or +1, not 0 or 1."),
                              (_sign(z)[::-1], "Keep the rows in the order (0, 0), (0, 1), "
                                               "(1, 0), (1, 1).")],
            "step_table_h": [(_sign(z), "Use the 0/1 convention: step gives 0 or 1."),
                             (_step(z)[::-1], "Keep the rows in the order (0, 0), (0, 1), "
                                              "(1, 0), (1, 1).")]}


def answers_gate(n):
    """The gate's outputs, rows (0, 0), (0, 1), (1, 0), (1, 1)."""
    return {"gate_table": list(GATES[n["gate"]])}


def _gate_mistakes(n):
    table = list(GATES[n["gate"]])
    return {"gate_table": [([1 - v for v in table], "That is the opposite gate: flip the signs "
                                                   "of b, w1 and w2, and if an input then gives "
                                                   "z = 0 exactly, move b a little (step(0) "
                                                   "= 1)."),
                           ([1, 1, 1, 1], "Always 1: some input must give z < 0."),
                           ([0, 0, 0, 0], "Always 0: some input must give z >= 0.")]}


def _gate_text(n):
    table = ", ".join(str(v) for v in GATES[n["gate"]])
    return (f"Your gate: **{n['gate']}**, whose outputs for (0, 0), (0, 1), (1, 0), (1, 1) are "
            f"{table}.")


def _draw_widths(rng, first, last, n_hidden, low, high, step=4):
    """[first, hidden..., last], the hidden widths distinct, from low..high by step, narrower
    than the input and wider than the output: the widths shrink, as the rule of thumb says."""
    pool = [w for w in range(low, high + 1, step) if last < w < first]
    hidden = sorted((int(v) for v in rng.choice(pool, n_hidden, replace=False)), reverse=True)
    return [first, *hidden, last]


def _count(widths):
    return sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))


def _draw_networks(rng):
    return {"a": _draw_widths(rng, 784, 10, 2, 16, 256),
            "b": _draw_widths(rng, int(rng.integers(14, 41)), int(rng.integers(3, 9)), 2, 4, 32,
                              step=2)}


def answers_networks(n):
    """Parameter counts of the two networks."""
    return {"params_a": _count(n["a"]), "params_b": _count(n["b"])}


def _dash(widths):
    return "-".join(str(w) for w in widths)


def _networks_text(n):
    a, b = n["a"], n["b"]
    return (f"1. `params_a`: an MNIST network {_dash(a)} ({a[0]} inputs, hidden layers of "
            f"{a[1]} and {a[2]} units, {a[3]} outputs);\n"
            f"2. `params_b`: a network for road users with {b[0]} input features, hidden layers "
            f"of {b[1]} and {b[2]} units, and {b[3]} outputs ({_dash(b)}).")


def _count_mistakes(widths):
    pairs = list(zip(widths[:-1], widths[1:], strict=True))
    return [(sum(a * b for a, b in pairs), "Did you forget the biases? Every unit has one."),
            (_count(widths[:-1]), "The output layer has parameters too."),
            (sum(a * b for a, b in pairs) + sum(widths[1:-1]),
             "Every layer has biases, the output layer too."),
            (_count(widths[:2]), "That is only the first layer: add the other layers."),
            (_count(widths) + widths[0], "The input layer has no biases: it only holds the "
                                         "inputs.")]


CLASSES = ["pedestrian", "car", "motorcycle", "truck", "bicycle", "bus", "tram", "scooter"]


def _draw_design(rng):
    k = int(rng.integers(3, len(CLASSES) + 1))
    return {"side": int(rng.choice([16, 20, 24, 28, 32, 40, 48, 64])),
            "classes": [CLASSES[i] for i in sorted(rng.choice(len(CLASSES), k, replace=False))],
            "hidden": int(rng.choice([32, 50, 64, 80, 100, 128, 150, 200, 256]))}


def answers_design(n):
    """Inputs, outputs and parameters of the one-hidden-layer image classifier."""
    n_inputs, n_outputs = n["side"] * n["side"] * 3, len(n["classes"])
    return {"n_inputs": n_inputs, "n_outputs": n_outputs,
            "design_params": _count([n_inputs, n["hidden"], n_outputs])}


def _design_text(n):
    s = n["side"]
    return (f"Your camera takes **{s} x {s} colour images** (three numbers per pixel: red, green, "
            f"blue). Each image shows exactly one of *{', '.join(n['classes'])}*. The hidden "
            f"layer has **{n['hidden']} ReLU units**.")


def _design_mistakes(n):
    s, k, h = n["side"], len(n["classes"]), n["hidden"]
    return {"n_inputs": [(s * s, "Each pixel has three colour values (red, green, blue)."),
                         (s * 3, "Flatten the whole image: every number in it is one input.")],
            "n_outputs": [(k - 1, "One softmax unit per class: count the classes again."),
                          (h, "That is the hidden layer; how many classes are there?")],
            "design_params": [(s * s * 3 * h + h * k, "Did you forget the biases? Every unit "
                                                      "has one."),
                              (_count([s * s, h, k]), "Check the number of inputs: three colour "
                                                      "values per pixel.")]
                             + _count_mistakes([s * s * 3, h, k])[1:]}


EXERCISES = {
    "01_perceptron": {
        "truth_table": Exercise(lambda: {"b": -10, "w1": 12, "w2": 5}, _draw_perceptron,
                                _perceptron_text, answers_truth_table, _perceptron_mistakes,
                                lambda n: f"b = {n['b']}, w1 = {n['w1']}, w2 = {n['w2']}"),
        "gate": Exercise(lambda: {"gate": "NAND"},
                         lambda rng: {"gate": str(rng.choice(sorted(GATES)))},
                         _gate_text, answers_gate, _gate_mistakes,
                         lambda n: f"the gate {n['gate']}"),
    },
    "03_architectures_params": {
        "networks": Exercise(lambda: {"a": [784, 128, 64, 10], "b": [20, 16, 8, 4]},
                             _draw_networks, _networks_text, answers_networks,
                             lambda n: {"params_a": _count_mistakes(n["a"]),
                                        "params_b": _count_mistakes(n["b"])},
                             lambda n: f"networks {_dash(n['a'])} and {_dash(n['b'])}"),
        "design": Exercise(lambda: {"side": 32, "classes": CLASSES[:4], "hidden": 100},
                           _draw_design, _design_text, answers_design, _design_mistakes,
                           lambda n: f"{n['side']}x{n['side']}x3 images, "
                                     f"{len(n['classes'])} classes, {n['hidden']} hidden units"),
    },
}
