"""``make report``: ``reports/item_analysis.csv``, ``reports/variants.csv`` and the page
``reports/index.html``.

The page opens with the flagged items (more than half the class failed, or negative
discrimination) and the hints that fired most on them, then a histogram of totals per
assignment and the difficulty-against-discrimination plot (inline PNG, each with a text
alternative written from the data), the table of every item, and the per-variant breakdowns.
Every text that came from a verdict is escaped: a student's own error message can be part of
a hint.
"""

import base64
import csv
import html
import math
import time
from pathlib import Path

import numpy as np

from .by_variant import variant_breakdown
from .figures import difficulty_plot, totals_histogram
from .items import FAIL_LIMIT, item_analysis
from .scores import read_scores
from .verdicts import read_verdicts

__all__ = ["ITEM_COLUMNS", "build_report", "write_item_csv", "write_variant_csv", "item_row",
           "render_html"]

ITEM_COLUMNS = ["assignment", "notebook", "grade_id", "max_points", "students", "mean_points",
                "difficulty", "full_rate", "zero_rate", "blank_rate", "fail_rate",
                "discrimination", "point_biserial", "flags", "top_hint", "top_hint_count",
                "hints"]


def _num(x, digits=4):
    """A number for a CSV cell: rounded, blank for NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{round(float(x), digits):g}"


def item_row(item):
    """One item's values in :data:`ITEM_COLUMNS` order (strings)."""
    top = item.top_hints(1)
    return [item.assignment, item.notebook, item.grade_id, _num(item.max_points),
            str(item.students), _num(item.mean_points), _num(item.difficulty),
            _num(item.full_rate), _num(item.zero_rate), _num(item.blank_rate),
            _num(item.fail_rate), _num(item.discrimination), _num(item.point_biserial),
            "; ".join(item.flags), top[0][0] if top else "", str(top[0][1]) if top else "",
            " | ".join(f"{n}x {hint}" for hint, n in item.hints.most_common())]


def write_item_csv(path, items):
    """Write every item's row under :data:`ITEM_COLUMNS`."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(ITEM_COLUMNS)
        writer.writerows(item_row(i) for i in items)


def write_variant_csv(path, items):
    """Write the per-variant groups: one row per whole variant and per single-number value."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["assignment", "grade_id", "exercise", "field", "value", "students",
                         "mean_points", "full_rate"])
        for item in items:
            spread = item.variant
            if spread is None:
                continue
            for group in spread.variants + spread.levels:
                writer.writerow([item.assignment, item.grade_id, spread.exercise, group.field,
                                 group.label, group.students,
                                 _num(group.points / group.students), _num(group.full_rate)])


def _img(png, alt):
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
            f"<figcaption>{html.escape(alt)}</figcaption></figure>")


def _flagged_html(items):
    flagged = [i for i in items if i.flags]
    if not flagged:
        return (f"<p>No item is flagged: none was failed by more than {FAIL_LIMIT:.0%} of the "
                "class, none discriminates negatively.</p>")
    parts = ["<ul>"]
    for item in sorted(flagged, key=lambda i: -i.fail_rate):
        hints = "".join(f"<li>{n} &times; <q>{html.escape(h)}</q></li>"
                        for h, n in item.top_hints(3)) or "<li>no hint recorded</li>"
        parts.append(f"<li><strong>{html.escape(item.assignment)} / "
                     f"{html.escape(item.grade_id)}</strong>: "
                     f"{html.escape('; '.join(item.flags))}. Most frequent hints:"
                     f"<ol>{hints}</ol></li>")
    return "\n".join(parts) + "</ul>"


def _table_html(items):
    head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in ITEM_COLUMNS[:-1])
    rows = []
    for item in items:
        cells = item_row(item)[:-1]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return (f"<table><caption>Every graded cell ({len(items)})</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _variants_html(items):
    parts = []
    for item in items:
        spread = item.variant
        if spread is None:
            continue
        line = (f"<li><strong>{html.escape(item.assignment)} / {html.escape(item.grade_id)}"
                f"</strong> (exercise <code>{html.escape(spread.exercise)}</code>): "
                f"{len(spread.variants)} distinct variants among {item.students} students")
        widest = spread.widest()
        if widest:
            name, groups = widest
            line += (f"; by <code>{html.escape(name)}</code>: " + ", ".join(
                f"{html.escape(g.label)}: {g.full_rate:.0%} full of {g.students}"
                for g in groups))
        parts.append(line + ".</li>")
    if not parts:
        return "<p>No exercise with variants among these items.</p>"
    return ("<p>Groups of one say little; <code>variants.csv</code> has every group.</p><ul>"
            + "".join(parts) + "</ul>")


def render_html(items, scores, problems=(), seconds=None):
    """The report page as a string (figures inline)."""
    figures = []
    for name in dict.fromkeys(i.assignment for i in items):
        totals = np.array([sum(scores.cells[(name, s)].values()) for s in scores.submitted(name)])
        figures.append(_img(*totals_histogram(name, totals, scores.assignments[name].max_points)))
    plot = _img(*difficulty_plot(items)) if items else ""
    notes = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:50])
    more = f"<li>... and {len(problems) - 50} more</li>" if len(problems) > 50 else ""
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Item analysis</title>
<style>body{{font-family:sans-serif;max-width:80rem;margin:auto;padding:1rem}}
table{{border-collapse:collapse;font-size:.85rem}}td,th{{border:1px solid #999;padding:2px 4px}}
figure{{display:inline-block;margin:.5rem}}figcaption{{font-size:.8rem;max-width:40rem}}</style>
</head><body><main>
<h1>Item analysis</h1>
<p>{len(scores.assignments)} assignments, {len(scores.students)} students, {len(items)} graded
cells; made{took} from the gradebook and the autograded notebooks.</p>
<h2>Flagged items</h2>
{_flagged_html(items)}
<h2>Totals per assignment</h2>
{''.join(figures)}
<h2>Difficulty and discrimination</h2>
{plot}
<h2>All items</h2>
{_table_html(items)}
<h2>Variants</h2>
{_variants_html(items)}
<h2>Notes</h2>
<ul>{notes}{more}<li>Difficulty: mean / max points. D: mean of the upper 27% minus the lower
27% by assignment total (before late penalties). r: point-biserial correlation with the total.
Blank: the verdict said "Not answered yet". Hints: verdict messages with numbers replaced by
#.</li></ul>
</main></body></html>
"""


def build_report(root, out_dir="reports", assignments=None):
    """Read the course's gradebook and verdicts; write the CSVs and the page.

    Parameters
    ----------
    root : path
        The course folder (``gradebook.db``, ``autograded/``, ``notebooks/``).
    out_dir : path, default "reports"
        Relative to ``root`` unless absolute.
    assignments : list of str, optional
        Which assignments (default: all).

    Returns
    -------
    items : list of ItemStats
    problems : list of str
        Notebooks whose verdicts could not be read.
    """
    start = time.perf_counter()
    root = Path(root)
    out = root / out_dir
    scores = read_scores(f"sqlite:///{root / 'gradebook.db'}")
    problems = []
    verdicts = read_verdicts(root, scores, problems)
    items = item_analysis(scores, verdicts, assignments)
    variant_breakdown(items, scores, root)
    out.mkdir(parents=True, exist_ok=True)
    write_item_csv(out / "item_analysis.csv", items)
    write_variant_csv(out / "variants.csv", items)
    page = render_html(items, scores, problems, time.perf_counter() - start)
    (out / "index.html").write_text(page, encoding="utf-8")
    return items, problems
