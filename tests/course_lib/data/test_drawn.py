"""A drawn digit made MNIST-like: known arrays in, the 20x20 box and the centre of mass out.

References independent of course_lib: scipy.ndimage.center_of_mass, block means by reshape,
loops over pixels, and real MNIST test digits (which are already in MNIST's form).
"""

import numpy as np
import pytest
from scipy import ndimage

from course_lib.data.drawn import (
    _area_matrix,
    center_of_mass,
    preprocess_digit,
    rgba_to_ink,
    strokes_to_ink,
)


def _box(image):
    """(height, width) of the bounding box of the ink, by a loop over the pixels."""
    rows, cols = [], []
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            if image[i, j] > 0:
                rows.append(i)
                cols.append(j)
    return max(rows) - min(rows) + 1, max(cols) - min(cols) + 1


def _assert_mnist_like(digit):
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() >= 0 and digit.max() == pytest.approx(1.0)
    assert max(_box(digit)) == 20, f"the longer side is {max(_box(digit))}, MNIST's is 20"
    r, c = ndimage.center_of_mass(digit)
    # a whole-pixel shift leaves at most half a pixel; a symmetric 20-pixel box is exactly
    # half a pixel off, to one side or the other as float32 rounding falls (1e-5 for that)
    off = 0.5 + 1e-5
    assert abs(r - 14) <= off and abs(c - 14) <= off, f"centre of mass at ({r:.2f}, {c:.2f})"


def test_a_centred_square_stays_centred():
    pad = np.zeros((280, 280))
    pad[90:190, 90:190] = 1.0
    digit = preprocess_digit(pad)
    _assert_mnist_like(digit)
    assert _box(digit) == (20, 20)
    assert np.all(digit[4:24, 4:24] == 1.0) and digit.sum() == 400


def test_an_off_centre_stroke_is_moved_to_the_centre():
    ink = strokes_to_ink([[(20, 20), (60, 30), (40, 90)]])     # in the top left corner
    r, c = ndimage.center_of_mass(ink)
    assert r < 70 and c < 70
    _assert_mnist_like(preprocess_digit(ink))


def test_a_lopsided_drawing_keeps_all_its_ink_in_the_frame():
    ink = np.zeros((200, 100))
    ink[:10, :] = 1.0           # a heavy top bar
    ink[:, 45:55] = 0.05        # and a faint stem: the centre of mass is near the top
    digit = preprocess_digit(ink)
    assert _box(digit) == (20, 10)
    # centring the top-heavy mass would push the stem out of the image: the shift stops
    # where the 20-pixel box touches the bottom edge, and the centre of mass stays above 14
    assert digit[27].sum() > 0 and digit[:8].sum() == 0 and np.sum(digit[8] > 0.5) == 10
    assert ndimage.center_of_mass(digit)[0] < 12


def test_a_tall_thin_stroke_is_scaled_to_20_pixels_high():
    ink = strokes_to_ink([[(140, 20), (140, 260)]], width=16)   # 16 x 256 pixels of ink
    assert _box(ink) == (256, 16)
    digit = preprocess_digit(ink)
    _assert_mnist_like(digit)
    assert _box(digit)[0] == 20 and _box(digit)[1] == round(16 * 20 / 256)


def test_the_aspect_ratio_is_kept():
    ink = np.zeros((300, 300))
    ink[50:250, 100:200] = 1.0                  # 200 x 100
    assert _box(preprocess_digit(ink)) == (20, 10)
    assert _box(preprocess_digit(ink.T)) == (10, 20)


def test_real_mnist_digits_come_back_unchanged():
    from course_lib.data import load_mnist

    (_, _), (x_test, y_test) = load_mnist()
    for image in x_test[:300]:
        assert np.allclose(preprocess_digit(image), image / image.max(), atol=1e-6)


def test_a_blank_pad_gets_a_message_not_a_crash():
    with pytest.raises(ValueError, match=r"preprocess_digit: nothing is drawn .*Draw a digit"):
        preprocess_digit(np.zeros((280, 280)))
    with pytest.raises(ValueError, match=r"nothing is drawn"):
        preprocess_digit(np.full((28, 28), 0.01), threshold=0.1)


@pytest.mark.parametrize("bad, words", [
    (np.zeros((28, 28, 4)), r"shape \(H, W\), got shape \(28, 28, 4\).*rgba_to_ink"),
    (np.full((5, 5), -1.0), r"at least 0"),
    (np.full((5, 5), np.nan), r"finite"),
])
def test_bad_inputs_are_refused(bad, words):
    with pytest.raises(ValueError, match=words):
        preprocess_digit(bad)


def test_center_of_mass_agrees_with_scipy(rng):
    for shape in [(28, 28), (7, 13), (1, 5), (280, 280)]:
        image = rng.random(shape) * (rng.random(shape) < 0.3)
        image[0, 0] += 0.1
        assert center_of_mass(image) == pytest.approx(ndimage.center_of_mass(image), abs=1e-9)
    with pytest.raises(ValueError, match="center_of_mass: the 3x4 image has no ink"):
        center_of_mass(np.zeros((3, 4)))


@pytest.mark.parametrize("n_in, n_out", [(280, 28), (60, 20), (20, 20), (7, 20), (33, 20)])
def test_area_averaging_keeps_the_mean_and_each_row_sums_to_one(n_in, n_out, rng):
    a = _area_matrix(n_in, n_out)
    assert a.shape == (n_out, n_in) and np.allclose(a.sum(axis=1), 1.0)
    image = rng.random((n_in, n_in))
    small = a @ image @ a.T
    assert small.mean() == pytest.approx(image.mean())
    if n_in % n_out == 0:   # whole blocks: the mean of each k x k block
        k = n_in // n_out
        blocks = image.reshape(n_out, k, n_out, k).mean(axis=(1, 3))
        assert np.allclose(small, blocks)


def test_rgba_to_ink_reads_dark_ink_on_white_or_transparent_paper():
    px = np.zeros((2, 3, 4), dtype=np.uint8)
    px[0] = [[0, 0, 0, 255], [255, 255, 255, 255], [0, 0, 0, 0]]
    px[1] = [[128, 128, 128, 255], [0, 0, 0, 128], [255, 255, 255, 0]]
    assert np.allclose(rgba_to_ink(px), [[1, 0, 0], [1 - 128 / 255, 128 / 255, 0]])
    assert rgba_to_ink(px[..., :3]).shape == (2, 3)
    with pytest.raises(ValueError, match=r"rgba_to_ink: .*got shape \(2, 3\)"):
        rgba_to_ink(px[..., 0])


def test_strokes_are_drawn_as_thick_lines_with_round_ends():
    ink = strokes_to_ink([[(100, 140), (180, 140)]], width=20)
    assert _box(ink) == (20, 100)        # 80 long + two round ends of radius 10; 20 wide
    assert ink[140, 100:180].min() == 1.0 and ink[120:160, 140].sum() == pytest.approx(20)
    dot = strokes_to_ink([[(50, 50)]], width=20)
    assert dot.sum() == pytest.approx(np.pi * 10 ** 2, rel=0.02)
    assert strokes_to_ink([]).sum() == 0
    two = strokes_to_ink([[(50, 50)], [(200, 200), (220, 220)]])
    assert ndimage.label(two > 0)[1] == 2, "two strokes, two separate blobs of ink"


@pytest.mark.parametrize("strokes", [[[]], [[1, 2, 3]], [[(1, 2, 3)]]])
def test_bad_strokes_are_refused(strokes):
    with pytest.raises(ValueError, match=r"strokes_to_ink: stroke 0 should be a list of"):
        strokes_to_ink(strokes)
