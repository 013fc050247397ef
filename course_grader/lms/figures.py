"""The report's two kinds of figure, as PNG bytes with a text alternative written from the data.

Matplotlib's object interface with the Agg canvas (no pyplot, no global backend), so the
report runs on a server without a display and never changes the caller's matplotlib state.
Assignments are told apart by marker shape as well as colour (Okabe and Ito's palette).
"""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["png_bytes", "totals_histogram", "difficulty_plot", "PALETTE", "MARKERS"]

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]


def png_bytes(fig):
    """The figure as PNG bytes (96 dpi)."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    return buf.getvalue()


def totals_histogram(assignment, totals, max_points):
    """A histogram of one assignment's totals.

    Parameters
    ----------
    assignment : str
    totals : ndarray, shape (N,)
        The totals of the students who handed in.
    max_points : float

    Returns
    -------
    png : bytes
    alt : str
        E.g. "Totals on 01_perceptron: 24 students, mean 3.2 of 5 points, median 4; 6 with
        full points, 2 with 0."
    """
    totals = np.asarray(totals, float)
    fig = Figure(figsize=(4.2, 2.6))
    ax = fig.add_subplot()
    bins = np.linspace(0, max(max_points, 1e-9), min(int(max_points) + 1, 21) + 1)
    ax.hist(totals, bins=bins, color=PALETTE[0], edgecolor="white")
    ax.set(title=assignment, xlabel=f"total (of {max_points:g} points)", ylabel="students")
    fig.subplots_adjust(left=0.16, right=0.97, bottom=0.2, top=0.88)  # no tight_layout: a draw
    if len(totals):
        alt = (f"Totals on {assignment}: {len(totals)} students, mean {totals.mean():.1f} of "
               f"{max_points:g} points, median {np.median(totals):g}; "
               f"{int((totals >= max_points - 1e-9).sum())} with full points, "
               f"{int((totals <= 1e-9).sum())} with 0.")
    else:
        alt = f"Totals on {assignment}: no submissions."
    return png_bytes(fig), alt


def _extreme(items, key, pick):
    values = [(key(i), i.grade_id) for i in items if np.isfinite(key(i))]
    return pick(values) if values else None


def difficulty_plot(items):
    """Each item's difficulty (mean / max points) against its discrimination index.

    Parameters
    ----------
    items : list of ItemStats

    Returns
    -------
    png : bytes
    alt : str
        The ranges of both, the hardest item, and the flagged items by name.
    """
    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.add_subplot()
    assignments = list(dict.fromkeys(i.assignment for i in items))
    for k, assignment in enumerate(assignments):
        mine = [i for i in items if i.assignment == assignment]
        ax.scatter([i.difficulty for i in mine], [i.discrimination for i in mine],
                   marker=MARKERS[k % len(MARKERS)], color=PALETTE[k % len(PALETTE)],
                   label=assignment, s=36)
    for item in items:
        if item.flags and np.isfinite(item.discrimination):
            ax.annotate(item.grade_id, (item.difficulty, item.discrimination), fontsize=7,
                        xytext=(4, 4), textcoords="offset points")
    ax.axhline(0, color="0.5", linestyle="--", linewidth=1)
    ax.axvline(0.5, color="0.5", linestyle=":", linewidth=1)
    ax.set(xlim=(-0.05, 1.05), ylim=(-1.05, 1.05), xlabel="difficulty: mean / max points "
           "(low = hard)", ylabel="discrimination D (upper 27% - lower 27%)")
    if assignments:
        ax.legend(fontsize=7, loc="lower left")
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.12, top=0.97)
    return png_bytes(fig), _difficulty_alt(items)


def _difficulty_alt(items):
    if not items:
        return "Difficulty against discrimination: no items."
    hardest = _extreme(items, lambda i: i.difficulty, min)
    easiest = _extreme(items, lambda i: i.difficulty, max)
    low = _extreme(items, lambda i: i.discrimination, min)
    high = _extreme(items, lambda i: i.discrimination, max)
    parts = [f"Difficulty (mean / max points) against discrimination D for {len(items)} items"]
    if hardest:
        parts.append(f"difficulty from {hardest[0]:.2f} ({hardest[1]}) to {easiest[0]:.2f} "
                     f"({easiest[1]})")
    if low:
        parts.append(f"D from {low[0]:+.2f} ({low[1]}) to {high[0]:+.2f} ({high[1]})")
    flagged = [i.grade_id for i in items if i.flags]
    parts.append(f"{len(flagged)} flagged" + (f": {', '.join(flagged)}" if flagged else ""))
    return "; ".join(parts) + "."
