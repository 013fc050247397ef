"""Views: plots and interactive explorers for the notebooks (the only modules that import
matplotlib or ipywidgets). One module per lecture topic; :mod:`._display` holds the shared
helper that shows a widget and degrades to a printed message without a front end."""
