"""Instant checks: salted hashes that are stable across types, hints, blanks, functions."""

import numpy as np
import pytest

from course_lib.checking.checks import (
    CORRECT,
    NOT_YET,
    check_answer,
    check_function,
    check_outputs,
    check_raises,
    say,
)
from course_lib.checking.hashing import answer_hash, output_hashes


def test_check_answer_right_wrong_hint_blank(capsys):
    right = answer_hash("n", 7850)
    hints = {answer_hash("n", 7840): "Did you forget the biases?"}
    assert check_answer("n", 7850.0, right, hints) is True
    assert capsys.readouterr().out.strip() == CORRECT
    assert check_answer("n", 7840, right, hints) is False
    assert "Did you forget the biases?" in capsys.readouterr().out
    assert check_answer("n", 1, right, hints) is False
    out = capsys.readouterr().out
    assert out.startswith(NOT_YET) and "7850" not in out
    assert check_answer("n", None, right) is False
    assert capsys.readouterr().out.startswith("Not answered yet")
    assert check_answer("n", object(), right) is False
    assert "cannot check" in capsys.readouterr().out


def _blank(*args):
    raise NotImplementedError()


def test_check_function_paths(capsys):
    ref = np.cumsum
    cases = [(np.arange(4.0),), (np.ones(3),)]
    assert check_function(np.cumsum, ref, cases) is True
    assert capsys.readouterr().out.strip() == CORRECT
    assert check_function(_blank, ref, cases) is False
    assert capsys.readouterr().out.startswith("Not answered yet")
    assert check_function(lambda x: 1 / 0, ref, cases) is False
    assert "Case 1 raised ZeroDivisionError" in capsys.readouterr().out
    assert check_function(lambda x: x[:-1], ref, cases) is False
    assert "shape (3,)" in capsys.readouterr().out
    hints = [(lambda args, got, want: np.allclose(got, args[0]), "You returned the input.")]
    assert check_function(lambda x: x, ref, cases, hints=hints) is False
    assert "Case 1: You returned the input." in capsys.readouterr().out
    assert check_function(lambda x: x, ref, cases) is False
    assert "values differ" in capsys.readouterr().out
    assert check_function(lambda x: np.array(["a"] * len(x)), ref, cases) is False
    assert "values differ" in capsys.readouterr().out


def test_check_outputs_paths(capsys):
    cases = [(np.array([[1, 2], [3, 4]]), np.array([1, 1]), np.array([2, -1]))]
    cases.append((np.eye(3, dtype=int), np.arange(3), np.array([2, 0, 1])))

    def layer(W, b, x):
        return W @ x + b

    right = output_hashes("layer", layer, cases)
    hints = dict.fromkeys(output_hashes("layer", lambda W, b, x: W @ x, cases), "The bias?")
    assert check_outputs("layer", lambda W, b, x: np.dot(W, x) + b * 1.0, cases, right) is True
    assert capsys.readouterr().out.strip() == CORRECT
    assert check_outputs("layer", lambda W, b, x: W @ x, cases, right, hints) is False
    assert "Case 1: The bias?" in capsys.readouterr().out
    assert check_outputs("layer", lambda W, b, x: W.T @ x + b, cases, right, hints) is False
    out = capsys.readouterr().out
    assert "values differ" in out and "shape (2,)" in out
    assert check_outputs("layer", _blank, cases, right) is False
    assert capsys.readouterr().out.startswith("Not answered yet")
    assert check_outputs("layer", lambda W, b, x: W @ np.append(x, 1), cases, right) is False
    assert "Case 1 raised ValueError" in capsys.readouterr().out
    assert check_outputs("layer", lambda W, b, x: object(), cases, right) is False
    assert "returned a object" in capsys.readouterr().out
    with pytest.raises(ValueError, match="^check_outputs: 2 cases but 1 expected"):
        check_outputs("layer", layer, cases, right[:1])


def test_check_outputs_hashes_do_not_depend_on_dtype():
    cases = [(np.array([1, 2]),)]
    assert output_hashes("d", lambda x: 2 * x, cases) == output_hashes(
        "d", lambda x: (2 * x).astype(np.float32), cases)


def test_check_raises_paths(capsys):
    def strict(x):
        if x < 0:
            raise ValueError(f"strict: x must be >= 0, got {x}.")
        return x

    assert check_raises(strict, (-1,), ValueError, contains="strict:") is True
    assert capsys.readouterr().out.strip() == CORRECT
    assert check_raises(strict, (-1,), ValueError, contains="layer_forward") is False
    assert "message should contain 'layer_forward'" in capsys.readouterr().out
    assert check_raises(strict, (1,), ValueError) is False
    assert "returned 1 instead of raising ValueError" in capsys.readouterr().out
    assert check_raises(lambda x: [0] * 100, (1,), ValueError) is False
    assert "..." in capsys.readouterr().out
    assert check_raises(lambda x: x + "a", (1,), ValueError) is False
    assert "raised TypeError" in capsys.readouterr().out
    assert check_raises(_blank, (1,), ValueError) is False
    assert capsys.readouterr().out.startswith("Not answered yet")


def test_say_is_the_one_format_of_every_verdict(capsys):
    assert say(True) is True and capsys.readouterr().out == CORRECT + "\n"
    assert say(False, "n", why="Case 2: wrong shape.", hint="biases?") is False
    assert capsys.readouterr().out == f"n: {NOT_YET} Case 2: wrong shape. Hint: biases?\n"
    assert say(False) is False
    assert capsys.readouterr().out == f"{NOT_YET} Check your working and try again.\n"
    assert say(True, blank=True) is False
    assert capsys.readouterr().out.startswith("Not answered yet")



def test_numpys_matrix_product_error_is_said_in_words(capsys):
    """A student's ``x @ W`` (the factors swapped) raised NumPy's "mismatch in its core
    dimension ... gufunc signature", which the check printed as it was."""
    def swapped(W, b, x):
        return x @ W + b

    W, b, x = np.ones((4, 3)), np.zeros(4), np.ones(3)
    assert not check_function(swapped, lambda W, b, x: W @ x + b, [(W, b, x)])
    out = capsys.readouterr().out
    assert "core dimension" in out and "A @ B needs A's last axis as long as B's first" in out
