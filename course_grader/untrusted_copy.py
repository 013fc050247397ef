"""Copy a folder that a student controls: never following a link, within caps.

A student owns the submission folder in the exchange's ``inbound/`` and can change it while
it is read (swap a file for a symbolic link, a folder for a link to the instructor's). So
nothing here follows a path twice: every entry is read with ``lstat`` relative to its
folder's open descriptor, every folder and file is opened with ``O_NOFOLLOW`` and checked to
be the entry that was measured, and each file is read for at most the length it had.

- :func:`submission_entries`: what a submission holds, and why an entry is not copied
  (a link, a named pipe, a socket, a device, a file over its cap, a folder too deep);
- :func:`measure`: a submission checked against the caps before anything is copied;
- :func:`copy_submission`: the copy of what :func:`measure` accepted;
- :class:`Rules`, :class:`SubmissionRefused`: the caps, and a submission over one.

:class:`course_grader.exchange.SafeCollect` uses them for ``nbgrader collect``.
"""

import fnmatch
import os
import stat
from typing import NamedTuple

__all__ = ["Rules", "Entry", "SubmissionRefused", "submission_entries", "measure", "open_folder",
           "copy_submission", "size_text", "MAX_DEPTH", "MAX_ENTRIES"]

# the same for collecting and for grading, so that nothing collected is refused at grading
MAX_DEPTH = 8  # folders inside a submission
MAX_ENTRIES = 2000  # files and folders of a submission


class SubmissionRefused(Exception):
    """A submission that is not collected; the message says why."""


class Rules(NamedTuple):
    """What a submission may hold: SafeCollect's caps and the course's ignore/include globs."""
    max_file_bytes: int
    max_submission_bytes: int
    max_entries: int
    max_depth: int
    ignore: list
    include: list


class Entry(NamedTuple):
    """One entry of a submission: its relative path, its folder's descriptor, its lstat."""
    path: str
    dir_fd: int
    name: str
    stat: os.stat_result
    problem: str = None


def size_text(n):
    """``n`` bytes as the log shows them.

    Examples
    --------
    >>> size_text(50_000_000)
    '50.0 MB'
    """
    return f"{n / 1e6:.1f} MB"


def entry_problem(st, depth, rules):
    """Why an entry (its lstat ``st``) is not copied, or None."""
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        return None if depth < rules.max_depth else f"more than {rules.max_depth} folders deep"
    if stat.S_ISREG(mode):
        if st.st_size <= rules.max_file_bytes:
            return None
        return f"{size_text(st.st_size)}, over the {size_text(rules.max_file_bytes)} cap"
    kinds = [(stat.S_ISLNK, "a symbolic link (not followed)"), (stat.S_ISFIFO, "a named pipe"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def open_folder(name, dir_fd, expected):
    """A descriptor of the folder ``name`` if it is still the folder ``expected`` (its lstat)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                     dir_fd=dir_fd)
    except OSError as err:
        raise SubmissionRefused(f"{name!r} changed while being read ({err.strerror})") from err
    if not os.path.samestat(os.fstat(fd), expected):
        os.close(fd)
        raise SubmissionRefused(f"{name!r} changed while being read")
    return fd


def submission_entries(dir_fd, rules, prefix="", depth=0):
    """Every entry under the open folder ``dir_fd``, parents first, never following a link.

    Names matching ``rules.ignore`` (and files not matching ``rules.include``) are left out,
    as nbgrader's copy leaves them. An entry that is not copied carries its ``problem``.
    """
    for name in sorted(os.listdir(dir_fd)):
        if any(fnmatch.fnmatch(name, glob) for glob in rules.ignore):
            continue
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(st.st_mode) and not any(fnmatch.fnmatch(name, g) for g in rules.include):
            continue
        entry = Entry(os.path.join(prefix, name), dir_fd, name, st,
                      entry_problem(st, depth, rules))
        yield entry
        if entry.problem is None and stat.S_ISDIR(st.st_mode):
            sub_fd = open_folder(name, dir_fd, st)
            try:
                yield from submission_entries(sub_fd, rules, entry.path, depth + 1)
            finally:
                os.close(sub_fd)


def measure(dir_fd, rules, skipped):
    """Check a submission against the caps before anything is copied.

    Parameters
    ----------
    dir_fd : int
        The submission's open folder.
    rules : Rules
    skipped : callable
        Called with each :class:`Entry` that will not be copied.

    Raises
    ------
    SubmissionRefused
        If it holds more than ``rules.max_entries`` entries or its files are longer than
        ``rules.max_submission_bytes`` together.
    """
    total = count = 0
    for entry in submission_entries(dir_fd, rules):
        count += 1
        if count > rules.max_entries:
            raise SubmissionRefused(f"more than {rules.max_entries} files and folders")
        if entry.problem:
            skipped(entry)
        elif stat.S_ISREG(entry.stat.st_mode):
            total += entry.stat.st_size
    if total > rules.max_submission_bytes:
        raise SubmissionRefused(f"{size_text(total)} of files, over the "
                                f"{size_text(rules.max_submission_bytes)} cap of a submission")


def copy_file(entry, target, max_bytes):
    """Copy one regular file, opened without following links; its length in bytes."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(entry.name, flags, dir_fd=entry.dir_fd)
    except OSError as err:
        raise SubmissionRefused(f"{entry.path!r} changed while being read") from err
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            raise SubmissionRefused(f"{entry.path!r} changed while being read")
        left = st.st_size  # never more than was measured, even if the file grows meanwhile
        with open(target, "xb") as out:
            while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
                out.write(chunk)
                left -= len(chunk)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        return st.st_size - left
    finally:
        os.close(fd)


def copy_submission(dir_fd, dest, rules):
    """Copy what :func:`measure` accepted from the open folder ``dir_fd`` into ``dest``."""
    total = 0
    for entry in submission_entries(dir_fd, rules):
        if entry.problem:
            continue
        target = os.path.join(dest, entry.path)
        if stat.S_ISDIR(entry.stat.st_mode):
            os.mkdir(target)
            continue
        total += copy_file(entry, target, rules.max_file_bytes)
        if total > rules.max_submission_bytes:
            raise SubmissionRefused("it grew past its cap while being copied")

