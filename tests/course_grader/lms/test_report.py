"""make report: the CSVs and the page name the exercise a seeded mistake made hard, with its
most frequent hint, and every figure has a text alternative."""

import csv
import re

import pytest

from course_grader.lms.report import ITEM_COLUMNS, build_report


@pytest.fixture(scope="module")
def report(graded_class, tmp_path_factory):
    root, _plan = graded_class
    out = tmp_path_factory.mktemp("reports")
    items, problems = build_report(root, out)
    return out, items, problems


def test_the_csv_has_every_item_and_the_seeded_mistake_with_its_hint(report, seeded_mistake):
    out, items, problems = report
    grade_id, hint = seeded_mistake
    rows = list(csv.DictReader(open(out / "item_analysis.csv", newline="")))
    assert list(rows[0]) == ITEM_COLUMNS and len(rows) == 6 and problems == []
    seeded = next(r for r in rows if r["grade_id"] == grade_id)
    assert seeded["top_hint"] == hint and int(seeded["top_hint_count"]) == 13
    assert "fail rate" in seeded["flags"]
    assert [r["grade_id"] for r in rows if r["flags"]] == [grade_id]


def test_the_page_opens_with_the_flagged_item_and_its_hint(report, seeded_mistake):
    out, _items, _problems = report
    grade_id, hint = seeded_mistake
    page = (out / "index.html").read_text()
    flagged = page.split("<h2>Flagged items</h2>")[1].split("<h2>")[0]
    assert f"03_architectures_params / {grade_id}" in flagged
    assert f"13 &times; <q>{hint}</q>" in flagged
    assert page.index("Flagged items") < page.index("Totals per assignment")
    alts = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]*)"', page)
    assert len(alts) == 3 == page.count("<img ")                  # 2 histograms and the plot
    assert alts[0].startswith("Totals on 01_perceptron: 22 students")
    assert f"flagged: {grade_id}" in alts[2]


def test_a_students_markup_in_a_verdict_is_escaped(report):
    out, _items, _problems = report
    page = (out / "index.html").read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(#)&gt;" in page


def test_variants_break_down_the_exercises_with_variants(report, graded_class):
    out, items, _problems = report
    rows = list(csv.DictReader(open(out / "variants.csv", newline="")))
    assert {r["grade_id"] for r in rows} == {"truth_table_h_test", "gate_weights_test",
                                             "design_network_test"}
    gate = [r for r in rows if r["grade_id"] == "gate_weights_test" and r["field"] == "gate"]
    assert sum(int(r["students"]) for r in gate) == 22 and len(gate) > 1
    assert all(r["value"].startswith("gate = ") for r in gate)
    whole = [r for r in rows if r["grade_id"] == "gate_weights_test" and r["field"] == "(variant)"]
    assert sum(int(r["students"]) for r in whole) == 22
    assert "distinct variants among 22 students" in (out / "index.html").read_text()


def test_the_synthetic_class_of_the_benchmark_reports_every_cell(tmp_path, new_gradebooks):
    from course_grader.lms.synthetic import make_class

    repo = __import__("pathlib").Path(__file__).resolve().parents[3]
    with new_gradebooks():
        cells = make_class(tmp_path, repo, students=12)
    items, problems = build_report(tmp_path, "reports")
    assert problems == [] and len(cells) == 7
    assert [(i.assignment, i.grade_id) for i in items] == [
        (a, g) for a, cs in cells.items() for g, _points in cs]
    assert all(i.students == 12 for i in items)
    assert any(i.variant is not None for i in items)
