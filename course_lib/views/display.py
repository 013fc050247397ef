"""Show an ipywidgets explorer so that it also reads well where no front end is attached;
wire an explorer's controls; render figures to PNG for its image."""

__all__ = ["show_widget", "explorer_box", "png_bytes", "figure_png"]


def show_widget(widget, description):
    """Display ``widget``; without a widget front end (nbval, a terminal) print ``description``.

    Parameters
    ----------
    widget : ipywidgets.Widget
        The explorer to show.
    description : str
        One line that says what the explorer shows, printed where widgets cannot render
        (JupyterLab shows the widget instead).

    Returns
    -------
    ipywidgets.Widget
        The same widget, so that a test can move its controls.

    Notes
    -----
    The text/plain part of the display bundle is replaced by the description, so a headless
    run shows "Interactive explorer: ..." instead of ``VBox(children=(...))``.
    """
    from IPython import get_ipython
    from IPython.display import display

    text = f"Interactive explorer: {description} (open this notebook in JupyterLab to use it)."
    if get_ipython() is None:  # plain Python: nothing can render a widget
        print(text)
        return widget
    bundle = widget._repr_mimebundle_()
    if bundle is None:
        print(text)
        return widget
    data = dict(bundle)
    data["text/plain"] = text
    display(data, raw=True)
    return widget


def explorer_box(rows, controls, caption, image, update):
    """Wire an explorer: every control calls ``update`` when its value changes; draw once.

    Parameters
    ----------
    rows : list of ipywidgets.Widget
        The explorer's layout, top to bottom.
    controls : dict of str to ipywidgets.Widget
        The controls whose ``value`` changes redraw.
    caption : ipywidgets.HTML
    image : ipywidgets.Image
    update : callable
        ``update(change=None)`` sets the caption and the image from the controls.

    Returns
    -------
    ipywidgets.VBox
        Of ``rows``, with the attributes ``controls``, ``caption`` and ``image`` (for tests
        and for the notebook's checks).
    """
    import ipywidgets as widgets

    for control in controls.values():
        control.observe(update, names="value")
    update()
    box = widgets.VBox(rows)
    box.controls, box.caption, box.image = controls, caption, image
    return box


def png_bytes(fig, dpi=None):
    """PNG bytes of a matplotlib figure; a pyplot figure is closed afterwards, so none leaks
    into the notebook's output or piles up in memory.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : float, optional
        Resolution; the figure's own when omitted.

    Returns
    -------
    bytes
        The PNG file, ready for an ``ipywidgets.Image``.
    """
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", **({} if dpi is None else {"dpi": dpi}))
    plt.close(fig)  # does nothing for a figure pyplot never saw
    return buf.getvalue()


def figure_png(draw, figsize=(5.5, 3.5), dpi=90, layout="tight"):
    """Render ``draw(fig)`` into PNG bytes with a figure that pyplot never sees (no leak).

    Parameters
    ----------
    draw : callable
        ``draw(fig)`` adds axes to the figure and draws on them.
    figsize : (float, float), default (5.5, 3.5)
        Width and height in inches.
    dpi : float, default 90
    layout : {"tight", "constrained", None}, default "tight"

    Returns
    -------
    bytes
        The PNG file.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout=layout)
    draw(fig)
    return png_bytes(fig)
