"""Tests of course_lib.data.idx: IDX files parsed, written, refused with clear messages."""

import os
import tempfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.data.idx import parse_idx, read_idx, write_idx


def test_parse_images_and_labels_written_by_hand(tmp_path, idx_bytes):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=5, dtype=np.uint8)
    (tmp_path / "img").write_bytes(idx_bytes(images))
    (tmp_path / "lab").write_bytes(idx_bytes(labels))
    assert idx_bytes(images)[:4] == b"\x00\x00\x08\x03"  # 2051, MNIST's image magic
    got = read_idx(tmp_path / "img", shape=(None, 28, 28))
    np.testing.assert_array_equal(got, images)
    assert got.dtype == np.uint8 and got.flags.writeable
    np.testing.assert_array_equal(read_idx(tmp_path / "lab", shape=(5,)), labels)


@settings(max_examples=30, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
       dtype=st.sampled_from(["u1", "i1", "i2", "i4", "f4", "f8"]))
def test_write_then_parse_round_trip(shape, dtype, idx_bytes):
    rng = np.random.default_rng(len(shape))
    if dtype.startswith("f"):
        array = (rng.normal(size=shape) * 50).astype(dtype)
    else:
        info = np.iinfo(dtype)
        array = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    code = {"u1": 8, "i1": 9, "i2": 11, "i4": 12, "f4": 13, "f8": 14}[dtype]
    raw = idx_bytes(array, code)
    got = parse_idx(raw)
    assert got.dtype == np.dtype(dtype) and got.shape == tuple(shape)
    np.testing.assert_array_equal(got, array)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x-idx-ubyte")
        write_idx(path, array)
        with open(path, "rb") as f:
            assert f.read() == raw  # write_idx agrees with the hand-built file byte for byte


@pytest.mark.parametrize("head", [b"\x1f\x8b\x08\x00", b"\x00\x01\x08\x03", b"\x00\x00\x07\x01",
                                  b"\x00\x00\x08\x00"])
def test_bad_magic_number_names_file_and_expected_values(tmp_path, head):
    path = tmp_path / "bad-idx3-ubyte"
    path.write_bytes(head + bytes(20))
    with pytest.raises(ValueError, match=r"parse_idx: .*bad-idx3-ubyte starts with magic number "
                                         r"0x[0-9A-F]{8} .*expected 0x00000801 \(2049"):
        read_idx(path)


@pytest.mark.parametrize("cut, what", [(2, "shorter than the 4-byte"), (10, "header is 16 bytes"),
                                       (16 + 100, "truncated: header 16 bytes"),
                                       (-1, "too long")])
def test_truncated_or_overlong_file_says_sizes(tmp_path, cut, what, idx_bytes):
    raw = idx_bytes(np.zeros((2, 28, 28), np.uint8))
    raw = raw + b"\x00" if cut == -1 else raw[:cut]
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(raw)
    with pytest.raises(ValueError, match=f"t10k-images-idx3-ubyte.*{what}"):
        read_idx(path)


def test_wrong_shape_is_refused(tmp_path, idx_bytes):
    path = tmp_path / "labels"
    path.write_bytes(idx_bytes(np.zeros(7, np.uint8)))
    with pytest.raises(ValueError, match=r"shape \(7,\), expected \(10000,\)"):
        read_idx(path, shape=(10000,))
    with pytest.raises(ValueError, match=r"expected \(None, 28, 28\)"):
        read_idx(path, shape=(None, 28, 28))


def test_write_idx_refuses_unknown_dtype(tmp_path):
    with pytest.raises(TypeError, match="write_idx: dtype complex128"):
        write_idx(tmp_path / "x", np.zeros(3, complex))
