"""Per-student variants (course_lib.checking.variants, course_grader.variants): ids, seeds,
checks, the CLI, and the grading consequences: the source notebook grades full marks for any
student id, a classmate's answers score 0 on the value exercises, and an answer that calls the
variants' answer functions scores 0 (one that reaches into their helpers is flagged)."""

import copy
import importlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_grader.cells import is_solution_cell
from course_grader.judge.notebook import judge_notebook
from course_grader.variants import answer_functions, expected
from course_lib.checking.variants import (
    EXERCISES,
    Variant,
    seed_of,
    student_id,
    variant,
)
from course_lib.checking.variants_dense import same_value

ROOT = Path(__file__).resolve().parents[2]
IDS = [f"s{n:04d}" for n in range(200)]
# which answer cell holds each variant exercise, and which grade cells grade it
CELLS = {("01_perceptron", "truth_table"): ("truth_table_h", ["truth_table_h_test",
                                                               "step_table_h_test"]),
         ("01_perceptron", "gate"): ("gate_weights", ["gate_weights_test"]),
         ("03_architectures_params", "networks"): ("params_given_networks",
                                                   ["params_given_networks_test"]),
         ("03_architectures_params", "design"): ("design_network", ["design_network_test"]),
         ("04_convolution", "sizes"): ("conv_sizes", ["conv_sizes_test"]),
         ("04_convolution", "params"): ("conv_params_counts", ["conv_params_counts_test"]),
         ("04_convolution", "by_hand"): ("conv_by_hand", ["conv_by_hand_test"]),
         ("05_pooling_fc", "fc"): ("fc_after_stack", ["fc_after_stack_test"]),
         ("05_pooling_fc", "pool"): ("pool_by_hand", ["pool_by_hand_test"]),
         ("06_cnn_architectures", "table"): ("layer_table", ["layer_table_test"]),
         ("06_cnn_architectures", "small_filters"): ("small_filters", ["small_filters_test"])}

def _source_nb(folder):
    return json.loads((ROOT / "notebooks" / folder / f"{folder}.ipynb").read_text())


def test_every_exercise_with_variants_is_graded_in_its_notebook():
    listed = {(a, e) for a, exercises in EXERCISES.items() for e in exercises}
    assert listed == set(CELLS)
    for (folder, _), (answer_id, grade_ids) in CELLS.items():
        ids = {c["metadata"].get("nbgrader", {}).get("grade_id")
               for c in _source_nb(folder)["cells"]}
        assert {answer_id, *grade_ids} <= ids, (folder, answer_id, grade_ids)


def test_student_id_order_and_default():
    assert student_id({"COURSE_STUDENT": "ada", "JUPYTERHUB_USER": "bob"}) == "ada"
    assert student_id({"COURSE_STUDENT": " ", "JUPYTERHUB_USER": "bob"}) == "bob"
    assert student_id({}) is None
    v = Variant("03_architectures_params", None)
    assert v.is_default and "Default variant" in v.text("networks")
    assert "student 'ada'" in Variant("03_architectures_params", "ada").text("networks")


def test_variant_reads_the_environment(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("COURSE_STUDENT", "ada")
    assert variant("04_convolution").numbers() == Variant("04_convolution", "ada").numbers()
    monkeypatch.delenv("COURSE_STUDENT")
    assert variant("04_convolution").is_default


def test_seed_depends_on_student_and_assignment():
    seeds = {seed_of(s, a) for s in IDS[:50] for a in EXERCISES}
    assert len(seeds) == 50 * len(EXERCISES)
    assert Variant("05_pooling_fc", "ada").numbers() == Variant("05_pooling_fc", "ada").numbers()


def test_unknown_assignment_and_exercise_say_what_exists():
    with pytest.raises(ValueError, match="known"):
        Variant("99_nothing", "ada")
    with pytest.raises(KeyError, match="networks"):
        Variant("03_architectures_params", "ada")["nope"]


def test_the_default_variant_is_the_lecture(capsys):
    """The default answers are the figures the notebooks printed before variants existed."""
    want = {"01_perceptron": {"truth_table": {"truth_table_h": [-1, -1, 1, 1],
                                              "step_table_h": [0, 0, 1, 1]},
                              "gate": {"gate_table": [1, 1, 1, 0]}},
            "03_architectures_params": {"networks": {"params_a": 109_386, "params_b": 508},
                                        "design": {"n_inputs": 3072, "n_outputs": 4,
                                                   "design_params": 307_704}},
            "04_convolution": {"sizes": {"size_a": 24, "size_b": 55, "size_c": 6},
                               "params": {"params_a": 1168, "params_b": 1792,
                                          "params_c": 34_944},
                               "by_hand": {"by_hand": [[3, 2], [6, 2]]}},
            "05_pooling_fc": {"fc": {"flat_size": 1024, "fc_params": 65_600},
                              "pool": {"pooled": [[9, 6], [9, 9]]}},
            "06_cnn_architectures": {"table": {"params": [760, 0, 1820, 0, 0, 9810]},
                                     "small_filters": {"params_two_3x3": 73_856,
                                                       "params_one_5x5": 102_464}}}
    for assignment, exercises in want.items():
        v = Variant(assignment, None)
        for exercise, answers in exercises.items():
            got = expected(v, exercise)
            for name, value in answers.items():
                assert got[name] == value, (assignment, exercise, name)


@pytest.mark.parametrize("student", ["ada", "bob", None])
def test_mistakes_are_wrong_answers(student):
    """Every hint's wrong answer differs from the right one (a mistake that gives the right
    answer for these numbers, like a padding of 0 forgotten, is dropped)."""
    for folder in EXERCISES:
        v = Variant(folder, student)
        for exercise in v.numbers():
            right = expected(v, exercise)
            for name, hints in v.mistakes(exercise).items():
                assert name in right
                for wrong, hint in hints:
                    assert not same_value(name, wrong, right[name]), (exercise, name, hint)
                    assert hint.endswith((".", "?")), hint


def test_check_says_right_not_yet_hint_and_blank(capsys):
    v = Variant("03_architectures_params", "ada")
    right = expected(v, "networks")
    assert v.check("networks", params_a=right["params_a"], params_b=right["params_b"])
    no_bias = sum(a * b for a, b in zip(v["networks"].a[:-1], v["networks"].a[1:], strict=True))
    assert not v.check("networks", params_a=no_bias, params_b=None)
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["params_a: \u2714 Correct.", "params_b: \u2714 Correct."]
    assert out[2] == ("params_a: \u2718 Not yet. Hint: Did you forget the biases? Every unit "
                      "has one.")
    assert out[3].startswith("params_b: Not answered yet")


def test_classmates_numbers_differ():
    """Two students' numbers differ on at least 90% of the value exercises (mean over 199
    pairs), and no pair shares more than two of the eleven."""
    keys = [(a, e) for a, exercises in EXERCISES.items() for e in exercises]
    shares = []
    for s, t in zip(IDS[:-1], IDS[1:], strict=True):
        differ = [Variant(a, s).numbers()[e] != Variant(a, t).numbers()[e] for a, e in keys]
        assert sum(differ) >= len(keys) - 2, (s, t, differ)
        shares.append(np.mean(differ))
    assert np.mean(shares) >= 0.9, np.mean(shares)


def test_cli_shows_a_students_numbers_and_answers():
    proc = subprocess.run([sys.executable, "-m", "course_grader", "variant", "ada",
                           "03_architectures_params"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    v = Variant("03_architectures_params", "ada")
    assert "student 'ada'" in proc.stdout
    for exercise in ("networks", "design"):
        for name, value in expected(v, exercise).items():
            assert f"{name} = {value!r}" in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "course_grader", "variant", "ada"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "usage" in bad.stdout


def test_answer_functions_are_the_exercises_answers():
    answers = answer_functions()
    assert len(answers) == len(CELLS)
    assert all(d.rpartition(".")[2].startswith("answers_") for d in answers), answers
    for dotted in answers:
        module, _, name = dotted.rpartition(".")
        assert module.startswith("course_lib.checking.variants")
        assert callable(getattr(importlib.import_module(module), name)), dotted


# --- grading ------------------------------------------------------------------------------


def _literal_answers(folder, exercise, student, gate_weights):
    """The answer cell a student writes with numbers only: the expected answers of ``student``."""
    v = Variant(folder, student)
    if exercise == "gate":
        return f"gate_weights = {gate_weights(expected(v, 'gate')['gate_table'])!r}\n"
    return "".join(f"{name} = {value!r}\n" for name, value in expected(v, exercise).items())


def _submission(folder, student, gate_weights):
    """The source notebook with every variant exercise answered in numbers, for ``student``."""
    nb = copy.deepcopy(_source_nb(folder))
    by_id = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]}
    for (f, exercise), (answer_id, _) in CELLS.items():
        if f == folder:
            assert is_solution_cell(by_id[answer_id])
            by_id[answer_id]["source"] = _literal_answers(folder, exercise, student,
                                                         gate_weights)
    return nb


def _verdicts(monkeypatch, folder, submission, student, flagged=False):
    monkeypatch.delenv("COURSE_STUDENT", raising=False)  # the id reaches the judge explicitly
    verdicts, problems = judge_notebook(_source_nb(folder), submission, student_id=student,
                                        timeout=120)
    assert bool(problems) == flagged, problems
    return (verdicts, problems) if flagged else verdicts


FOLDERS = sorted({f for f, _ in CELLS})


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_classmates_answers_score_zero_on_the_value_exercises(monkeypatch, gate_weights,
                                                                folder):
    mine, theirs = "ada", "bob"
    graded = [g for (f, _), (_, gids) in CELLS.items() if f == folder for g in gids]
    own = _verdicts(monkeypatch, folder, _submission(folder, mine, gate_weights), mine)
    assert all(own[g].passed for g in graded), {g: own[g].message for g in graded}
    copied = _verdicts(monkeypatch, folder, _submission(folder, theirs, gate_weights), mine)
    for (f, exercise), (_, gids) in CELLS.items():
        if f != folder:
            continue
        same = expected(Variant(f, mine), exercise) == expected(Variant(f, theirs), exercise)
        for g in gids:
            if same:  # a truth table may coincide; the numbers still differ
                continue
            assert not copied[g].passed, f"{g}: bob's answers pass for ada"
            assert "student 'ada'" in copied[g].message, copied[g].message
    lost = [g for g in graded if not copied[g].passed]
    assert len(lost) >= len(graded) - 1, lost


@pytest.mark.parametrize("student", ["ada", "s0199", "Zoë O'Neil"])
@pytest.mark.parametrize("folder", FOLDERS)
def test_the_solution_gets_full_marks_for_any_student(monkeypatch, folder, student):
    source = _source_nb(folder)
    verdicts = _verdicts(monkeypatch, folder, source, student)
    failed = {g: v.message for g, v in verdicts.items() if not v.passed}
    assert not failed, f"{folder} as {student!r}: {failed}"


def test_an_answer_that_calls_the_answer_functions_scores_zero_and_is_flagged(monkeypatch):
    folder = "03_architectures_params"
    nb = copy.deepcopy(_source_nb(folder))
    cheat = ('from course_lib.checking.variants_dense import answers_networks\n'
             'params_a, params_b = answers_networks({"a": net_a, "b": net_b}).values()\n')
    helper = ('from course_lib.checking import variants_dense\n'
              'params_a, params_b = variants_dense._count(net_a), variants_dense._count(net_b)\n')
    v = Variant(folder, "ada")   # outside the grader both cheats give the right answer
    for source in (cheat, helper):
        ns = {"V": v, "net_a": v["networks"].a, "net_b": v["networks"].b}
        exec(source, ns)  # noqa: S102
        assert (ns["params_a"], ns["params_b"]) == tuple(expected(v, "networks").values())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "params_given_networks":
            cell["source"] = cheat
    verdicts, problems = _verdicts(monkeypatch, folder, nb, "ada", flagged=True)
    verdict = verdicts["params_given_networks_test"]
    assert not verdict.passed and "switched off" in verdict.message, verdict.message
    assert any("imports course_lib.checking.variants_dense" in p for p in problems), problems
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "params_given_networks":
            cell["source"] = helper
    # a helper is not switched off (the variants draw with it): a person reads this one
    verdicts, problems = _verdicts(monkeypatch, folder, nb, "ada", flagged=True)
    assert any("reaches into _count" in p for p in problems), problems
