"""The lab's harness: run_network probed in its three cases, loss plots described."""

import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.checking.lab import (
    RUN_CASES,
    InterruptedData,
    describe_figure,
    plot_losses_problems,
    probe_run_network,
    run_network_problems,
)
from course_lib.nn.history import History


@pytest.fixture
def data(rng):
    x = rng.random((60, 784)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 60)]
    return x[:40], x[40:], y[:40], y[40:]


def good(data, model, epochs=20, batch=256):
    history = None
    try:
        x_tr, x_te, y_tr, y_te = data
        history = model.fit(x_tr, y_tr, epochs=epochs, batch_size=batch, verbose=0,
                            validation_data=(x_te, y_te))
        model.evaluate(x_te, y_te)
    except KeyboardInterrupt:
        print(" KeyboardInterrupt")
    return model, history


def lecture(data, model, epochs=20, batch=256):
    try:
        start = time.time()  # noqa: F841 (as in the lecture)
        x_tr, x_te, y_tr, y_te = data
        history = model.fit(x_tr, y_tr, epochs=epochs, batch_size=batch, verbose=0,
                            validation_data=(x_te, y_te))
        model.evaluate(x_te, y_te)
        return model, history
    except KeyboardInterrupt:
        print(" KeyboardInterrupt")
        return model, history


def test_interrupted_data_raises_on_unpacking():
    with pytest.raises(KeyboardInterrupt):
        _a, _b = InterruptedData()


def test_a_robust_run_network_has_no_problems(data):
    reports = {case: probe_run_network(good, data, case) for case in RUN_CASES}
    assert reports["train"]["history"] == 2 and reports["train"]["batch_size"] == 100
    assert reports["before"]["history"] is None and reports["before"]["tuple"]
    assert "KeyboardInterrupt" in reports["evaluate"]["printed"]
    assert run_network_problems(reports) == []


def test_the_lecture_version_fails_before_history_exists(data):
    reports = {case: probe_run_network(lecture, data, case) for case in RUN_CASES}
    assert reports["before"]["error"] == "UnboundLocalError"
    problems = run_network_problems(reports)
    assert len(problems) == 1 and "UnboundLocalError" in problems[0]


def test_blank_and_unknown_cases(data):
    def blank(*_args):
        raise NotImplementedError

    assert probe_run_network(blank, data, "train")["error"] == "NotImplementedError"
    with pytest.raises(ValueError, match="case must be one of"):
        probe_run_network(good, data, "later")


HIST = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.8]}


def _plot(x_from=1, legend=True, xlabel="epoch"):
    fig, ax = plt.subplots()
    x = np.arange(x_from, x_from + 3)
    ax.plot(x, HIST["loss"], label="training")
    ax.plot(x, HIST["val_loss"], label="test")
    ax.set(xlabel=xlabel, ylabel="loss")
    if legend:
        ax.legend()
    return fig


@pytest.mark.parametrize("kwargs,hint", [
    ({}, None),
    ({"x_from": 0}, "epochs 1..3"),
    ({"legend": False}, "legend"),
    ({"xlabel": ""}, "x axis 'epoch'"),
])
def test_loss_plot_problems(kwargs, hint):
    fig = _plot(**kwargs)
    report = describe_figure(fig)
    plt.close(fig)
    problems = plot_losses_problems(report, HIST)
    assert problems == [] if hint is None else hint in " ".join(problems)


def test_a_plot_that_is_not_a_figure():
    fig = _plot()
    assert "Figure" in plot_losses_problems(describe_figure(fig.axes[0]), HIST)[0]
    plt.close(fig)


def test_a_made_up_history_is_not_a_trained_one(data):
    """A run_network that never trains and returns a History it built itself, with the right
    number of epochs and batch size, passed (3 points at grading); now it must come from fit."""
    def forged(data, model, epochs=20, batch=256):
        if isinstance(data, InterruptedData):
            print(" KeyboardInterrupt")
            return model, None
        fake = History()
        for _ in range(epochs):
            fake.append({"loss": 0.1, "accuracy": 0.99, "val_loss": 0.1, "val_accuracy": 0.99})
        fake.params = {"batch_size": batch, "epochs": epochs}
        print(" KeyboardInterrupt")
        return model, fake

    reports = {case: probe_run_network(forged, data, case) for case in RUN_CASES}
    assert reports["train"]["history"] == 2 and not reports["train"]["from_fit"]
    assert any("model.fit returned" in p for p in run_network_problems(reports))
    good_reports = {case: probe_run_network(good, data, case) for case in RUN_CASES}
    assert good_reports["train"]["from_fit"] and good_reports["evaluate"]["from_fit"]
