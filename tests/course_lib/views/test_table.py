"""Table: aligned text, escaped HTML, rows checked against the columns."""

import pytest

from course_lib.views.table import Table


def test_table_text_and_html():
    t = Table(["model", "accuracy"], [["model 1", "0.93"], ["model <2>", 0.98]])
    assert str(t).splitlines() == ["model      accuracy", "---------  --------",
                                   "model 1    0.93", "model <2>  0.98"]
    assert "<th>accuracy</th>" in t._repr_html_() and "model &lt;2&gt;" in t._repr_html_()
    with pytest.raises(ValueError, match=r"Table: a row has 1 cells \['x'\] but there are 2"):
        Table(["a", "b"], [["x"]])
