"""The IDX file format of MNIST: read and write arrays (downloads: :mod:`.download`).

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

import os

import numpy as np

__all__ = ["IDX_DTYPES", "parse_idx", "read_bytes", "read_idx", "write_idx"]

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
