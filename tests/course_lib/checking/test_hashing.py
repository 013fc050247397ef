"""Salted hashes: stable across types, salted by the exercise, rounded, and the authors' CLI."""

import subprocess
import sys

import numpy as np
import pytest

from course_lib.checking.checks import check_answer
from course_lib.checking.hashing import (
    _canonical,
    answer_hash,
    main,
    open_hint,
    output_hashes,
    seal_hint,
)


@pytest.mark.parametrize("a, b", [
    (7850, 7850.0), (7850, np.int64(7850)), (7850, np.float32(7850)), (0.1 + 0.2, 0.3),
    (-0.0, 0.0), ([0, 1, 1], (0.0, 1.0, 1.0)), ([0, 1], np.array([0, 1])),
    (" Softmax ", "softmax"), ("ReLU  units", "relu units"), (True, np.bool_(True)),
])
def test_equal_answers_hash_alike(a, b):
    assert answer_hash("ex", a) == answer_hash("ex", b)


@pytest.mark.parametrize("a, b", [
    (7850, 7840), (0.5, 0.50001), ([0, 1, 1], [0, 1]), (np.zeros((2, 3)), np.zeros((3, 2))),
    ([1, 0], [0, 1]), (1, True), (1, "1"),
])
def test_different_answers_hash_differently(a, b):
    assert answer_hash("ex", a) != answer_hash("ex", b)


def test_hash_is_salted_by_exercise_name_and_stable():
    assert answer_hash("a", 7) != answer_hash("b", 7)
    # a fixed value: a change of salt or canonical form would break every committed notebook
    assert answer_hash("params_784_10", 7850) == answer_hash("params_784_10", 7850.0)
    assert len(answer_hash("x", 1)) == 16
    assert answer_hash("x", 1) == answer_hash("x", 1)


def test_decimals_round_before_hashing():
    assert answer_hash("loss", 0.123456, decimals=3) == answer_hash("loss", 0.1234, decimals=3)
    assert answer_hash("loss", 0.123456, decimals=5) != answer_hash("loss", 0.1234, decimals=5)


def test_hash_does_not_contain_the_answer():
    h = answer_hash("params_784_10", 7850)
    assert "7850" not in h and all(c in "0123456789abcdef" for c in h)


def test_unhashable_type_is_reported():
    with pytest.raises(TypeError, match="^check_answer: cannot check an answer of type object"):
        answer_hash("x", object())


def test_a_known_hash_never_changes():
    # the committed notebooks hold this value: a change of salt or canonical form breaks them
    assert answer_hash("params_784_10", 7850) == "4fae9d93f5bc971b"


@pytest.mark.parametrize("value, text", [
    (7, "n:7"), (7.0, "n:7"), (np.int64(7), "n:7"), (True, "b:True"), (" Soft  Max ", "s:soft max"),
    (float("inf"), "f:inf"), (0.25, "f:0.25"), ([1, 2], "a[2]:n:1,n:2"),
    ({"b": 1, "a": 2.0}, "d:{a=n:2,b=n:1}"),
])
def test_canonical_forms(value, text):
    assert _canonical(value, None) == text


def test_output_hashes_hash_each_case_under_its_number():
    hashes = output_hashes("double", lambda x: 2 * x, [(1,), (2.5,)])
    assert hashes == [answer_hash("double#1", 2), answer_hash("double#2", 5.0, decimals=6)]


def test_command_line_prints_the_hash(capsys):
    main(["params_784_10", "7850"])
    assert capsys.readouterr().out.strip() == answer_hash("params_784_10", 7850)
    main(["table", "0", "0", "1", "1"])
    assert capsys.readouterr().out.strip() == answer_hash("table", [0, 0, 1, 1])
    main(["loss", "0.12345", "--decimals", "2"])
    assert capsys.readouterr().out.strip() == answer_hash("loss", 0.12, decimals=2)
    main(["word", "ReLU"])
    assert capsys.readouterr().out.strip() == answer_hash("word", "relu")


def test_python_m_hashing_prints_the_hash():
    out = subprocess.run([sys.executable, "-m", "course_lib.checking.hashing", "n", "7850"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == answer_hash("n", 7850)


def test_a_sealed_hint_opens_only_with_its_wrong_answer(capsys):
    sealed = seal_hint("params_784_10", 7840, "784 x 10 weights... and the biases?")
    assert "biases" not in sealed and sealed.startswith("sealed:")
    assert open_hint("params_784_10", 7840.0, sealed) == "784 x 10 weights... and the biases?"
    assert "biases" not in open_hint("params_784_10", 7841, sealed)
    assert "biases" not in open_hint("other_exercise", 7840, sealed)
    wrong = answer_hash("params_784_10", 7840)
    check_answer("params_784_10", 7840, answer_hash("params_784_10", 7850), {wrong: sealed})
    assert "Hint: 784 x 10 weights... and the biases?" in capsys.readouterr().out


def test_the_command_line_prints_a_sealed_hint(capsys):
    main(["demo", "7840", "--hint", "forgot the biases?"])
    key, sealed = capsys.readouterr().out.strip().rstrip(",").split(": ")
    assert key.strip('"') == answer_hash("demo", 7840)
    assert open_hint("demo", 7840, sealed.strip('"')) == "forgot the biases?"
