"""The IDX file format of MNIST: read and write arrays; verified atomic writes and downloads.

An IDX file is a header and the raw array, all numbers big-endian::

    bytes 0-1   0x00 0x00            (always zero)
    byte  2     type code            0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                                     0x0D float32, 0x0E float64
    byte  3     ndim                 1 for labels, 3 for images
    then ndim   uint32 sizes         e.g. 60000, 28, 28
    then        the data, C order    prod(sizes) * itemsize bytes

So MNIST's image files start with the "magic number" 0x00000803 = 2051 and its label files
with 0x00000801 = 2049.
"""

import hashlib
import os
import tempfile
import urllib.request
import zlib

import numpy as np

__all__ = ["IDX_DTYPES", "atomic_write", "download_gz", "gunzip_blocks", "parse_idx",
           "read_bytes", "read_idx", "read_verified", "write_idx"]

# type code -> big-endian NumPy dtype
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def parse_idx(data, name="<bytes>", shape=None):
    """Parse the bytes of an IDX file into a NumPy array.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str, default "<bytes>"
        File name used in error messages.
    shape : tuple of int, optional
        Expected shape; ``None`` accepts any. Use ``None`` inside the tuple for a size that
        may vary, e.g. ``(None, 28, 28)``.

    Returns
    -------
    numpy.ndarray, shape as stored in the header
        For uint8/int8 files a view of ``data`` (no copy; writable if ``data`` is a
        ``bytearray``), otherwise a native-endian copy.

    Raises
    ------
    ValueError
        If the magic number is wrong, the file is shorter or longer than its header says, or
        the shape is not the expected one. The message names the file and both values.

    Examples
    --------
    >>> parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    array([7, 2, 1], dtype=uint8)
    """
    data = memoryview(data).cast("B")
    if len(data) < 4:
        raise ValueError(
            f"parse_idx: {name} is {len(data)} bytes long, shorter than the 4-byte IDX magic "
            "number: the file is truncated or not an IDX file. Delete it and fetch it again.")
    zero, code, ndim = data[0] << 8 | data[1], data[2], data[3]
    magic = int.from_bytes(data[:4], "big")
    if zero != 0 or code not in IDX_DTYPES or ndim == 0:
        raise ValueError(
            f"parse_idx: {name} starts with magic number 0x{magic:08X} ({magic}), expected "
            "0x00000801 (2049, labels) or 0x00000803 (2051, images): two zero bytes, a type "
            f"code in {sorted(IDX_DTYPES)}, then the number of dimensions (>= 1). "
            "It is not an (uncompressed) IDX file; a .gz file must be decompressed first.")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(
            f"parse_idx: {name} is truncated: its magic number announces {ndim} dimensions, "
            f"so the header is {header} bytes, but the file has only {len(data)} bytes.")
    dims = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = IDX_DTYPES[code]
    expected = header + int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        what = "truncated" if len(data) < expected else "too long"
        raise ValueError(
            f"parse_idx: {name} is {what}: header {header} bytes + shape {dims} x "
            f"{dtype.itemsize} byte(s) = {expected} bytes expected, the file has {len(data)}. "
            "Delete it and fetch it again.")
    if shape is not None:
        shape = tuple(shape)
        if len(shape) != ndim or any(
                s is not None and s != d for s, d in zip(shape, dims, strict=True)):
            raise ValueError(
                f"parse_idx: {name} holds an array of shape {dims}, expected {shape}. "
                "Is it the right file (images vs labels, train vs test)?")
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(dims)
    if dtype.itemsize > 1:
        array = array.astype(dtype.newbyteorder("="))
    return array


def read_idx(path, shape=None):
    """Read an (uncompressed) IDX file into a NumPy array.

    Parameters
    ----------
    path : str or os.PathLike
    shape : tuple of int, optional
        Expected shape, checked as in :func:`parse_idx`.

    Returns
    -------
    numpy.ndarray, shape as stored in the file

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x-idx1-ubyte")
    >>> write_idx(path, np.array([5, 0, 4], dtype=np.uint8))
    >>> read_idx(path, shape=(3,))
    array([5, 0, 4], dtype=uint8)
    """
    return parse_idx(read_bytes(path), name=os.fspath(path), shape=shape)


def read_bytes(path):
    """Read a whole file into a ``bytearray`` (so arrays viewing it are writable)."""
    with open(path, "rb") as f:
        data = bytearray(os.fstat(f.fileno()).st_size)
        n = f.readinto(data)
    return data[:n] if n != len(data) else data


def write_idx(path, array):
    """Write a NumPy array as an IDX file (used to build test files).

    Parameters
    ----------
    path : str or os.PathLike
    array : numpy.ndarray, any shape with ndim >= 1
        dtype uint8, int8, int16, int32, float32 or float64.

    Raises
    ------
    TypeError
        If the dtype has no IDX type code.
    """
    array = np.asarray(array)
    codes = {dt.newbyteorder("=").str[1:]: code for code, dt in IDX_DTYPES.items()}
    key = array.dtype.newbyteorder("=").str[1:]
    if key not in codes:
        raise TypeError(
            f"write_idx: dtype {array.dtype} has no IDX type code; use one of "
            f"{sorted(codes)} (e.g. array.astype(np.uint8)).")
    if array.ndim == 0:
        raise ValueError("write_idx: an IDX file needs an array with ndim >= 1, got a scalar.")
    code = codes[key]
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    with open(path, "wb") as f:
        f.write(header + np.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes())


def read_verified(path, sha256):
    """The file's bytes (a ``bytearray``) if it exists and has this SHA-256, else ``None``.

    Examples
    --------
    >>> read_verified("/no/such/file", "0" * 64) is None
    True
    """
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def atomic_write(dest, chunks, sha256, origin, max_bytes=100_000_000):
    """Write byte chunks to ``dest`` through a temporary file in the same folder.

    ``dest`` appears (``os.replace``) only once the whole content is written, synced to disk
    and has the expected SHA-256. On any failure, including an exception raised by the
    ``chunks`` iterator, the temporary file is removed, ``dest`` is left as it was and the
    error propagates.

    Parameters
    ----------
    dest : pathlib.Path
    chunks : iterable of bytes
    sha256 : str
        Expected hex digest of the whole content.
    origin : str
        Where the bytes come from, for error messages.
    max_bytes : int, default 100_000_000
        Refuse content larger than this (e.g. a gzip bomb).

    Raises
    ------
    ValueError
        On a checksum mismatch or oversized content.
    """
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f"{origin}: more than {max_bytes} bytes for {dest.name}, "
                                     "refused")
                digest.update(chunk)
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        if digest.hexdigest() != sha256:
            raise ValueError(
                f"{origin}: checksum mismatch for {dest.name}: got SHA-256 "
                f"{digest.hexdigest()[:16]}... ({size} bytes), expected {sha256[:16]}...")
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the cache may be shared (e.g. a Docker image)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def gunzip_blocks(blocks, origin, chunk=1 << 20):
    """Decompress a stream of gzip blocks, yielding at most ``chunk`` bytes at a time.

    Raises
    ------
    EOFError
        If the gzip stream stops before its end (a truncated download).

    Examples
    --------
    >>> import gzip
    >>> b"".join(gunzip_blocks([gzip.compress(b"digits")], "test"))
    b'digits'
    """
    z = zlib.decompressobj(16 + zlib.MAX_WBITS)
    for block in blocks:
        while block and not z.eof:
            yield z.decompress(block, chunk)  # bounded output per call: no gzip bomb in memory
            block = z.unconsumed_tail
    yield z.flush()
    if not z.eof:
        raise EOFError(f"{origin}: the gzip stream ends early (truncated download)")


class _Bar:
    """A tiny text progress bar (no dependency): ``name [#####.....]  45% 4.9/11.0 MB``."""

    def __init__(self, label, total, enabled):
        self.label, self.total, self.enabled, self.done, self.shown = label, total, enabled, 0, -1

    def update(self, n):
        self.done += n
        if not self.enabled:
            return
        frac = min(self.done / self.total, 1.0) if self.total else 0.0
        step = int(frac * 50)
        if step != self.shown:  # redraw at most 50 times per file
            self.shown = step
            print(f"\r  {self.label:<26} [{'#' * (step * 30 // 50):<30}] {frac:4.0%} "
                  f"{self.done / 1e6:5.1f}/{self.total / 1e6:.1f} MB", end="", flush=True)

    def close(self):
        if self.enabled:
            print(flush=True)


def download_gz(url, dest, sha256, verbose=True, timeout=3.0):
    """Download a .gz file and store it decompressed at ``dest`` (atomically, SHA-256 checked).

    ``timeout`` (seconds) bounds each network operation, so an unreachable server fails fast.
    A connection that drops early raises EOFError; a wrong checksum raises ValueError.
    """
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0)
        bar = _Bar(dest.name + ".gz", total, verbose)

        def blocks():
            while block := response.read(1 << 16):
                bar.update(len(block))
                yield block
            if total and bar.done != total:
                raise EOFError(f"{url}: got {bar.done} of {total} bytes (connection lost)")

        try:
            atomic_write(dest, gunzip_blocks(blocks(), url), sha256, url)
        finally:
            bar.close()
