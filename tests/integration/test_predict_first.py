"""Run All on a blank released notebook never prints a predict-first's answer (issue 27: 04's
P1 and P2 and 05's P1 were worked out by the very next cells): the worked answer waits until
the student's own prediction was checked (course_lib.checking.reveal_after)."""

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


@pytest.mark.parametrize("folder", sorted(SPOILERS))
def test_run_all_on_a_blank_notebook_keeps_the_predictions_open(folder, released_course,
                                                                monkeypatch):
    monkeypatch.setenv("COURSE_QUICK", "1")
    path = released_course / "release" / folder / f"{folder}.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = json.dumps([cell.get("outputs", []) for cell in nb.cells])
    shown = [text for text in SPOILERS[folder] if text in printed]
    assert not shown, f"{folder}: Run All on the blank notebook prints {shown}"
    assert REVEAL_MESSAGE.split("{")[0] in printed, "no cell says how to see the answer"
