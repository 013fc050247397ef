"""A graded class built with nbgrader's Gradebook API in a temporary course folder.

Two assignments (01_perceptron: three cells, 03_architectures_params: three cells), and
students who are honest (every cell right), blank, wrong, partly right, late (a penalty),
regraded by hand (a manual score), one who never handed in 03, one the roster does not know;
a seeded common mistake: most students miss the biases in ``count_mlp_params_test``, each on
their own numbers. Every autograded grade cell's output is the verdict, as
``JudgeGradeCells`` writes it. The roster is Canvas's export, with a student the gradebook
does not know.
"""

import contextlib
import json
import warnings

import nbgrader.api
import pytest
from alembic.script import ScriptDirectory
from nbgrader.api import Gradebook
from nbgrader.dbutil import ALEMBIC_DIR

CELLS = {"01_perceptron": [("truth_table_h_test", 1), ("gate_weights_test", 2),
                           ("layer_forward_values_test", 2)],
         "03_architectures_params": [("predict_dense_784_10_test", 1),
                                     ("count_mlp_params_test", 3),
                                     ("design_network_test", 2)]}
SEEDED = "count_mlp_params_test"
# the grade cells whose hidden region asks for an exercise with variants
VARIANT_OF = {"truth_table_h_test": "truth_table", "gate_weights_test": "gate",
              "design_network_test": "design"}
HOSTILE = "Your code raised ValueError: <img src=x onerror=alert(1)>"
BIASES = "You counted {n} parameters for the 784-{h}-10 network: the biases are missing."
BIASES_HINT = "You counted # parameters for the #-#-# network: the biases are missing."


def _plan():
    """``{student: {assignment: {cell: verdict}}}``: "P" passed, "B" blank, other text wrong."""
    plan = {}
    everything = {a: {c: "P" for c, _ in cells} for a, cells in CELLS.items()}
    for i in range(6):
        plan[f"honest{i}"] = json.loads(json.dumps(everything))
    for i in range(2):
        plan[f"blank{i}"] = {a: {c: "B" for c, _ in cells} for a, cells in CELLS.items()}
    for i in range(3):
        plan[f"wrong{i}"] = {a: {c: f"Wrong values for W of shape ({i + 2}, 3)." for c, _ in cells}
                             for a, cells in CELLS.items()}
    for i in range(7):
        part = json.loads(json.dumps(everything))
        cell = "gate_weights_test" if i < 4 else "truth_table_h_test"
        part["01_perceptron"][cell] = f"For the input (0, {i % 2}) your perceptron gives 1."
        plan[f"partly{i}"] = part
    plan["late"], plan["regraded"] = (json.loads(json.dumps(everything)) for _ in range(2))
    plan["nosub03"] = {"01_perceptron": dict(everything["01_perceptron"])}
    plan["notinroster"] = json.loads(json.dumps(everything))
    for i in range(3):  # a student's own error text becomes the cell's top hint
        plan[f"wrong{i}"]["03_architectures_params"]["design_network_test"] = HOSTILE
    n = 0
    for student, work in plan.items():  # the seeded mistake: all but the honest ones
        if "03_architectures_params" in work and not student.startswith(("honest", "blank")):
            n += 1
            work["03_architectures_params"][SEEDED] = BIASES.format(n=7840 + 10 * n, h=10 + n)
    return plan


def _notebook(assignment, verdicts):
    cells = []
    for cell, points in CELLS[assignment]:
        verdict = verdicts[cell]
        if verdict == "P":
            outputs = [{"output_type": "stream", "name": "stdout", "text": "\u2714 Passed.\n"}]
        else:
            message = "Not answered yet: Exercise 1 is blank." if verdict == "B" else verdict
            outputs = [{"output_type": "error", "ename": "AssertionError", "evalue": message,
                        "traceback": [f"AssertionError: {message}"]}]
        cells.append({"cell_type": "code", "execution_count": 1, "id": cell, "source": "",
                      "outputs": outputs, "metadata": {"nbgrader": {
                          "grade": True, "solution": False, "locked": True,
                          "grade_id": cell, "points": points, "schema_version": 3}}})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _source(assignment):
    """The source notebook's grade cells: a hidden region per cell, some asking expected()."""
    cells = []
    for cell, points in CELLS[assignment]:
        ask = f'want = expected(V, "{VARIANT_OF[cell]}")' if cell in VARIANT_OF else "pass"
        cells.append({"cell_type": "code", "execution_count": None, "id": cell, "outputs": [],
                      "source": f"### BEGIN HIDDEN TESTS\n{ask}\n### END HIDDEN TESTS\n",
                      "metadata": {"nbgrader": {"grade": True, "solution": False,
                                                "grade_id": cell, "points": points}}})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def build_class(root):
    """Write ``gradebook.db`` and ``autograded/`` of the class into ``root``; return the plan."""
    plan = _plan()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment, cells in CELLS.items():
            (root / "notebooks" / assignment).mkdir(parents=True)
            (root / "notebooks" / assignment / f"{assignment}.ipynb").write_text(
                json.dumps(_source(assignment)))
            gb.add_assignment(assignment)
            gb.add_notebook(assignment, assignment)
            for cell, points in cells:
                gb.add_grade_cell(cell, assignment, assignment, max_score=points,
                                  cell_type="code")
        for i, (student, work) in enumerate(plan.items()):
            gb.add_student(student, first_name=f"First{i}", last_name=f"Last{i}",
                           email=f"{student}@uni.example")
            for assignment, verdicts in work.items():
                sub = gb.add_submission(assignment, student)
                for grade in sub.notebooks[0].grades:
                    grade.auto_score = grade.max_score if verdicts[grade.name] == "P" else 0.0
                    grade.needs_manual_grade = False
                folder = root / "autograded" / student / assignment
                folder.mkdir(parents=True)
                (folder / f"{assignment}.ipynb").write_text(
                    json.dumps(_notebook(assignment, verdicts)))
        gb.find_submission_notebook("01_perceptron", "01_perceptron", "late") \
            .late_submission_penalty = 1.5
        gb.find_grade("gate_weights_test", "01_perceptron", "01_perceptron",
                      "regraded").manual_score = 0.5
        gb.db.commit()
    return plan


def write_roster(path, students, header_extra=("01_perceptron (501)", "Quiz 1 (777)")):
    """Canvas's gradebook export for ``students`` plus one the gradebook does not know."""
    lines = ["Student,ID,SIS User ID,SIS Login ID,Section," + ",".join(header_extra),
             "    Points Possible,,,,," + ",".join("5" for _ in header_extra)]
    for i, student in enumerate([*students, "ghost"]):
        login = student.upper() if student == "honest0" else student  # Canvas keeps the case
        lines.append(f'"Last{i}, First{i}",{1000 + i},S{i:04d},{login},Section A,'
                     + ",".join("" for _ in header_extra))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def new_gradebooks_fast():
    """A context in which a new gradebook learns its schema version in this process: nbgrader
    asks the `alembic` command (a subprocess, 1-4 s here) for the same head revision."""
    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nbgrader.api, "get_alembic_version", lambda: head)
        yield


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):  # one per session: the tests only read it
    """``(root, plan)``: a course folder with the class's gradebook and autograded notebooks."""
    root = tmp_path_factory.mktemp("course")
    with new_gradebooks_fast(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's add_submission warns about its session
        return root, build_class(root)


@pytest.fixture
def roster(graded_class, tmp_path):
    """Canvas's export of the class, without ``notinroster`` and with ``ghost``."""
    _root, plan = graded_class
    return write_roster(tmp_path / "roster.csv", [s for s in plan if s != "notinroster"])


@pytest.fixture(scope="session")
def seeded_mistake():
    """``(grade_id, hint)``: the cell of the seeded mistake and its hint, numbers as ``#``."""
    return SEEDED, BIASES_HINT


@pytest.fixture
def new_gradebooks():
    """:func:`new_gradebooks_fast`, nbgrader's session warnings silenced: a test that writes a
    gradebook of its own uses ``with new_gradebooks(): ...``."""
    @contextlib.contextmanager
    def context():
        with new_gradebooks_fast(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    return context
