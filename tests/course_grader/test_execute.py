"""nbgrader's Execute step as the course runs it: hidden regions stripped before the kernel
sees them, and each cell's output capped with one visible note."""

import json

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from course_grader.cells import HIDDEN_NOTE
from course_grader.execute import OUTPUT_NOTE, SandboxedExecute, StripHiddenTests

GRADE = {"nbgrader": {"grade": True, "grade_id": "t", "locked": True, "points": 1,
                      "solution": False, "schema_version": 3, "task": False}}
HIDDEN_CELL = ('"""Check n."""\nrequire_answer(n, "Exercise 1")\n'
               "if True:\n    ### BEGIN HIDDEN TESTS\n    assert n == 7850, 'biases?'\n"
               "    ### END HIDDEN TESTS\nprint('done')")


def _strip(cell):
    return StripHiddenTests().preprocess_cell(cell, {}, 0)[0]


def test_strip_hidden_tests_replaces_the_region_by_the_note():
    cell = _strip(new_code_cell(HIDDEN_CELL, metadata=GRADE))
    assert cell.source == ('"""Check n."""\nrequire_answer(n, "Exercise 1")\n'
                           f"if True:\n    {HIDDEN_NOTE}\nprint('done')")


@pytest.mark.parametrize("cell", [new_code_cell(HIDDEN_CELL),  # not a grade cell
                                  new_markdown_cell(HIDDEN_CELL, metadata=GRADE)])
def test_strip_hidden_tests_leaves_other_cells_alone(cell):
    assert _strip(cell).source == HIDDEN_CELL


def _stream(text, n):
    return {"msg_type": "stream", "header": {"msg_type": "stream", "msg_id": f"m{n}"},
            "parent_header": {}, "metadata": {}, "content": {"name": "stdout", "text": text}}


def _executor():
    """A SandboxedExecute in the state preprocess() leaves it in, without a kernel."""
    ex = SandboxedExecute(output_limit_kb=1)
    ex.reset_execution_trackers()
    ex.clear_before_next_output = False
    ex._printed = {}
    return ex


def test_the_output_cap_adds_one_note_and_bounds_the_total():
    ex = _executor()
    line = "x" * 300 + "\n"
    outs, other = [], []
    for n in range(50):
        ex.output(outs, _stream(line, n), None, 3)
    ex.output(other, _stream("hello\n", 99), None, 4)  # another cell has its own budget
    notes = [o for o in outs if o.get("text") == OUTPUT_NOTE.format(kb=1)]
    assert len(notes) == 1 and outs[-1] is notes[0]
    shown = sum(len(json.dumps(o)) for o in outs if o is not notes[0])
    assert shown <= 1024 + len(line) + 200
    assert "".join(o.get("text", "") for o in other) == "hello\n"


def test_a_cell_under_the_cap_is_untouched():
    ex = _executor()
    outs = []
    for n in range(3):
        ex.output(outs, _stream("ok\n", n), None, 0)
    assert [o.get("text") for o in outs] == ["ok\n"] * 3


def test_past_the_budget_a_cell_is_not_run_and_the_submission_is_flagged(caplog):
    """One wall-clock budget per submission: once spent, the remaining cells get a visible
    note instead of running (no kernel is asked), and the log flags it once for a person."""
    import logging
    import time

    from course_grader.course import FLAG
    from course_grader.execute import BUDGET_NOTE

    ex = _executor()
    ex._budget, ex._over, ex.timeout = 30, False, 60
    ex._deadline = time.monotonic() + 10
    assert 9 <= ex._time_left() <= 11  # a cell gets what is left, under its own timeout
    ex._deadline = time.monotonic() - 1
    assert ex._time_left() == 1
    ex.log = logging.getLogger("budget-test")
    with caplog.at_level(logging.WARNING, logger="budget-test"):
        cells = [ex.preprocess_cell(new_code_cell("import time; time.sleep(59)"), {}, k)[0]
                 for k in (4, 5)]
    for cell in cells:
        assert cell.outputs[0]["ename"] == "TimeBudget"
        assert cell.outputs[0]["evalue"] == BUDGET_NOTE.format(budget=30)
    flags = [r.getMessage() for r in caplog.records if FLAG in r.getMessage()]
    assert len(flags) == 1 and "time budget of 30 s" in flags[0] and "cell 5" in flags[0]
