"""Per-variant breakdowns: does a student's own numbers make an exercise harder?

An exercise with variants (:mod:`course_lib.checking.variants`) gives each student numbers
drawn from their id. What identifies a student's variant of an exercise is what
``Variant(assignment, student).numbers()[exercise]`` holds (plain data); the exercise's
``summary`` writes it in one line. Which grade cell grades which exercise is read from the
source notebook: its hidden region asks ``expected(V, "exercise")``.

Most variants are drawn from wide ranges, so in a real class nearly every student has numbers
of their own and a group of one says nothing. So the breakdown is made twice: by the whole
variant (one group per distinct set of numbers), and by each single number that takes few
values (a stride of 2 or 3, the gate "NAND" or "OR"), where groups are large enough to
compare.
"""

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from course_lib.checking.variants import EXERCISES, Variant

from ..judge.notebook import hidden_specs

__all__ = ["exercise_of_cells", "VariantGroup", "VariantSpread", "variant_breakdown",
           "MAX_LEVELS"]

MAX_LEVELS = 12  # a single number with more values than this is not broken down


def exercise_of_cells(source_nb):
    """``{grade_id: exercise}`` for the grade cells whose hidden region calls
    ``expected(V, "exercise")`` (the first such call).

    Examples
    --------
    >>> cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "grade_id": "t"}},
    ...         "source": "### BEGIN HIDDEN TESTS\\nwant = expected(V, 'gate')\\n"
    ...                   "### END HIDDEN TESTS\\n"}
    >>> exercise_of_cells({"cells": [cell]})
    {'t': 'gate'}
    """
    found = {}
    for grade_id, spec in hidden_specs(source_nb).items():
        try:
            tree = ast.parse(spec)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "expected"
                    and len(node.args) == 2 and isinstance(node.args[1], ast.Constant)):
                found[grade_id] = str(node.args[1].value)
                break
    return found


@dataclass
class VariantGroup:
    """Students who share a value: ``label`` (the numbers, or ``name = value``)."""

    field: str
    label: str
    students: int = 0
    points: float = 0.0
    full: int = 0

    @property
    def full_rate(self):
        """The fraction of the group with full points."""
        return self.full / self.students if self.students else float("nan")


@dataclass
class VariantSpread:
    """One item's breakdown: ``exercise``, ``variants`` (whole-variant groups) and ``levels``
    (single-number groups)."""

    exercise: str
    variants: list = field(default_factory=list)
    levels: list = field(default_factory=list)

    def widest(self, min_students=3):
        """The single number whose groups (of at least ``min_students``) differ most in full
        rate: ``(name, [groups])``, or None."""
        best = None
        by_field = {}
        for group in self.levels:
            if group.students >= min_students:
                by_field.setdefault(group.field, []).append(group)
        for name, groups in by_field.items():
            if len(groups) > 1:
                gap = max(g.full_rate for g in groups) - min(g.full_rate for g in groups)
                if best is None or gap > best[0]:
                    best = (gap, name, sorted(groups, key=lambda g: g.full_rate))
        return None if best is None else best[1:]


def _scalars(numbers, prefix=""):
    """``{dotted name: value}`` of the numbers that are single values (lists left out)."""
    found = {}
    for name, value in numbers.items():
        if isinstance(value, dict):
            found.update(_scalars(value, f"{prefix}{name}."))
        elif isinstance(value, (int, float, str)):
            found[f"{prefix}{name}"] = value
    return found


def _add(groups, key, field_name, label, got, full):
    group = groups.setdefault(key, VariantGroup(field_name, label))
    group.students += 1
    group.points += got
    group.full += int(full)


def _spread(assignment, exercise, item, scores, drawn):
    ex = EXERCISES[assignment][exercise]
    whole, single = {}, {}
    for student in scores.submitted(assignment):
        if (assignment, student) not in drawn:  # one draw per student, for all its cells
            drawn[(assignment, student)] = Variant(assignment, student).numbers()
        nums = drawn[(assignment, student)][exercise]
        got = scores.cells[(assignment, student)].get((item.notebook, item.grade_id), 0.0)
        full = got >= item.max_points - 1e-9
        key = json.dumps(nums, sort_keys=True)
        _add(whole, key, "(variant)", ex.summary(nums), got, full)
        for name, value in _scalars(nums).items():
            _add(single, (name, value), name, f"{name} = {value}", got, full)
    values = {}
    for name, _value in single:
        values[name] = values.get(name, 0) + 1
    levels = [g for (name, _v), g in single.items() if 1 < values[name] <= MAX_LEVELS]
    return VariantSpread(exercise, sorted(whole.values(), key=lambda g: g.label),
                         sorted(levels, key=lambda g: (g.field, g.label)))


def variant_breakdown(items, scores, root):
    """Attach a :class:`VariantSpread` to each item that grades an exercise with variants.

    Parameters
    ----------
    items : list of ItemStats
        :func:`~.items.item_analysis`'s result; their ``variant`` is set in place.
    scores : ClassScores
    root : path
        The course folder: ``notebooks/ASSIGNMENT/NOTEBOOK.ipynb`` are the source notebooks.

    Returns
    -------
    list of ItemStats
        The items that got a breakdown.
    """
    done, mapping, drawn = [], {}, {}
    for item in items:
        if item.assignment not in EXERCISES:
            continue
        key = (item.assignment, item.notebook)
        if key not in mapping:
            path = Path(root) / "notebooks" / item.assignment / f"{item.notebook}.ipynb"
            mapping[key] = (exercise_of_cells(json.loads(path.read_text(encoding="utf-8")))
                            if path.is_file() else {})
        exercise = mapping[key].get(item.grade_id)
        if exercise in EXERCISES[item.assignment]:
            cell = next(i for i in scores.assignments[item.assignment].items
                        if (i.notebook, i.grade_id) == (item.notebook, item.grade_id))
            item.variant = _spread(item.assignment, exercise, cell, scores, drawn)
            done.append(item)
    return done
