"""course_grader.review: what a person is asked to read, and what passes unflagged."""

import inspect
import re

import pytest

import course_lib.losses
from course_grader.review import review_reasons

TAUGHT = ["course_lib.losses.softmax"]
HONEST = "def softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n"


@pytest.mark.parametrize("answer, words", [
    ("from scipy.special import softmax as s\n", "imports scipy.special"),
    ("import torch\n", "imports torch"),
    ("import importlib\n", "imports importlib"),
    ("from course_lib.losses import softmax as s\n", "imports course_lib.losses"),
    ("y = eval('1 + 1')\n", "uses eval"),
    ("from numpy.lib.stride_tricks import sliding_window_view\n", "imports sliding_window_view"),
    ("w = np.lib.stride_tricks.sliding_window_view(x, 3)\n", "uses sliding_window_view"),
    ("f = getattr(np, 'ex' + 'p')\n", "getattr with a computed name"),
    ("n = V._exercises\n", "reaches into _exercises"),
    ("g = f.__globals__\n", "reaches into __globals__"),
    ("def f(z):\n    return softmax(z)\n", "uses softmax, which this notebook asks"),
    ("def f(z):\n    y = z * 2\n    y = y + 1\n    return softmax(y)\n",
     "uses softmax, which this notebook asks"),
])
def test_each_route_is_named(answer, words):
    reasons = review_reasons([answer], TAUGHT)
    assert any(words in r for r in reasons), reasons


def test_pasted_library_source_is_flagged_even_renamed():
    source = inspect.getsource(course_lib.losses.softmax)
    renamed = re.sub(r"\bz\b", "logits", source.replace("def softmax", "def mine"))
    for answer in (source, renamed):
        reasons = review_reasons([answer], TAUGHT)
        assert any("has the body of course_lib.losses.softmax" in r for r in reasons), reasons


@pytest.mark.parametrize("answer", [
    HONEST,
    "name = type(x).__name__\nmodel.compile(loss='mse')\n",
    "import numpy as np\nfrom math import exp\n",
    "def softmax(z):\n    return np.exp(z) / np.exp(z).sum()\nprobs = softmax(np.zeros(3))\n",
    "def broken(:\n",  # a syntax error fails to run anyway
])
def test_honest_answers_are_not_flagged(answer):
    assert review_reasons([answer], TAUGHT) == []


def test_a_name_defined_in_another_cell_is_the_students_own():
    assert review_reasons([HONEST, "probs = softmax(np.zeros(3))\n"], TAUGHT) == []


@pytest.mark.parametrize("answer, reason", [
    ("import numpy as np\nnp.allclose = lambda *a, **k: True\n", "changes np.allclose"),
    ("import json\njson.dumps = lambda *a, **k: '{}'\n", "changes json.dumps"),
    ("plt.Figure.savefig = None\n", "changes plt.Figure.savefig"),
    ("import builtins\nbuiltins.len = lambda x: 3\n", "imports builtins"),
])
def test_patching_what_the_harness_uses_is_flagged(answer, reason):
    assert any(reason in r for r in review_reasons([answer], TAUGHT)), review_reasons([answer])


def test_attributes_of_the_students_own_objects_are_not_flagged():
    answer = ("class Net:\n    def __init__(self):\n        self.w = 0\n\n\n"
              "net = Net()\nnet.w = 3\nnet.w += 1\n")
    assert review_reasons([answer], TAUGHT) == []
