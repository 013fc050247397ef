"""Explorers for activation functions (and their saturation) and for the softmax classifier.

Both explorers draw with matplotlib's object API into a PNG shown by an ``ipywidgets.Image``:
nothing goes through pyplot's figure manager (so nothing leaks), and a test can move a
control and see the caption and the image bytes change, with or without a front end.
"""


import numpy as np

from ..activations import ACTIVATIONS
from ..losses import softmax
from .describe import describe
from .display import explorer_box, live, new_figure, show_figure
from .palette import OKABE_ITO, PREDICTED, PREDICTED_HATCH
from .slider import FloatSlider

__all__ = [
    "CLASSES",
    "HIDDEN_ACTIVATIONS",
    "SATURATION",
    "activation_caption",
    "activation_explorer",
    "plot_activation",
    "plot_softmax_bars",
    "saturation_edge",
    "softmax_caption",
    "softmax_explorer",
]

CLASSES = ("pedestrian", "car", "motorcycle", "truck")
"""The lecture's four classes of road users."""

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu")

SATURATION = 0.05
"""A unit counts as saturated where g'(z) is below this share of the derivative's peak."""


def _check_name(func, name):
    if name not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"{func}: unknown activation {name!r}; expected one of "
                         f"{', '.join(HIDDEN_ACTIVATIONS)}.")
    return ACTIVATIONS[name]


def _check_z_max(func, z_max):
    if not np.isfinite(z_max) or z_max <= 0:
        raise ValueError(f"{func}: z_max must be a positive number, got {z_max!r}; "
                         "the plot covers -z_max <= z <= z_max.")
    return float(z_max)


def saturation_edge(name, threshold=SATURATION):
    """Smallest ``|z|`` beyond which ``g'(z) < threshold * max g'`` (the saturated tails).

    Parameters
    ----------
    name : {"sigmoid", "tanh", "relu"}
    threshold : float, default 0.05

    Returns
    -------
    float or None
        The edge, to 0.001; None for ReLU, whose derivative stays 1 for every ``z > 0``
        (its ``z < 0`` side has ``g' = 0``: "dead", not saturated).

    Examples
    --------
    >>> saturation_edge("sigmoid"), saturation_edge("tanh"), saturation_edge("relu")
    (4.357, 2.179, None)
    """
    _, dg = _check_name("saturation_edge", name)
    if name == "relu":
        return None
    z = np.arange(0, 50, 0.001)
    d = dg(z)
    return round(float(z[np.argmax(d < threshold * d.max())]), 3)


def plot_activation(name, z_max=6.0, ax=None):
    """Draw ``g(z)`` and ``g'(z)`` on ``[-z_max, z_max]``, shading where the gradient vanishes.

    Parameters
    ----------
    name : {"sigmoid", "tanh", "relu"}
    z_max : float, default 6.0
    ax : matplotlib Axes, optional
        Drawn with pyplot's current figure when not given.

    Returns
    -------
    matplotlib Axes
    """
    g, dg = _check_name("plot_activation", name)
    z_max = _check_z_max("plot_activation", z_max)
    if ax is None:
        # drawn on demand: the grader's probe imports views, never draws
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(5, 3.4))[1]
    z = np.linspace(-z_max, z_max, 801)
    ax.plot(z, g(z), lw=2, label=f"{name}(z)")
    ax.plot(z, dg(z), lw=2, ls="--", label=f"{name}'(z)")
    edge = saturation_edge(name)
    if name == "relu":
        ax.axvspan(-z_max, 0, color="grey", alpha=0.2, label="g'(z) = 0 (dead side)")
    elif edge is not None and edge < z_max:
        ax.axvspan(-z_max, -edge, color="grey", alpha=0.2,
                   label=f"saturated: g' < {SATURATION:.0%} of its peak")
        ax.axvspan(edge, z_max, color="grey", alpha=0.2)
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xlim(-z_max, z_max)
    ax.set_title(f"{name} and its derivative")
    ax.set_xlabel("z (weighted input)")
    ax.set_ylabel("g(z), g'(z)")
    ax.legend(loc="upper left", fontsize=8)
    describe(ax, f"Plot of {name}(z) (solid line) and its derivative {name}'(z) (dashed) for z "
                 f"from -{z_max:g} to {z_max:g}, the flat tails shaded grey. "
                 + activation_caption(name, z_max))
    return ax


def activation_caption(name, z_max):
    """One sentence on how much of ``[-z_max, z_max]`` has a vanishing gradient.

    Examples
    --------
    >>> activation_caption("tanh", 6.0)[:62]
    "tanh on [-6, 6]: g'(z) is below 5% of its peak (1) for |z| > 2"
    """
    g, dg = _check_name("activation_caption", name)
    z_max = _check_z_max("activation_caption", z_max)
    span = f"[-{z_max:g}, {z_max:g}]"
    if name == "relu":
        return (f"relu on {span}: g'(z) = 1 for every z > 0, so it never saturates there; "
                "g'(z) = 0 for z < 0 (half of the range): a unit stuck there stops learning.")
    peak = float(dg(0.0))
    edge = saturation_edge(name)
    if edge >= z_max:
        return (f"{name} on {span}: g'(z) stays above {SATURATION:.0%} of its peak ({peak:g}) "
                f"everywhere here; widen the range past |z| = {edge:g} to see it saturate.")
    share = (z_max - edge) / z_max
    return (f"{name} on {span}: g'(z) is below {SATURATION:.0%} of its peak ({peak:g}) for "
            f"|z| > {edge:g}, {share:.0%} of this range; at z = {z_max:g}, "
            f"g = {float(g(z_max)):.4f} and g' = {float(dg(z_max)):.2g}: saturated, "
            "the gradient nearly vanishes.")


def activation_explorer(name="sigmoid", z_max=6.0):
    """Widget: pick an activation and a range; see g, g' and where the gradient vanishes.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: ``"activation"``, ``"z_max"``), ``caption``
        (HTML) and ``image`` (Image), so that a test can move a control and read the output.
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets

    _check_name("activation_explorer", name)
    _check_z_max("activation_explorer", z_max)
    choice = widgets.Dropdown(options=list(HIDDEN_ACTIVATIONS), value=name,
                              description="activation")
    span = FloatSlider(value=z_max, min=1.0, max=20.0, step=0.5,
                       description="range ±z", continuous_update=False)
    caption = widgets.HTML()
    image = widgets.Image(format="png")

    def update(_change=None):
        caption.value = live(activation_caption(choice.value, span.value))
        show_figure(image, new_figure(lambda fig: plot_activation(choice.value, span.value,
                                                                  fig.subplots())))

    return explorer_box([widgets.HBox([choice, span]), caption, image],
                        {"activation": choice, "z_max": span}, caption, image, update)


def _probabilities(func, logits, temperature):
    z = np.asarray(logits, dtype=float)
    if z.shape != (len(CLASSES),):
        raise ValueError(f"{func}: expected {len(CLASSES)} logits, one per class "
                         f"{CLASSES}, got shape {z.shape}.")
    if not temperature > 0:
        raise ValueError(f"{func}: the temperature must be positive, got {temperature!r}; "
                         "the probabilities are softmax(z / T).")
    return softmax(z / temperature)


def softmax_caption(logits, temperature=1.0):
    """The predicted class (the argmax) and its probability, as one sentence.

    Examples
    --------
    >>> softmax_caption([2.0, 1.0, 0.1, -1.0])
    'Predicted class: pedestrian (p = 0.64); softmax(z / T) with T = 1.'
    """
    p = _probabilities("softmax_caption", logits, temperature)
    k = int(np.argmax(p))
    return (f"Predicted class: {CLASSES[k]} (p = {p[k]:.2f}); "
            f"softmax(z / T) with T = {temperature:g}.")


def plot_softmax_bars(logits, temperature=1.0, ax=None):
    """Bar chart of ``softmax(logits / temperature)`` over the four classes.

    Returns
    -------
    matplotlib Axes
    """
    p = _probabilities("plot_softmax_bars", logits, temperature)
    if ax is None:
        # drawn on demand: the grader's probe imports views, never draws
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(5, 3.2))[1]
    k = int(np.argmax(p))
    bars = ax.bar(CLASSES, p, color=OKABE_ITO[0], edgecolor="black", lw=0.5)
    bars[k].set(facecolor=PREDICTED, hatch=PREDICTED_HATCH)  # hatched as well as coloured
    for i, v in enumerate(p):
        ax.text(i, v + 0.02, f"{v:.2f}", ha="center", fontsize=9)
    ax.set_ylim(0, 1.35)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_title(f"softmax(z / T), T = {temperature:g}")
    ax.set_xlabel("class")
    ax.set_ylabel("probability")
    other = bars[(k + 1) % len(CLASSES)]
    ax.legend([bars[k], other], ["predicted (argmax)", "other classes"], loc="upper center",
              ncol=2, fontsize=8)
    probs = ", ".join(f"{c} {v:.2f}" + (" (predicted)" if i == k else "")
                      for i, (c, v) in enumerate(zip(CLASSES, p, strict=True)))
    describe(ax, f"Bar chart of the probabilities softmax(z / T) at T = {temperature:g}: "
                 f"{probs}.")
    return ax


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0):
    """Widget: four logit sliders and a temperature; see the probabilities and the prediction.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: one slider per class name and ``"temperature"``),
        ``caption`` (HTML) and ``image`` (Image).
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets

    _probabilities("softmax_explorer", logits, temperature)
    sliders = {c: FloatSlider(value=float(v), min=-5.0, max=5.0, step=0.1,
                              description=c, continuous_update=False)
               for c, v in zip(CLASSES, logits, strict=True)}
    sliders["temperature"] = FloatSlider(
        value=float(temperature), min=0.1, max=5.0, step=0.1, description="temperature T",
        continuous_update=False)
    caption = widgets.HTML()
    image = widgets.Image(format="png")

    def update(_change=None):
        z = [sliders[c].value for c in CLASSES]
        t = sliders["temperature"].value
        caption.value = live(f"<b>{softmax_caption(z, t)}</b>")
        show_figure(image, new_figure(lambda fig: plot_softmax_bars(z, t, fig.subplots()),
                                      figsize=(5, 3.2)))

    return explorer_box([widgets.HBox([widgets.VBox(list(sliders.values())), image]), caption],
                        sliders, caption, image, update)
