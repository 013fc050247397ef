"""Tests of course_lib.data.download: atomic, verified writes leave nothing behind on failure.
(Downloads from a local server are tested with MNIST in test_data_mnist.py.)"""

import hashlib

import pytest

from course_lib.data import download
from course_lib.data.download import atomic_write, gunzip_blocks, read_verified


def sha(b):
    return hashlib.sha256(b).hexdigest()


def test_atomic_write_failure_mid_write_leaves_nothing(tmp_path):
    dest = tmp_path / "train-images-idx3-ubyte"

    def chunks():
        yield b"first half"
        raise ConnectionResetError("connection lost")

    with pytest.raises(ConnectionResetError):
        atomic_write(dest, chunks(), sha(b"whatever"), "test")
    assert list(tmp_path.iterdir()) == []
    dest.write_bytes(b"old")  # an existing file stays untouched on failure
    with pytest.raises(ValueError, match="checksum mismatch for train-images-idx3-ubyte"):
        atomic_write(dest, [b"new"], sha(b"other"), "test")
    assert [p.name for p in tmp_path.iterdir()] == [dest.name] and dest.read_bytes() == b"old"
    with pytest.raises(ValueError, match="more than 5 bytes"):
        atomic_write(dest, [b"123", b"456"], sha(b"123456"), "test", max_bytes=5)
    atomic_write(dest, [b"new"], sha(b"new"), "test")
    assert [p.name for p in tmp_path.iterdir()] == [dest.name] and dest.read_bytes() == b"new"


def test_atomic_write_failure_in_os_replace_leaves_no_temp_file(tmp_path, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(download.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(tmp_path / "f", [b"abc"], sha(b"abc"), "test")
    assert list(tmp_path.iterdir()) == []


def test_read_verified_checks_the_sha256(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert read_verified(path, sha(b"abc")) == b"abc"
    assert read_verified(path, sha(b"abd")) is None
    assert read_verified(tmp_path / "missing", sha(b"abc")) is None


def test_gunzip_blocks_streams_a_gzip_file():
    import gzip

    raw = gzip.compress(b"x" * 5000)
    blocks = [raw[i:i + 100] for i in range(0, len(raw), 100)]
    assert b"".join(gunzip_blocks(iter(blocks), "test", chunk=64)) == b"x" * 5000
