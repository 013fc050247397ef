"""``make grade``: every submission of the class, each its own unit of work.

- :mod:`.grade`: find, stage and grade the submissions; write the gradebook, feedback,
  grades.csv and the list of what needs a person;
- :mod:`.unit`: one submission graded in a temporary course of its own;
- :mod:`.pool`: units run on a local process pool or a Dask cluster, retried when a worker dies;
- :mod:`.report`: the progress bar and the summary table.
"""
