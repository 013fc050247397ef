"""Plain data: what may cross from a student's process to the grader.

A judge process returns numbers, strings, lists, dicts and NumPy arrays of numbers, as JSON
(arrays as base64 of their raw bytes, of a numeric dtype only). Nothing else crosses: no
pickle, so decoding never runs code; any other object arrives as :class:`Opaque`, which
carries only its type's name.
"""

import base64
import math

import numpy as np

__all__ = ["Opaque", "to_plain", "from_plain", "MAX_ITEMS"]

MAX_ITEMS = 100_000  # elements of a list or dict; arrays are bounded by the message size
_KINDS = "biufc"  # bool, int, unsigned, float, complex


class Opaque:
    """An object that is not plain data; only its type's name crossed."""

    def __init__(self, type_name):
        self.type_name = str(type_name)

    def __repr__(self):
        return f"<a {self.type_name} object>"

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.type_name == self.type_name

    __hash__ = None


def to_plain(obj, depth=0):
    """``obj`` as JSON-able plain data (tuples become lists).

    Parameters
    ----------
    obj : object
        None, bool, int, float, str, a NumPy array of a numeric dtype (or scalar), or lists,
        tuples and str-keyed dicts of them (at most :data:`MAX_ITEMS` items each, 20 deep).
    depth : int, default 0
        Nesting level reached so far (for the recursion).

    Returns
    -------
    object
        JSON-able data; an array is ``{"__ndarray__": base64, "dtype", "shape"}``, a float
        that is not finite ``{"__float__": "inf"}``, anything else ``{"__opaque__": type
        name}``.

    Examples
    --------
    >>> to_plain((1, 2.5, "a"))
    [1, 2.5, 'a']
    >>> to_plain(object())
    {'__opaque__': 'object'}
    """
    if depth > 20:
        return {"__opaque__": "deeply nested object"}
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, np.bool_):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        return x if math.isfinite(x) else {"__float__": repr(x)}
    if isinstance(obj, np.ndarray) and obj.dtype.kind in _KINDS:
        data = np.ascontiguousarray(obj)
        return {"__ndarray__": base64.b64encode(data.tobytes()).decode("ascii"),
                "dtype": data.dtype.str, "shape": list(data.shape)}
    if isinstance(obj, (list, tuple)) and len(obj) <= MAX_ITEMS:
        return [to_plain(v, depth + 1) for v in obj]
    if isinstance(obj, dict) and len(obj) <= MAX_ITEMS and all(isinstance(k, str) for k in obj):
        return {"__dict__": {k: to_plain(v, depth + 1) for k, v in obj.items()}}
    return {"__opaque__": type(obj).__name__}


def from_plain(data):
    """The value that :func:`to_plain` encoded; never runs code (no pickle, no eval).

    Parameters
    ----------
    data : object
        Parsed JSON as :func:`to_plain` writes it.

    Returns
    -------
    object
        Numbers, strings, lists, dicts, NumPy arrays (writable copies) and :class:`Opaque`.

    Raises
    ------
    ValueError
        If ``data`` is not plain data, or an array's dtype is not numeric (``object``).

    Examples
    --------
    >>> from_plain(to_plain({"w": [1.0, float("inf")]}))
    {'w': [1.0, inf]}
    """
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_plain(v) for v in data]
    if isinstance(data, dict):
        if "__ndarray__" in data:
            dtype = np.dtype(str(data["dtype"]))
            if dtype.kind not in _KINDS:
                raise ValueError(f"from_plain: dtype {dtype} is not plain data")
            raw = base64.b64decode(data["__ndarray__"])
            shape = tuple(int(s) for s in data["shape"])
            return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        if "__float__" in data:
            return float(str(data["__float__"]))
        if "__dict__" in data:
            return {str(k): from_plain(v) for k, v in data["__dict__"].items()}
        if "__opaque__" in data:
            return Opaque(data["__opaque__"])
    raise ValueError(f"from_plain: not plain data: {type(data).__name__}")
