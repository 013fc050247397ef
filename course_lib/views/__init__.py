"""Views: plots and interactive explorers for the notebooks, one module per lecture topic.

The only modules of ``course_lib`` that import matplotlib or ipywidgets (they import them when
a view module is imported, not here). :func:`show_widget` shows an explorer and degrades to a
printed message where no widget front end is attached (nbval, a terminal).
"""

from .display import show_widget

__all__ = ["show_widget"]
