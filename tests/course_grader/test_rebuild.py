"""Rebuilding a submission from the release: answers by grade_id, every other change reported."""

import copy

import pytest

from course_grader.course import FLAG, flagged_lines
from course_grader.rebuild import rebuild_submission


def _cell(gid, source, cell_type="code", **flags):
    meta = {"grade_id": gid, "grade": False, "solution": False, "locked": False,
            "schema_version": 3, "task": False, **flags}
    cell = {"cell_type": cell_type, "metadata": {"nbgrader": meta}, "source": source}
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def release():
    return {"metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5,
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": "# Lecture"},
                _cell("n_params", "n_params = None", solution=True),
                _cell("n_params_test", 'require_answer(n_params, "Exercise 1")', grade=True,
                      locked=True, points=1),
                _cell("explain", "Your words here.", cell_type="markdown", solution=True),
            ]}


def submission(release_nb, **answers):
    nb = copy.deepcopy(release_nb)
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return nb


def test_the_answers_are_taken_by_grade_id_into_the_release():
    rel = release()
    theirs = submission(rel, n_params="n_params = 7850", explain="Biases!")
    theirs["cells"].reverse()  # order does not matter, grade ids do
    theirs["cells"][-1]["source"] = "# my own lecture notes"  # an ungraded cell: dropped
    theirs["metadata"]["kernelspec"] = {"name": "evil"}
    nb, problems = rebuild_submission(rel, theirs)
    assert problems == []
    assert [c["source"] for c in nb["cells"]] == [
        "# Lecture", "n_params = 7850", rel["cells"][2]["source"], "Biases!"]
    assert nb["metadata"]["kernelspec"] == {"name": "python3"}
    assert rel["cells"][1]["source"] == "n_params = None"  # the release itself is not changed


def test_a_duplicated_grade_id_is_reported_and_the_first_kept():
    rel = release()
    theirs = submission(rel, n_params="n_params = 1")
    theirs["cells"].append(_cell("n_params", "n_params = 2", solution=True))
    nb, problems = rebuild_submission(rel, theirs)
    assert problems == ["grade_id 'n_params' appears more than once (the first one counts)"]
    assert nb["cells"][1]["source"] == "n_params = 1"


def test_a_deleted_cell_is_reported():
    rel = release()
    theirs = submission(rel)
    del theirs["cells"][2]
    nb, problems = rebuild_submission(rel, theirs)
    assert problems == ["cell 'n_params_test' was deleted"]
    assert nb["cells"][2] == rel["cells"][2]


@pytest.mark.parametrize("edit", ["source", "unlock", "points"])
def test_a_changed_locked_cell_is_reported_and_restored(edit):
    rel = release()
    theirs = submission(rel)
    cell = theirs["cells"][2]
    if edit == "source":
        cell["source"] = "pass"
    elif edit == "unlock":
        cell["metadata"]["nbgrader"]["locked"] = False
    else:
        cell["metadata"]["nbgrader"]["points"] = 100
    nb, problems = rebuild_submission(rel, theirs)
    assert problems == ["locked cell 'n_params_test' was changed (the released cell is graded)"]
    assert nb["cells"][2] == rel["cells"][2]


def test_the_source_notebooks_locked_cells_replace_the_released_ones():
    rel = release()
    source = copy.deepcopy(rel)
    source["cells"][2]["source"] = ('require_answer(n_params, "Exercise 1")\n'
                                    "### BEGIN HIDDEN TESTS\nassert n_params == 7850\n"
                                    "### END HIDDEN TESTS")
    nb, problems = rebuild_submission(rel, submission(rel), source)
    assert problems == [] and nb["cells"][2]["source"] == source["cells"][2]["source"]


def test_an_answer_cell_whose_type_changed_is_graded_blank():
    rel = release()
    theirs = submission(rel, n_params="n_params = 7850")
    theirs["cells"][1]["cell_type"] = "markdown"
    nb, problems = rebuild_submission(rel, theirs)
    assert problems == ["answer cell 'n_params' changed its type (graded as blank)"]
    assert nb["cells"][1]["source"] == "n_params = None"


@pytest.mark.parametrize("broken", [None, {}, {"cells": "many"}, [1, 2]])
def test_a_notebook_without_cells_is_graded_blank(broken):
    nb, problems = rebuild_submission(release(), broken)
    assert nb == release() and problems == ["the notebook has no cells (graded as blank)"]


def test_cells_that_are_not_dicts_are_ignored():
    rel = release()
    theirs = submission(rel, n_params="n_params = 3")
    theirs["cells"].insert(0, "not a cell")
    nb, problems = rebuild_submission(rel, theirs)
    assert problems == [] and nb["cells"][1]["source"] == "n_params = 3"


def test_flagged_lines_parses_the_log():
    log = "\n".join([
        "[AutogradeApp | INFO] Sanitizing",
        f"[AutogradeApp | WARNING] {FLAG} student ada, 01_perceptron/01_perceptron: "
        "cell 'x' was deleted",
        f"[AutogradeApp | WARNING] {FLAG} the kernel died (DeadKernelError): boom",
        "",
    ])
    assert flagged_lines(log) == ["cell 'x' was deleted",
                                  "the kernel died (DeadKernelError): boom"]
    assert flagged_lines("nothing to see\n") == []
