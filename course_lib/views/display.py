"""Show an ipywidgets explorer so that it also reads well where no front end is attached and
with a keyboard and a screen reader; wire an explorer's controls; announce its caption; render
described figures to PNG for its image."""

import io

__all__ = ["show_widget", "explorer_box", "png_bytes", "new_figure", "show_figure", "live",
           "EXPLORER_CLASS", "EXPLORER_CSS"]

EXPLORER_CLASS = "course-explorer"
"""The class of the box :func:`show_widget` displays; :data:`EXPLORER_CSS` is scoped to it."""

EXPLORER_CSS = """
.course-explorer .noUi-handle:focus, .course-explorer button:focus-visible,
.course-explorer select:focus-visible, .course-explorer input:focus-visible,
.course-explorer textarea:focus-visible, .course-explorer canvas:focus-visible {
  outline: 3px solid #0b57d0; outline-offset: 2px; }
"""
"""A visible focus ring (JupyterLab's slider handle has none, measured: outline-style none)."""


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
    run shows "Interactive explorer: ..." instead of ``VBox(children=(...))``. In JupyterLab
    the widget is shown inside a box of class :data:`EXPLORER_CLASS` with the style sheet
    :data:`EXPLORER_CSS` (ipywidgets 8 has no attribute or style-sheet API: an ``HTML``
    widget's ``<style>`` is the way in).
    """
    # built on demand: the grader's probe imports views, never shows them
    import ipywidgets as widgets
    from IPython import get_ipython  # a front end only in a kernel: printed plain elsewhere
    from IPython.display import display  # a front end only in a kernel: printed plain elsewhere

    from .slider import NativeKeys  # anywidget and ipywidgets: not on `import course_lib.views`

    text = f"Interactive explorer: {description} (open this notebook in JupyterLab to use it)."
    if get_ipython() is None:  # plain Python: nothing can render a widget
        print(text)
        return widget
    if widget._repr_mimebundle_() is None:
        print(text)
        return widget
    style = widgets.HTML(f"<style>{EXPLORER_CSS}</style>",
                         layout=widgets.Layout(display="none"))
    keys = NativeKeys(layout=widgets.Layout(display="none"))  # arrows stay in selects
    shown = widgets.VBox([widget, style, keys], _dom_classes=[EXPLORER_CLASS])  # these last
    data = dict(shown._repr_mimebundle_())
    data["text/plain"] = text
    display(data, raw=True)
    return widget


def live(markup):
    """A caption as a polite live region, so that a screen reader reads each new state.

    Parameters
    ----------
    markup : str
        The caption's HTML.

    Returns
    -------
    str
        ``markup`` inside ``<div role="status" aria-live="polite">``.

    Notes
    -----
    ipywidgets 8.1's ``HTML`` view replaces its content's ``innerHTML`` on every change and
    lets Python set no attribute on its own element, so the region is part of the value and is
    made anew with each caption.

    Examples
    --------
    >>> live("<b>AND</b>")
    '<div role="status" aria-live="polite"><b>AND</b></div>'
    """
    return f'<div role="status" aria-live="polite">{markup}</div>'


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
    # built on demand: the grader's probe imports views, never shows them
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
    # drawn on demand: the grader's probe imports views, never draws
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", **({} if dpi is None else {"dpi": dpi}))
    plt.close(fig)  # does nothing for a figure pyplot never saw
    return buf.getvalue()


def new_figure(draw, figsize=(5.5, 3.5), dpi=90, layout="tight"):
    """A figure that pyplot never sees (nothing leaks into the output), drawn by ``draw(fig)``.

    Parameters
    ----------
    draw : callable
        ``draw(fig)`` adds axes to the figure, draws and describes them.
    figsize : (float, float), default (5.5, 3.5)
        Width and height in inches.
    dpi : float, default 90
    layout : {"tight", "constrained", None}, default "tight"

    Returns
    -------
    matplotlib.figure.Figure
    """
    # drawn on demand: the grader's probe imports views, never draws
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout=layout)
    draw(fig)
    return fig


def show_figure(image, fig, dpi=None):
    """Show a described figure in an ``ipywidgets.Image``: its PNG and its text alternative.

    The text becomes the widget's ``tooltip``, which ipywidgets 8 writes into the ``<img>``'s
    ``title``: the image's accessible name in JupyterLab (ipywidgets has no ``alt``).
    ipywidgets 8.1's ImageView reads a ``description`` that an Image does not have whenever a
    tooltip is set, and fails to render ("Cannot read properties of undefined (reading
    'length')", measured in JupyterLab 4.6.6): the image gets an empty synced ``description``
    first, so the tooltip reaches the ``<img>`` as its ``title``.

    Parameters
    ----------
    image : ipywidgets.Image
    fig : matplotlib.figure.Figure
        Described with :func:`~.describe.describe`; a pyplot figure is closed afterwards.
    dpi : float, optional

    Raises
    ------
    ValueError
        If the figure has no text alternative.
    """
    # built on demand: the grader's probe imports views, never shows them
    from traitlets import Unicode

    from .describe import require_description  # matplotlib: not on `import course_lib.views`

    text = require_description(fig, "show_figure")
    if "description" not in image.keys:
        image.add_traits(description=Unicode("").tag(sync=True))
    image.tooltip = text
    image.value = png_bytes(fig, dpi)
