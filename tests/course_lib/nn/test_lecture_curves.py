"""The lecture's 100-epoch curves: the stored file and a QUICK smoke test of the script."""

import json

import numpy as np
import pytest

from course_lib.nn import lecture_curves
from course_lib.nn.lecture_curves import (
    LAYERS,
    LECTURE_CURVES,
    LECTURE_OPTIMIZER,
    build,
    load_curves,
    main,
)
from course_lib.nn.optimizers import RMSprop


@pytest.mark.parametrize("name,params", [("model 1", 7_960), ("model 2", 397_510),
                                         ("model 4", 545_810)])
def test_the_lab_models(name, params):
    model = build(name)
    assert model.count_params() == params
    assert [type(layer).__name__ for layer in model.layers].count("Dropout") == (
        2 if name == "model 4" else 0)


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="build: the lab's models"):
        build("model 3")


def test_stored_file_has_the_lecture_settings():
    stored = load_curves()
    if stored["settings"]["epochs"] != 100:
        pytest.skip("the stored curves are a --quick placeholder: run "
                    "python -m course_lib.nn.lecture_curves (about an hour on 2 cores)")
    assert stored["settings"]["epochs"] == 100 and stored["settings"]["batch"] == 256
    assert stored["settings"]["optimizer"] == repr(RMSprop(**LECTURE_OPTIMIZER))  # Keras 2's
    assert stored["settings"]["train_images"] == 60_000
    assert LECTURE_CURVES.stat().st_size < 100_000
    for name in LAYERS:
        curves = stored["curves"][name]
        assert all(len(curves[k]) == 100 for k in ("loss", "val_loss", "accuracy",
                                                   "val_accuracy"))
        assert stored["seconds"][name] > 0
    # what notebook 07 says about the curves (section 9's model answer and the Summary): both
    # model 2 and model 4 over-fit, lowest test loss after epoch 7, model 4 a little less
    m2, m4 = stored["curves"]["model 2"], stored["curves"]["model 4"]
    stated = {"model 2": (0.060, 0.122, 2.1, 0.0000), "model 4": (0.065, 0.117, 1.8, 0.014)}
    for name, h in (("model 2", m2), ("model 4", m4)):
        best, last, ratio, train = stated[name]
        assert int(np.argmin(h["val_loss"])) + 1 == 7, name
        assert round(min(h["val_loss"]), 3) == best and round(h["val_loss"][-1], 3) == last
        assert round(h["val_loss"][-1] / min(h["val_loss"]), 1) == ratio, name
        assert round(h["loss"][-1], 4 if name == "model 2" else 3) == train, name
    assert int(np.sum(np.diff(m2["loss"]) > 0)) == 11  # "rises in only 11 of the 99 steps"
    assert (round(m2["val_accuracy"][-1], 3), round(m4["val_accuracy"][-1], 3)) == (0.983, 0.985)
    assert (m4["val_loss"][-1] - m4["loss"][-1]) < (m2["val_loss"][-1] - m2["loss"][-1])


def test_quick_run_of_the_script(tmp_path, monkeypatch):
    out = tmp_path / "curves.json"
    monkeypatch.setattr(lecture_curves, "LAYERS", {"model 1": LAYERS["model 1"]})
    result = main(["--quick", "--out", str(out), "--batch", "500"])
    stored = json.loads(out.read_text())
    assert stored == result
    assert stored["settings"] == {"epochs": 2, "batch": 500, "optimizer": (
        "RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-07, eps_in_sqrt=False)"), "seed": 0,
                                  "train_images": 2000, "test_images": 10_000}
    assert len(stored["curves"]["model 1"]["val_loss"]) == 2
