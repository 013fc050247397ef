"""Show an ipywidgets explorer so that it also reads well where no front end is attached."""

__all__ = ["show_widget"]


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
