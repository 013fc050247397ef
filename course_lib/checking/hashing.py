"""Salted hashes of answers: what a visible check cell holds instead of the answer itself.

An answer is first written in a *canonical form* that does not depend on its Python type
(``7 == 7.0 == np.int64(7)``, ``"ReLU" == " relu "``, a list and an array of the same shape
and values), then hashed with the exercise's name and the course's salt. The released
notebook and ``course_lib`` then hold no plain answer for a student to read. The check is
still an oracle a determined student could query by trial (so is any instant feedback); the
grade comes from the hidden tests at grading time.

Authors compute hashes with::

    python -m course_lib.checking.hashing NAME VALUE [VALUE ...] [--decimals D] [--hint TEXT]

and the hashes of a function's right outputs with :func:`output_hashes`. A hint for a common
mistake is stored *sealed* (:func:`seal_hint`): encrypted with a key that only that wrong
answer gives, so the check cell's source names no mistake (and gives no predict-first away);
the check opens it (:func:`open_hint`) when the student gives that very answer.
"""

import argparse
import base64
import hashlib
import math
from numbers import Integral, Real

import numpy as np

__all__ = ["answer_hash", "output_hashes", "seal_hint", "open_hint", "main"]

_SALT = "nn-course/2026"


def _canonical(value, decimals):
    """Text form of an answer that does not depend on its Python type (7 == 7.0 == np.int64(7))."""
    if isinstance(value, str):
        return "s:" + " ".join(value.strip().lower().split())
    if isinstance(value, (bool, np.bool_)):
        return "b:" + str(bool(value))
    if isinstance(value, (Integral, np.integer)):
        return "n:" + str(int(value))
    if isinstance(value, (Real, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return "f:" + str(x)
        if decimals is None and x == round(x):
            return "n:" + str(int(round(x)))
        x = round(x, 6 if decimals is None else decimals) + 0.0  # + 0.0 maps -0.0 to 0.0
        return "n:" + str(int(x)) if x == int(x) else "f:" + repr(x)
    if isinstance(value, dict):
        items = sorted((str(k), _canonical(v, decimals)) for k, v in value.items())
        return "d:{" + ",".join(f"{k}={v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value
        shape = "x".join(map(str, np.shape(arr)))
        return f"a[{shape}]:" + ",".join(_canonical(v, decimals) for v in np.ravel(arr).tolist())
    raise TypeError(f"check_answer: cannot check an answer of type {type(value).__name__}; "
                    "give a number, a string, or a list/tuple/array of numbers.")


def answer_hash(name, value, decimals=None):
    """Salted SHA-256 of an answer, as stored in a visible check cell.

    Parameters
    ----------
    name : str
        The exercise's name; it is part of the salt, so equal answers to different
        exercises have different hashes.
    value : int, float, str, or sequence of them
        The answer. Integers and whole floats hash alike (7 and 7.0); arrays hash their shape
        and their values.
    decimals : int, optional
        Round floats to this many decimals first (for answers such as a loss value).

    Returns
    -------
    str
        16 hexadecimal characters.

    Raises
    ------
    TypeError
        If ``value`` is not a number, a string, a dict, or a list/tuple/array of them.

    Examples
    --------
    >>> answer_hash("demo", 7) == answer_hash("demo", 7.0)
    True
    >>> answer_hash("demo", 7) == answer_hash("other", 7)
    False
    """
    text = f"{_SALT}|{name}|{_canonical(value, decimals)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SEALED = "sealed:"


def _keystream(name, value, decimals, size):
    """``size`` bytes that only this answer to this exercise gives (SHA-256, counter mode)."""
    seed = f"{_SALT}|hint|{name}|{_canonical(value, decimals)}".encode()
    blocks = (hashlib.sha256(seed + i.to_bytes(4, "big")).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def seal_hint(name, wrong, text, decimals=None):
    """The hint ``text`` for the wrong answer ``wrong``, readable only with that answer.

    Examples
    --------
    >>> sealed = seal_hint("demo", 7840, "Did you forget the biases?")
    >>> sealed.startswith("sealed:") and "biases" not in sealed
    True
    >>> open_hint("demo", 7840.0, sealed)
    'Did you forget the biases?'
    """
    data = text.encode()
    key = _keystream(name, wrong, decimals, len(data))
    return SEALED + base64.b64encode(bytes(a ^ b for a, b in zip(data, key, strict=True))).decode()


def open_hint(name, value, hint, decimals=None):
    """A hint as the student reads it: ``hint`` itself, or opened with the answer ``value``
    when it is sealed (:func:`seal_hint`)."""
    if not hint.startswith(SEALED):
        return hint
    data = base64.b64decode(hint[len(SEALED):])
    key = _keystream(name, value, decimals, len(data))
    return bytes(a ^ b for a, b in zip(data, key, strict=True)).decode(errors="replace")


def output_hashes(name, func, cases, decimals=6):
    """Hashes of ``func(*case)`` for each case: what :func:`~.checks.check_outputs` compares with.

    Authors call it once with a trusted implementation and paste the list into the check cell.

    Parameters
    ----------
    name : str
        The exercise's name; case ``i`` (from 1) is hashed under ``f"{name}#{i}"``.
    func : callable
        The trusted implementation.
    cases : list of tuple
        Positional arguments for each call.
    decimals : int, default 6
        Rounding of float outputs before hashing.

    Returns
    -------
    list of str
        One hash per case.

    Examples
    --------
    >>> hashes = output_hashes("double", lambda x: 2 * x, [(1,), (2.5,)])
    >>> [len(h) for h in hashes]
    [16, 16]
    """
    return [answer_hash(f"{name}#{i}", func(*args), decimals) for i, args in enumerate(cases, 1)]


def _parse(text):
    """A command-line value as an int, else a float, else the text itself."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def main(argv=None):
    """Command line for authors: print the hash of an answer.

    Parameters
    ----------
    argv : list of str, optional
        ``NAME VALUE [VALUE ...] [--decimals D] [--hint TEXT]``; several values form a list.
        Default: the process's arguments.
    """
    parser = argparse.ArgumentParser(prog="python -m course_lib.checking.hashing",
                                     description="Print the salted hash of an answer.")
    parser.add_argument("name")
    parser.add_argument("value", nargs="+",
                        help="a number or a word; several values form a list")
    parser.add_argument("--decimals", type=int, default=None)
    parser.add_argument("--hint", help="also print this hint for the (wrong) value, sealed")
    args = parser.parse_args(argv)
    values = [_parse(v) for v in args.value]
    value = values[0] if len(values) == 1 else values
    digest = answer_hash(args.name, value, args.decimals)
    if args.hint is None:
        print(digest)
    else:
        print(f'"{digest}": "{seal_hint(args.name, value, args.hint, args.decimals)}",')


if __name__ == "__main__":
    main()
