"""The newer exercises, as a student meets them in the released notebooks in JupyterLab.

For each exercise: type the correct answer into its cell (the source's solution region), run
it and its instant check: "Correct"; then a realistic mistake (the source's ``# WRONG:``
lines): "Not yet". One notebook is opened once for all its exercises. No answer is written
here: they come from the source notebooks. (tests/browser/test_browser_student_flow.py does
the same for the first exercise of 01.)
"""

import time

import pytest
from lab_driver import (
    REPORT,
    cell_source,
    exception_name,
    notebook_cells,
    open_notebook,
    run_all,
    run_cell,
    solution_text,
    stderr_outputs,
    type_into_cell,
    wrong_text,
)

# notebook -> the grade_ids of its solution cells to drive (each has a <grade_id>_check cell)
EXERCISES = {
    "01_perceptron": ["two_layer_forward"],               # Exercise 4
    "04_convolution": ["predict_7_3_3_1", "predict_36"],  # predict first
    "05_pooling_fc": ["predict_maxpool"],                 # predict first
    "06_cnn_architectures": ["alexnet_vs_lenet"],         # Exercise 4
    "07_mnist_lab": ["run_network", "plot_losses"],       # Exercises 3 and 4
}


def exercise_cells(source_nb, grade_id):
    """(index of the solution cell ``grade_id``, index of its ``<grade_id>_check`` cell)."""
    index = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): i
             for i, c in enumerate(notebook_cells(source_nb))}
    missing = [g for g in (grade_id, f"{grade_id}_check") if g not in index]
    assert not missing, f"{source_nb.name} has no cells with grade_id {missing}"
    return index[grade_id], index[f"{grade_id}_check"]


def _run_answer(page, index, path):
    """Run an answer cell; it must not raise (else the check would judge the answer before)."""
    run_cell(page, index, timeout=120)
    errors = [text for i, text in stderr_outputs(page) if i == index and exception_name(text)]
    assert not errors, f"{path}: the typed answer in cell {index} raised:\n{errors[0][-1500:]}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_each_exercise_says_correct_then_gives_the_hint(name, course, lab_page):
    page = lab_page
    source = course / "notebooks" / name / f"{name}.ipynb"
    path = f"release/{name}/{name}.ipynb"
    cells = notebook_cells(source)
    driven = [(g, *exercise_cells(source, g)) for g in EXERCISES[name]]
    started = time.monotonic()
    open_notebook(page, path)
    run_all(page, what=path, until=max(ex for _, ex, _ in driven) + 1)
    results = {}
    for grade_id, ex, check in driven:
        src = cell_source(cells[ex])
        type_into_cell(page, ex, solution_text(src))
        _run_answer(page, ex, path)
        verdict = run_cell(page, check, timeout=120)
        assert "Correct" in verdict and "Not yet" not in verdict, (
            f"{path}: the check of {grade_id} (cell {check}) says {verdict!r} to the solution")
        type_into_cell(page, ex, wrong_text(src))
        _run_answer(page, ex, path)
        hint = run_cell(page, check, timeout=120)
        assert "Not yet" in hint, (
            f"{path}: the check of {grade_id} (cell {check}) says {hint!r} to the # WRONG answer")
        results[grade_id] = {"correct": verdict.strip()[:200], "wrong": hint.strip()[:300]}
    REPORT.append({"notebook": path, "exercises": results,
                   "total_s": round(time.monotonic() - started, 1)})
