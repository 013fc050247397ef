"""Getting files safely: verified reads, atomic writes, streamed gunzip and downloads.

A cached file is trusted only if its SHA-256 is the expected one; a new file appears under its
name only once it is complete and verified, so an interrupted download never leaves half a
file behind.
"""

import hashlib
import os
import tempfile
import urllib.request
import zlib

from .idx import read_bytes

__all__ = ["atomic_write", "download_gz", "gunzip_blocks", "read_verified"]


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
