"""The synthetic class of the grading tests and benchmark."""

import json
from pathlib import Path

import pytest
from course_demo import hand_in, make_course, submission

ROOT = Path(__file__).resolve().parents[2]
FOLDER = "03_architectures_params"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("demo") / "course", ROOT, [FOLDER])


def _answers(nb):
    return ["".join(c["source"]) for c in nb["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution")]


def test_the_three_kinds_differ_in_their_answers_only(course):
    solution, blank, wrong = (submission(course, FOLDER, k) for k in ("solution", "blank",
                                                                      "wrong"))
    assert "BEGIN SOLUTION" in "".join(_answers(solution))
    assert "BEGIN SOLUTION" not in "".join(_answers(blank) + _answers(wrong))
    assert _answers(wrong) != _answers(blank) != _answers(solution)
    assert len(solution["cells"]) == len(blank["cells"]) == len(wrong["cells"])


def test_an_unknown_kind_is_refused(course):
    with pytest.raises(ValueError, match="solution, blank or wrong"):
        submission(course, FOLDER, "cheat")


def test_hand_in_writes_where_nbgrader_looks(course):
    hand_in(course, "ada", FOLDER, {"cells": []})
    path = course / "submitted" / "ada" / FOLDER / f"{FOLDER}.ipynb"
    assert json.loads(path.read_text()) == {"cells": []}
    assert (course / "release" / FOLDER / f"{FOLDER}.ipynb").exists()
