"""The judge specifications of every source notebook, run as the grader runs them.

For each notebook, :func:`course_grader.judge.notebook.judge_notebook` runs every hidden region (a
judge spec) in this process against plain data from a fresh sandboxed probe of a submission's
answer cells:

- the solution (the source notebook itself) passes every autograded cell;
- the blank release (``nbgrader generate_assignment``, one per session) fails every one, each
  as "Not answered yet";
- the ``# WRONG: <line>`` answers fail every one;
- an answer that imports the function it should write from course_lib (the notebook's
  ``metadata.course.taught``) fails that exercise ("switched off"), although it passes with
  nothing switched off.
- answers that do nothing but rebind notebook 07's harness helpers (``probe_run_network``,
  ``describe_figure``, imported by its setup cell) score nothing.

COURSE_QUICK=1, so the lab trains on its small subset.
"""

import contextlib
import copy
import io
import json
from pathlib import Path

import pytest

from course_grader.cells import is_grade_cell, is_solution_cell, wrong_answer_source
from course_grader.judge.api import LocalStudent
from course_grader.judge.notebook import (
    answer_cells,
    hidden_specs,
    judge_notebook,
    run_spec,
    setup_cells,
)

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = sorted(p.name for p in (ROOT / "notebooks").glob("*/") if any(p.glob("*.ipynb")))
TIMEOUT = 180  # seconds per answer cell and per request (QUICK answers take < 30 s)

# Answers that call the taught function instead of writing it: (folder, solution grade_id,
# the whole answer cell). Each one is a correct answer while nothing is switched off.
CHEATS = [
    ("01_perceptron", "truth_table_h",
     "step_table_h = [int(v) for v in truth_table(mine.b, mine.w1, mine.w2)]\n"
     "truth_table_h = [2 * v - 1 for v in step_table_h]\n"),
    ("03_architectures_params", "params_given_networks",
     "params_a, params_b = (Sequential([Dense(w[1], input_dim=w[0])] + [Dense(n) for n in w[2:]])"
     "\n                      .count_params() for w in (net_a, net_b))\n"),
    ("04_convolution", "conv_params_counts",
     "params_a, params_b, params_c = (conv_params(v['f'], v['d'], v['k'])\n"
     "                                for v in (banks.a, banks.b, banks.c))\n"),
    ("05_pooling_fc", "fc_after_stack",
     "model = Sequential([Conv2D(net.k1, 3, pad=1, input_shape=(net.side, net.side, net.depth)),\n"
     "                    MaxPooling2D(2, stride=2), Conv2D(net.k2, 3, pad=1),\n"
     "                    MaxPooling2D(2, stride=2), Flatten(), Dense(net.fc)])\n"
     "flat_size = model.layers[4].output_shape[0]\n"
     "fc_params = model.layers[5].count_params()\n"),
    ("01_perceptron", "layer_forward",
     "def layer_forward(W, b, x):\n"
     "    from course_lib.dense import dense_forward\n"
     "    if np.shape(W) != (len(b), len(x)) or np.ndim(x) != 1:\n"
     "        raise ValueError(f'layer_forward: shapes {np.shape(W)}, {np.shape(b)}, '\n"
     "                         f'{np.shape(x)} do not fit')\n"
     "    return dense_forward(np.asarray(x)[None], W, b)[0][0]\n"),
    ("02_activations_softmax", "softmax_stable",
     "def softmax(z):\n"
     "    from course_lib.losses import softmax as s\n"
     "    return s(z)\n"),
    ("02_activations_softmax", "softmax_stable", "from course_lib import softmax\n"),
    ("02_activations_softmax", "cross_entropy_mean", "from course_lib import cross_entropy\n"),
    ("02_activations_softmax", "one_hot_encode", "from course_lib import one_hot\n"),
    ("03_architectures_params", "count_mlp_params",
     "from course_lib import dense_params\n\n\n"
     "def count_mlp_params(widths):\n"
     "    if len(widths) < 2 or min(widths) < 1:\n"
     "        raise ValueError(f'count_mlp_params: bad widths {widths}')\n"
     "    return sum(dense_params(a, b) for a, b in zip(widths[:-1], widths[1:]))\n"),
    ("03_architectures_params", "count_mlp_params",
     "from course_lib.views.network import mlp_layer_params\n\n\n"
     "def count_mlp_params(widths):\n"
     "    return sum(mlp_layer_params(widths))\n"),
    ("04_convolution", "output_size",
     "from course_lib import conv_output_size\n\n\n"
     "def output_size(n, f, stride=1, pad=0):\n"
     "    try:\n"
     "        return conv_output_size(n, f, stride, pad)\n"
     "    except ValueError as err:\n"
     "        raise ValueError(f'output_size: {err}') from None\n"),
    ("04_convolution", "conv2d_slice",
     "def conv2d_slice(x, w, stride=1, pad=0):\n"
     "    from course_lib import conv2d\n"
     "    return conv2d(x, w, stride=stride, pad=pad)\n"),
    ("04_convolution", "conv2d_slice",
     "from course_lib import conv2d_loops\n\n\n"
     "def conv2d_slice(x, w, stride=1, pad=0):\n"
     "    return conv2d_loops(x, w, stride=stride, pad=pad)\n"),
    ("05_pooling_fc", "max_pool_slice",
     "from course_lib import max_pool2d\n\n\n"
     "def max_pool_slice(x, f=2, stride=2):\n"
     "    return max_pool2d(x, f=f, stride=stride)\n"),
    ("05_pooling_fc", "pooled_shape",
     "def pooled_shape(shape, f, stride):\n"
     "    from course_lib import pool_output_size\n"
     "    return (pool_output_size(shape[0], f, stride), pool_output_size(shape[1], f, stride),\n"
     "            shape[2])\n"),
    # the same answers through the library's other routes: a helper of the taught function,
    # or other public code that computes it (flagged for a person: see course_grader.review)
    ("02_activations_softmax", "softmax_stable",
     "def softmax(z):\n"
     "    from course_lib.activations import activation_forward\n"
     "    return activation_forward(np.asarray(z, dtype=float), 'softmax')[0]\n"),
    ("02_activations_softmax", "cross_entropy_mean",
     "def cross_entropy(probs, y):\n"
     "    from course_lib.nn.batch_losses import loss_sum\n"
     "    p, y = np.asarray(probs), np.asarray(y)\n"
     "    return loss_sum('categorical_crossentropy', p, y) / len(y)\n"),
    # ... or through other parts of the library that give the same numbers: a notebook's
    # answers may use only what its setup cell imports (metadata.course.only_setup_library)
    ("01_perceptron", "layer_forward",
     "def layer_forward(W, b, x):\n"
     "    from course_lib import conv2d  # a 1x1 convolution is a dense layer\n"
     "    if np.shape(W) != (len(b), len(x)) or np.ndim(x) != 1:\n"
     "        raise ValueError(f'layer_forward: shapes {np.shape(W)}, {np.shape(b)}, '\n"
     "                         f'{np.shape(x)} do not fit')\n"
     "    W, b, x = (np.asarray(a, dtype=float) for a in (W, b, x))\n"
     "    return conv2d(x[None, None, None, :], W[:, None, None, :], b)[0, 0, 0]\n"),
    ("03_architectures_params", "count_mlp_params",
     "from course_lib.shapes import conv_params\n\n\n"
     "def count_mlp_params(widths):\n"
     "    if len(widths) < 2 or min(widths) < 1:\n"
     "        raise ValueError(f'count_mlp_params: bad widths {widths}')\n"
     "    return sum(conv_params(1, a, b) for a, b in zip(widths[:-1], widths[1:]))\n"),
    ("03_architectures_params", "count_mlp_params",
     "def count_mlp_params(widths):\n"
     "    from course_lib.nn import Conv2D\n"
     "    if len(widths) < 2 or min(widths) < 1:\n"
     "        raise ValueError(f'count_mlp_params: bad widths {widths}')\n"
     "    return sum(Conv2D(b, 1, input_shape=(1, 1, a)).count_params()\n"
     "               for a, b in zip(widths[:-1], widths[1:]))\n"),
    ("04_convolution", "output_size",
     "from course_lib.shapes import _output_size\n\n\n"
     "def output_size(n, f, stride=1, pad=0):\n"
     "    return _output_size('output_size', n, f, stride, pad)\n"),
    ("04_convolution", "conv2d_slice",
     "def conv2d_slice(x, w, stride=1, pad=0):\n"
     "    from course_lib.speed.im2col import conv_forward_chunks\n"
     "    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)\n"
     "    ho = (x.shape[0] - w.shape[0] + 2 * pad) // stride + 1\n"
     "    wo = (x.shape[1] - w.shape[0] + 2 * pad) // stride + 1\n"
     "    return conv_forward_chunks(x[None, :, :, None], w[None, :, :, None], None, stride,\n"
     "                               pad, ho, wo)[0, :, :, 0]\n"),
    ("04_convolution", "conv2d_slice",  # dw of the backward pass is a correlation too
     "def conv2d_slice(x, w, stride=1, pad=0):\n"
     "    from course_lib.convolution import conv2d_backward\n"
     "    xp = np.pad(np.asarray(x, dtype=float), pad)\n"
     "    f, (h, wd) = len(w), xp.shape\n"
     "    side = max(h, wd)\n"
     "    xs = np.pad(xp, ((0, side - h), (0, side - wd)))[None, :, :, None]\n"
     "    g = np.zeros((1, side - f + 1, side - f + 1, 1))\n"
     "    dw = conv2d_backward(np.asarray(w, dtype=float)[None, :, :, None],\n"
     "                         (xs, g, 1, 0, None), need_dx=False)[1][0, :, :, 0]\n"
     "    return dw[:h - f + 1:stride, :wd - f + 1:stride]\n"),
    ("05_pooling_fc", "max_pool_slice",
     "def max_pool_slice(x, f=2, stride=2):\n"
     "    from course_lib.pooling import _max_taps\n"
     "    x = np.asarray(x)\n"
     "    h, w = x.shape\n"
     "    if f > h or f > w or (h - f) % stride or (w - f) % stride:\n"
     "        raise ValueError(f'max_pool_slice: {f}x{f}, stride {stride} do not fit {h}x{w}')\n"
     "    ho, wo = (h - f) // stride + 1, (w - f) // stride + 1\n"
     "    return _max_taps(x[None, :, :, None], f, stride, ho, wo)[0, :, :, 0]\n"),
    ("07_mnist_lab", "model_4",
     "from course_lib.nn.lecture_curves import build\n"
     "model_4 = build('model 4')\n"
     "history_4 = model_4.fit(X_train, Y_train, batch_size=batch_size, epochs=nb_epoch,\n"
     "                        verbose=0, validation_data=(X_test, Y_test))\n"),
]


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    monkeypatch.setenv("COURSE_QUICK", "1")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _source_nb(folder):
    return _load(ROOT / "notebooks" / folder / f"{folder}.ipynb")


def _autograded(nb):
    return [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
            if c["cell_type"] == "code" and is_grade_cell(c)
            and not c["metadata"]["nbgrader"].get("solution")]


def _judge_in_process(source_nb, submission_nb):
    """The verdicts with nothing switched off: setup and answers run in this process, and the
    specs ask a LocalStudent of their names (what the notebook's own kernel does)."""
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for source in setup_cells(source_nb) + answer_cells(submission_nb):
            exec(compile(source, "<cell>", "exec"), namespace)  # noqa: S102 (the course's)
    student = LocalStudent(namespace)
    return {gid: run_spec(spec, namespace, student)
            for gid, spec in hidden_specs(source_nb).items()}


def _judge(source_nb, submission_nb, flags=None):
    """The verdicts; the review's flags go into ``flags`` (a list), or must be none."""
    verdicts, problems = judge_notebook(source_nb, submission_nb, timeout=TIMEOUT)
    assert set(verdicts) == set(_autograded(source_nb)), "a grade cell was not judged"
    if flags is None:
        assert not problems, problems
    else:
        flags += problems
    return verdicts


@pytest.fixture(scope="session")
def release(released_course):
    """The folder ``release/`` of the session's released course (every assignment)."""
    return released_course / "release"


@pytest.mark.parametrize("folder", FOLDERS)
def test_solution_passes_every_autograded_cell(folder):
    source = _source_nb(folder)
    verdicts = _judge(source, source)
    failed = {gid: v.message for gid, v in verdicts.items() if not v.passed}
    assert not failed, f"{folder}: the solution fails {failed}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_blank_release_fails_every_autograded_cell(folder, release):
    blank = _load(release / folder / f"{folder}.ipynb")
    assert "BEGIN SOLUTION" not in json.dumps(blank), "the release still holds solutions"
    verdicts = _judge(_source_nb(folder), blank)
    wrong = {gid: v.message for gid, v in verdicts.items()
             if v.passed or not v.message.startswith("Not answered yet")}
    assert not wrong, f"{folder}: blank exercises that are not 'Not answered yet': {wrong}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_wrong_answers_fail_every_autograded_cell(folder):
    source = _source_nb(folder)
    wrong = copy.deepcopy(source)
    for cell in wrong["cells"]:
        if cell["cell_type"] == "code" and is_solution_cell(cell):
            cell["source"] = wrong_answer_source(_source(cell))
    verdicts = _judge(source, wrong)
    passed = sorted(gid for gid, v in verdicts.items() if v.passed)
    assert not passed, f"{folder}: the '# WRONG:' answers pass {passed}"


def _graded_by(nb, solution_id):
    """The grade ids of the autograded cells after the solution cell, up to the next one."""
    ids, inside = [], False
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            inside = meta.get("grade_id") == solution_id
        elif inside and meta.get("grade"):
            ids.append(meta["grade_id"])
    return ids


def test_every_taught_notebook_has_a_cheat():
    taught = {f for f in FOLDERS if _source_nb(f)["metadata"].get("course", {}).get("taught")}
    assert taught == {folder for folder, _, _ in CHEATS}


@pytest.mark.parametrize("folder, solution_id, answer", CHEATS,
                         ids=[f"{f}-{s}-{i}" for i, (f, s, _) in enumerate(CHEATS)])
def test_calling_the_taught_function_fails_the_exercise(folder, solution_id, answer):
    source = _source_nb(folder)
    cheat = copy.deepcopy(source)
    cell = next(c for c in cheat["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == solution_id)
    cell["source"] = answer
    graded = _graded_by(source, solution_id)
    assert graded, f"no grade cell after {solution_id}"

    verdicts = _judge_in_process(source, cheat)  # nothing switched off: a right answer
    assert all(v.passed for v in verdicts.values()), (
        f"the cheat should pass with nothing switched off: {verdicts}")

    flags = []
    verdicts = _judge(source, cheat, flags)
    failed = {gid: v.message for gid, v in verdicts.items() if not v.passed}
    # a taught function called by name scores 0; any other route to course_lib's answer (a 1x1
    # conv2d for a dense layer, a helper of the taught function) is flagged for a person
    assert failed or flags, f"{solution_id}: an answer that calls course_lib passes unflagged"
    assert set(failed) <= set(graded), f"other exercises fail too: {failed}"
    # a part that never needs the taught function (layer_forward's own ValueError) may pass
    assert all("switched off" in message for message in failed.values()), failed


# notebook 07: answers that do nothing and rebind the harness helpers that the setup cell
# imported (the judges evaluate "probe_run_network(run_network, RUN_DATA, case)" and
# "describe_figure(plot_losses(hist))" in the student's process) to say what the judge wants
HARNESS_FORGERY = {
    "run_network":
        "def run_network(data, model, epochs=20, batch=256):\n"
        "    return None\n\n\n"
        "def probe_run_network(run_network, data, case, epochs=2, batch=100, seed=1):\n"
        "    return {'error': None, 'tuple': True, 'same_model': True,\n"
        "            'history': None if case == 'before' else epochs, 'batch_size': batch,\n"
        "            'printed': ' KeyboardInterrupt'}\n",
    "plot_losses":
        "def plot_losses(hist):\n"
        "    return hist\n\n\n"
        "def describe_figure(hist):\n"
        "    epochs = list(range(1, len(hist['loss']) + 1))\n"
        "    return {'kind': 'Figure', 'lines': [['training', epochs, hist['loss']],\n"
        "                                        ['test', epochs, hist['val_loss']]],\n"
        "            'xlabel': 'epoch', 'ylabel': 'loss', 'title': '', 'legend': True}\n",
}


def test_rebinding_the_labs_harness_scores_nothing():
    source = _source_nb("07_mnist_lab")
    forged = copy.deepcopy(source)
    for cell in forged["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if cell["cell_type"] == "code" and is_solution_cell(cell):
            cell["source"] = HARNESS_FORGERY.get(grade_id, "")
    verdicts = _judge(source, forged)
    passed = sorted(gid for gid, v in verdicts.items() if v.passed)
    assert not passed, f"answers that only rebind the harness pass {passed}"
    assert "Return the pair (model, history)" in verdicts["run_network_test"].message
    assert "got a History" in verdicts["plot_losses_test"].message


def test_a_layer_forward_that_only_raises_earns_no_errors_point():
    source = _source_nb("01_perceptron")
    raiser = copy.deepcopy(source)
    cell = next(c for c in raiser["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "layer_forward")
    cell["source"] = ("def layer_forward(W, b, x):\n"
                      "    raise ValueError('layer_forward: I never compute anything')\n")
    verdicts = _judge(source, raiser)
    assert not verdicts["layer_forward_errors_test"].passed
    assert "fit, and layer_forward raised" in verdicts["layer_forward_errors_test"].message


def test_the_lectures_plot_losses_passes_the_check_and_the_judge_alike():
    """The lecture reads hist.history["loss"]: the instant check hands it a History, so must
    the judge (issue 27: it handed a dict, and the lecture's version scored 0)."""
    source = _source_nb("07_mnist_lab")
    lecture = copy.deepcopy(source)
    cell = next(c for c in lecture["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "plot_losses")
    cell["source"] = (
        "def plot_losses(hist):\n"
        "    epochs = range(1, len(hist.history['loss']) + 1)\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.plot(epochs, hist.history['loss'], label='training loss')\n"
        "    ax.plot(epochs, hist.history['val_loss'], label='test loss')\n"
        "    ax.set(xlabel='epoch', ylabel='loss')\n"
        "    ax.legend()\n"
        "    return fig\n")
    verdicts = _judge(source, lecture)
    assert verdicts["plot_losses_test"].passed, verdicts["plot_losses_test"].message


def test_past_the_budget_the_judge_stops_and_says_so():
    """The budget the execution started covers the judge too: with it spent, no spec runs,
    every test says Stopped, and a person is told (issue 26: a probe that slept just under
    every timeout scored full marks in 20 times the time)."""
    import time

    from course_grader.judge.notebook import BUDGET_SPENT

    source = _source_nb("01_perceptron")
    start = time.monotonic()
    verdicts, problems = judge_notebook(source, source, timeout=TIMEOUT,
                                        deadline=time.monotonic() - 1)
    assert time.monotonic() - start < 20
    assert verdicts and all(v.message == BUDGET_SPENT and not v.passed
                            for v in verdicts.values())
    assert "the judge stopped: the submission used its time budget" in problems


def test_the_grader_says_numpys_matrix_product_error_in_words():
    """The same words as the instant check (course_lib.checking.errors) in the feedback."""
    source = _source_nb("01_perceptron")
    swapped = copy.deepcopy(source)
    cell = next(c for c in swapped["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "layer_forward")
    cell["source"] = "def layer_forward(W, b, x):\n    return x @ W + b\n"
    message = _judge(source, swapped)["layer_forward_values_test"].message
    assert "A @ B needs A's last axis as long as B's first" in message, message


FORGED_RUN_NETWORK = '''def run_network(data, model, epochs=20, batch=256):
    print(" KeyboardInterrupt")
    if isinstance(data, InterruptedData):
        return model, None
    fake = History()
    for _ in range(epochs):
        fake.append({"loss": 0.1, "accuracy": 0.99, "val_loss": 0.1, "val_accuracy": 0.99})
    fake.params = {"batch_size": batch, "epochs": epochs}
    return model, fake
'''


def test_a_run_network_that_never_trains_scores_nothing():
    """A hostile run_network that returns a History it built itself (right epochs, right
    batch size, never calls fit) earned Exercise 3's 3 points; the judge now asks for the
    history that model.fit returned. (It imports History, which the review flags.)"""
    source = _source_nb("07_mnist_lab")
    forged = copy.deepcopy(source)
    cell = next(c for c in forged["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "run_network")
    cell["source"] = "from course_lib.nn.history import History\n\n" + FORGED_RUN_NETWORK
    flags = []
    verdict = _judge(source, forged, flags)["run_network_test"]
    assert not verdict.passed and "model.fit returned" in verdict.message, verdict
    assert flags, "importing course_lib internals is listed for a person"
