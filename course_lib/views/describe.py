"""Text alternatives: every figure of the views says in words what it shows, from its data.

A plot function calls :func:`describe` on each panel (an Axes) it draws, or on the figure it
returns, with a sentence written from the numbers it plots ("test loss of model 2, lowest
0.060 at epoch 7"). :func:`description_of` gives a figure's whole text: its own, or its
suptitle followed by its panels' texts, so a figure the notebook assembles from several view
panels is described too. The text then reaches the picture in both places a student meets it:

- a figure shown inline (``plt.show()``, ``display(fig)``) displays :func:`figure_bundle`:
  a ``text/html`` ``<img alt=...>``, the ``image/png`` with ``metadata["image/png"]["alt"]``
  and the text as ``text/plain``;
- a PNG in an ``ipywidgets.Image`` (the explorers) gets the text as the widget's tooltip,
  which ipywidgets writes into the ``<img>``'s ``title`` (:func:`~.display.show_figure`).

Why both parts of the bundle (measured in Chromium on JupyterLab 4.6.6, nbconvert 7.17.2):
JupyterLab's image renderer gives an ``image/png`` output no ``alt`` at all, whatever its
metadata holds; it renders the ``text/html`` part (preferred over the PNG) with its ``alt``,
in a notebook just run and in one opened untrusted (its sanitizer keeps the ``data:`` URL).
nbconvert's classic template (nbgrader's feedback and formgrader) writes the metadata's
``alt``; its lab template ignores the metadata but renders the ``text/html`` part. With
``sanitize_html`` the ``text/html`` part is shown as text, which is why a graded notebook keeps
only the PNG and its ``alt`` metadata (``course_grader.inert``).
"""

import base64
import html

from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["describe", "description_of", "require_description", "figure_bundle",
           "DESCRIPTION"]

DESCRIPTION = "course_description"
"""The attribute of an Axes or Figure that holds its text alternative."""


def describe(target, text):
    """Attach a text alternative to one panel (an Axes) or a whole figure; return ``target``.

    The figure is then displayed with its text (:func:`figure_bundle`) wherever IPython shows
    it: ``plt.show()`` with the inline backend, ``display(fig)``, a cell's last value.

    Parameters
    ----------
    target : matplotlib.axes.Axes or matplotlib.figure.Figure
    text : str
        What the panel shows, written from its data: the kind of plot, the quantities and the
        values a student needs.

    Returns
    -------
    Axes or Figure
        ``target``.

    Raises
    ------
    TypeError
        If ``target`` is neither an Axes nor a Figure, or ``text`` is not a string.
    ValueError
        If ``text`` is blank.

    Examples
    --------
    >>> fig = Figure()
    >>> ax = describe(fig.subplots(), "a line from (0, 0) to (1, 1)")
    >>> description_of(fig)
    'a line from (0, 0) to (1, 1)'
    """
    if not isinstance(target, (Axes, Figure)):
        raise TypeError(f"describe: expected a matplotlib Axes or Figure, got "
                        f"{type(target).__name__}.")
    if not isinstance(text, str):
        raise TypeError(f"describe: the text must be a string, got {type(text).__name__}.")
    if not text.strip():
        raise ValueError("describe: the text is blank; say what the figure shows, from its data.")
    setattr(target, DESCRIPTION, " ".join(text.split()))
    fig = target if isinstance(target, Figure) else target.get_figure(root=True)
    # IPython looks the display method up on the object, so this figure alone shows its text
    fig._repr_mimebundle_ = lambda include=None, exclude=None: figure_bundle(fig)
    return target


def description_of(fig):
    """The figure's text alternative: its own, else its suptitle and its panels' texts.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str or None
        None when neither the figure nor any of its panels has been described.

    Examples
    --------
    >>> fig = Figure()
    >>> left, right = fig.subplots(1, 2)
    >>> _ = describe(left, "sigmoid."), describe(right, "tanh.")
    >>> _ = fig.suptitle("Two activations")
    >>> description_of(fig)
    'Two activations. Panel 1 of 2: sigmoid. Panel 2 of 2: tanh.'
    """
    own = getattr(fig, DESCRIPTION, None)
    if own:
        return own
    panels = [getattr(ax, DESCRIPTION, None) for ax in fig.axes]
    panels = [p for p in panels if p]
    if not panels:
        return None
    if len(panels) == 1:
        parts = panels
    else:
        parts = [f"Panel {i} of {len(panels)}: {p}" for i, p in enumerate(panels, 1)]
    title = fig.get_suptitle().strip() if hasattr(fig, "get_suptitle") else ""
    if title:
        parts.insert(0, " ".join(title.split()).rstrip(".") + ".")
    return " ".join(parts)


def require_description(fig, func):
    """:func:`description_of` ``fig``, or a ValueError that names ``func`` and the fix."""
    text = description_of(fig)
    if text is None:
        raise ValueError(f"{func}: this figure has no text alternative. Call "
                         "describe(ax, text) on each panel (or describe(fig, text)) with what "
                         "it shows, written from its data, before showing it.")
    return text


def figure_bundle(fig):
    """The display bundle of a described figure: ``<img alt>``, PNG with alt, text.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure with a text alternative (:func:`describe`).

    Returns
    -------
    (dict, dict)
        Data ``{"text/html", "image/png", "text/plain"}`` and metadata
        ``{"image/png": {"alt": text}}``, as ``_repr_mimebundle_`` returns them.

    Examples
    --------
    >>> fig = Figure(figsize=(1, 1))
    >>> _ = describe(fig.subplots(), 'the "one" line')
    >>> data, meta = figure_bundle(fig)
    >>> sorted(data), meta["image/png"]["alt"]
    (['image/png', 'text/html', 'text/plain'], 'the "one" line')
    >>> data["text/html"][:29]
    '<img alt="the &quot;one&quot;'
    """
    from IPython.core.pylabtools import print_figure  # as the inline backend draws it

    text = require_description(fig, "figure_bundle")
    png = print_figure(fig, "png", bbox_inches="tight")
    if not png:  # a figure with nothing on it: no picture to describe
        return {"text/plain": text}, {}
    b64 = base64.b64encode(png).decode("ascii")
    img = f'<img alt="{html.escape(text, quote=True)}" src="data:image/png;base64,{b64}">'
    return ({"text/html": img, "image/png": b64, "text/plain": text},
            {"image/png": {"alt": text}})
