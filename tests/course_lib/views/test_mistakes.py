"""Mistakes: mistakes_of, the gallery of misclassified digits, the explorer."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.views.display import live
from course_lib.views.mistakes import misclassified_explorer, mistakes_of, show_misclassified


def test_mistakes_of_picks_the_wrong_ones_of_a_digit(predictions):
    _, y, probs = predictions
    pred = probs.argmax(axis=1)
    assert mistakes_of(y, pred).tolist() == [i for i in range(200) if pred[i] != y[i]]
    for d in range(10):
        assert all(y[i] == d and pred[i] != d for i in mistakes_of(y, pred, d))


def test_gallery_shows_only_mistakes(predictions):
    images, y, probs = predictions
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    fig = show_misclassified(images.reshape(200, 784), y, probs, n=10, cols=5)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == min(10, len(wrong))
    for title, i in zip(titles, wrong, strict=False):
        assert title.startswith(f"true {y[i]}, pred {pred[i]}\n") and title.endswith(f"#{i}")
    assert f"of {len(wrong):,} mistakes in 200 images" in fig._suptitle.get_text()
    plt.close(fig)


def test_gallery_refuses_mismatched_inputs(predictions):
    images, y, probs = predictions
    with pytest.raises(ValueError, match=r"show_misclassified: .*images \(200, 28, 28\), "
                                         r"labels \(199,\)"):
        show_misclassified(images, y[:199], probs)


def test_explorer_follows_its_controls(predictions):
    images, y, probs = predictions
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    w = misclassified_explorer(images, y, probs)
    assert w.controls["mistake"].max == len(wrong)
    start = live(f"Mistake 1 of {len(wrong)}: test image #{wrong[0]} ")[:-len("</div>")]
    assert w.caption.value.startswith(start)
    image = w.image.value
    assert image[:4] == b"\x89PNG"
    w.controls["mistake"].value = 3
    assert f"test image #{wrong[2]} is a <b>{y[wrong[2]]}</b>" in w.caption.value
    assert w.image.value != image
    digit = int(y[wrong[0]])
    w.controls["digit"].value = str(digit)
    of_digit = wrong[y[wrong] == digit]
    assert w.controls["mistake"].max == max(1, len(of_digit))
    assert f"of {len(of_digit)}: " in w.caption.value and f"is a <b>{digit}</b>" in w.caption.value
    assert all(c.description for c in w.controls.values())


def test_explorer_says_when_a_digit_has_no_mistakes():
    probs = np.eye(10, dtype=np.float32)[[0, 1, 2, 3]]
    probs[3] = np.eye(10)[5]            # one mistake: a 3 taken for a 5
    w = misclassified_explorer(np.zeros((4, 28, 28)), [0, 1, 2, 3], probs)
    assert "is a <b>3</b>, the model says <b>5</b>" in w.caption.value
    w.controls["digit"].value = "0"
    assert w.caption.value == live("No mistakes with true digit 0.")
