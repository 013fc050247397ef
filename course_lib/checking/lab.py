"""The lab's harness: what a student's ``run_network`` and ``plot_losses`` do, as plain data.

Notebook 07's check cells and its judge specifications ask the same questions: the check
prints them for the student, the grader asks them in the student's sandboxed process and
decides from the plain data that comes back.
"""

import contextlib
import io

import numpy as np

from ..nn import Activation, Dense, Sequential
from ..nn.history import History

__all__ = ["InterruptedData", "as_history", "probe_run_network", "run_network_problems",
           "describe_figure", "plot_losses_problems", "RUN_CASES"]

RUN_CASES = ("train", "before", "evaluate")


class InterruptedData:
    """Data whose unpacking is interrupted: Ctrl-C before training has started."""

    def __iter__(self):
        raise KeyboardInterrupt


def _tiny_model(seed):
    model = Sequential([Dense(10, input_dim=784), Activation("softmax")], seed=seed)
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    return model


def _interrupt(*_args, **_kwargs):
    raise KeyboardInterrupt


def probe_run_network(run_network, data, case, epochs=2, batch=100, seed=1):
    """Call ``run_network`` on a small model in one of :data:`RUN_CASES`; describe the result.

    Parameters
    ----------
    run_network : callable
        ``run_network(data, model, epochs, batch)``.
    data : tuple
        ``(X_train, X_test, Y_train, Y_test)``, a few hundred images are enough.
    case : {"train", "before", "evaluate"}
        A normal run; Ctrl-C while unpacking the data (before any history exists); Ctrl-C
        during the evaluation after training.

    Returns
    -------
    dict
        ``error`` (the exception's type name, or None), ``tuple`` (a pair came back),
        ``same_model``, ``history`` (None, or the number of finished epochs), ``from_fit``
        (the history is what ``model.fit`` returned, or its ``.history``, not a made-up
        one), ``batch_size`` and ``printed`` (the text printed).
    """
    if case not in RUN_CASES:
        raise ValueError(f"probe_run_network: case must be one of {RUN_CASES}, got {case!r}.")
    model = _tiny_model(seed)
    if case == "evaluate":
        model.evaluate = _interrupt
    fitted, fit = [], model.fit   # what fit returned: a returned history must be one of them
    model.fit = lambda *args, **kwargs: fitted.append(fit(*args, **kwargs)) or fitted[-1]
    out = io.StringIO()
    report = {"error": None, "tuple": False, "same_model": False, "history": None,
              "from_fit": False, "batch_size": None, "printed": ""}
    try:
        with contextlib.redirect_stdout(out):
            result = run_network(InterruptedData() if case == "before" else data, model,
                                 epochs, batch)
    except (Exception, KeyboardInterrupt) as err:  # noqa: BLE001 (the student's code)
        report["error"] = type(err).__name__
        result = None
    report["printed"] = out.getvalue()[-2000:]
    if isinstance(result, tuple) and len(result) == 2:
        report["tuple"], report["same_model"] = True, result[0] is model
        history = result[1]
        if history is not None:
            curves = getattr(history, "history", history)
            report["history"] = len(curves.get("val_loss", [])) if isinstance(curves, dict) else -1
            report["batch_size"] = getattr(history, "params", {}).get("batch_size")
            report["from_fit"] = any(history is h or history is getattr(h, "history", None)
                                     for h in fitted)
    return report


def run_network_problems(reports, epochs=2, batch=100):
    """What is wrong with ``run_network``, from :func:`probe_run_network`'s reports.

    Parameters
    ----------
    reports : dict of str to dict
        ``{case: report}`` for the cases of :data:`RUN_CASES`.

    Returns
    -------
    list of str
        One hint per problem; empty when every case behaves as the exercise asks.
    """
    problems = []
    train, before, evaluate = (reports[c] for c in RUN_CASES)
    if train["error"]:
        problems.append(f"A normal run raised {train['error']}.")
    elif not (train["tuple"] and train["same_model"]):
        problems.append("Return the pair (model, history), with the model you were given.")
    elif train["history"] is not None and not train["from_fit"]:
        problems.append("Return the history that model.fit returned, not one made up.")
    elif train["history"] != epochs:
        problems.append(f"Train for `epochs` epochs with validation_data=(X_test, Y_test): "
                        f"asked for {epochs}, the history has {train['history']}.")
    elif train["batch_size"] != batch:
        problems.append(f"Train with batch_size=batch: asked for {batch}, fit got "
                        f"{train['batch_size']}.")
    if before["error"]:
        problems.append(f"Ctrl-C before training (while unpacking the data) ends in "
                        f"{before['error']}: the lecture's bug. Give `history` a value (None) "
                        "before the `try`, or catch the interrupt before it is used.")
    elif not (before["tuple"] and before["history"] is None):
        problems.append("Ctrl-C before training: return (model, None), no history exists yet.")
    if evaluate["error"]:
        problems.append(f"Ctrl-C during the evaluation ends in {evaluate['error']}: catch "
                        "KeyboardInterrupt around the whole run.")
    elif evaluate["history"] != epochs or not evaluate["from_fit"]:
        problems.append("Ctrl-C during the evaluation: return (model, history) with the "
                        "finished training's history.")
    if not any("KeyboardInterrupt" in r["printed"] for r in (before, evaluate)):
        problems.append("Print ' KeyboardInterrupt' when interrupted, as the lecture does.")
    return problems


def plot_losses_problems(report, hist):
    """What is wrong with a loss plot described by :func:`describe_figure`, for ``hist``."""
    if report["kind"] != "Figure":
        return [f"plot_losses should return the matplotlib Figure, got a {report['kind']}."]
    epochs = list(range(1, len(hist["loss"]) + 1))
    problems = []
    for key, what in (("loss", "training"), ("val_loss", "test")):
        ys = [line for line in report["lines"] if np.allclose(line[2], hist[key])
              and len(line[2]) == len(hist[key])]
        if not ys:
            problems.append(f"Draw the {what} loss hist[{key!r}], one point per epoch.")
        elif ys[0][1] != epochs:
            problems.append(f"Put the epochs 1..{len(epochs)} on the x axis (the first epoch "
                            "is epoch 1, as in fit's log).")
    if not report["legend"]:
        problems.append("Add a legend that tells the two curves apart.")
    if "epoch" not in report["xlabel"].lower():
        problems.append("Label the x axis 'epoch'.")
    if "loss" not in report["ylabel"].lower():
        problems.append("Label the y axis 'loss'.")
    return problems


def describe_figure(fig):
    """A figure's lines, labels and legend as plain data (for checks of a plotting exercise).

    Returns
    -------
    dict
        ``kind`` (the type's name), ``lines`` (``[label, xdata, ydata]`` per line of every
        Axes), ``xlabel``, ``ylabel``, ``title`` and ``legend`` (True when one is shown).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2], [3, 4], label="loss")
    >>> describe_figure(fig)["lines"]
    [['loss', [1.0, 2.0], [3.0, 4.0]]]
    >>> plt.close(fig)
    """
    if hasattr(fig, "get_axes"):
        axes = fig.get_axes()
    else:  # an Axes, or anything else: described, then refused by the checks
        axes = [fig] if hasattr(fig, "get_lines") else []
    report = {"kind": type(fig).__name__, "lines": [], "xlabel": "", "ylabel": "", "title": "",
              "legend": False}
    for ax in axes:
        for line in ax.get_lines():
            report["lines"].append([str(line.get_label()),
                                    np.asarray(line.get_xdata(), float).tolist(),
                                    np.asarray(line.get_ydata(), float).tolist()])
        report["legend"] = report["legend"] or ax.get_legend() is not None
        report["xlabel"] = report["xlabel"] or ax.get_xlabel()
        report["ylabel"] = report["ylabel"] or ax.get_ylabel()
        report["title"] = report["title"] or ax.get_title()
    return report


def as_history(logs):
    """A History such as ``fit`` returns, holding ``logs``: what a check or a judge hands to
    the student's ``plot_losses``, so that ``hist["loss"]`` and the lecture's
    ``hist.history["loss"]`` both work.

    Parameters
    ----------
    logs : dict of str to list of float
        One list per quantity (``loss``, ``val_loss``), one value per epoch.

    Returns
    -------
    course_lib.nn.history.History

    Examples
    --------
    >>> h = as_history({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]})
    >>> h["loss"], h.history["val_loss"], h.epoch
    ([0.9, 0.5], [1.0, 0.7], [0, 1])
    """
    history = History()
    epochs = max((len(values) for values in logs.values()), default=0)
    for epoch in range(epochs):
        history.append({key: values[epoch] for key, values in logs.items()
                        if epoch < len(values)})
    return history
