"""A small results table that shows as HTML in a notebook and as aligned text elsewhere."""

import html

__all__ = ["Table"]


class Table:
    """A small table that shows as HTML in a notebook and as aligned text elsewhere.

    Parameters
    ----------
    columns : list of str
    rows : list of sequences, each as long as ``columns``
        Cells are shown with ``str`` (format numbers before, e.g. ``f"{acc:.2%}"``).

    Examples
    --------
    >>> print(Table(["model", "params"], [["model 1", "7,960"]]))
    model    params
    -------  ------
    model 1  7,960
    """

    def __init__(self, columns, rows):
        self.columns = [str(c) for c in columns]
        self.rows = [[str(v) for v in row] for row in rows]
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"Table: a row has {len(row)} cells {row} but there are "
                                 f"{len(self.columns)} columns {self.columns}.")

    def __str__(self):
        widths = [max(len(r[j]) for r in [self.columns, *self.rows])
                  for j in range(len(self.columns))]
        lines = [self.columns, ["-" * w for w in widths], *self.rows]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                         for line in lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                       for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
