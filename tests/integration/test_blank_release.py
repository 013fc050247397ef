"""Run All on a blank released notebook, as a new student does first (issue 27):

- it never prints a predict-first's answer (04's P1 and P2 and 05's P1 and P2 were worked out
  by the very next cells): the worked answer waits until the student's own prediction was
  checked (course_lib.checking.reveal_after);
- a blank exercise shows clear messages only: its answer cell no bare
  ``NotImplementedError`` (the released cell holds ``your_answer_here()``, which does nothing
  at the top of a cell), its check and its test cell "not answered yet".
"""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from course_lib.checking.reveal import REVEAL_MESSAGE

# what the worked answers print, per released notebook
SPOILERS = {
    "04_convolution": ["(7 - 3 + 2*1)/3 + 1 = 3", "W2 = (36 - 5 + 2*0)/1 + 1 = 32",
                       "parameters = 5*5*3*10 weights + 10 biases = 760"],
    "05_pooling_fc": ["max pool with 2x2 filters and stride 2:", "-> pooled (112, 112, 64)"],
}


@pytest.fixture(scope="module", params=sorted(SPOILERS))
def ran(request, released_course):
    """(folder, the blank released notebook after Run All with COURSE_QUICK=1)."""
    folder = request.param
    path = released_course / "release" / folder / f"{folder}.ipynb"
    nb = nbformat.read(path, as_version=4)
    mp = pytest.MonkeyPatch()
    mp.setenv("COURSE_QUICK", "1")
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        mp.undo()
    return folder, nb


def test_run_all_keeps_the_predictions_open(ran):
    folder, nb = ran
    printed = json.dumps([cell.get("outputs", []) for cell in nb.cells])
    shown = [text for text in SPOILERS[folder] if text in printed]
    assert not shown, f"{folder}: Run All on the blank notebook prints {shown}"
    assert REVEAL_MESSAGE.split("{")[0] in printed, "no cell says how to see the answer"


def test_a_blank_exercise_shows_no_bare_error(ran):
    folder, nb = ran
    bare = [cell.get("id") for cell in nb.cells for out in cell.get("outputs", [])
            if out.get("output_type") == "error" and not str(out.get("evalue", "")).strip()]
    assert not bare, f"{folder}: cells {bare} show an error without a message"
    answers = [cell for cell in nb.cells if cell.cell_type == "code"
               and cell.metadata.get("nbgrader", {}).get("solution")]
    assert answers and all("your_answer_here()" in cell.source for cell in answers)
    raised = [cell.get("id") for cell in answers if not _defines_a_function(cell.source)
              and any(out.get("output_type") == "error" for out in cell.get("outputs", []))]
    assert not raised, f"{folder}: blank value exercises {raised} raise"


def _defines_a_function(source):
    return any(line.startswith("def ") for line in source.splitlines())
