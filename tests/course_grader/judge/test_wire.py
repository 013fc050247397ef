"""Plain data: what crosses from a student's process round-trips, and nothing else runs."""

import base64
import json
import math
import pickle

import numpy as np
import pytest

from course_grader.judge.wire import MAX_ITEMS, Opaque, from_plain, to_plain


def round_trip(value):
    return from_plain(json.loads(json.dumps(to_plain(value))))


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**70, 0.5, -0.0, 1e300, "", "héllo", [1, [2, [3, "x"]]],
    {"a": 1, "b": {"c": [1.5, None]}}, [],
])
def test_plain_values_round_trip(value):
    assert round_trip(value) == value


def test_tuples_become_lists_and_numpy_scalars_python_ones():
    assert round_trip((1, (2, 3))) == [1, [2, 3]]
    got = round_trip([np.int64(3), np.float32(0.5), np.bool_(True)])
    assert got == [3, 0.5, True] and [type(v) for v in got] == [int, float, bool]


@pytest.mark.parametrize("x", [math.inf, -math.inf])
def test_infinities_round_trip(x):
    assert round_trip(x) == x


def test_nan_round_trips_as_nan():
    assert math.isnan(round_trip(float("nan")))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8, np.bool_,
                                   np.complex128, ">i4"])
def test_arrays_round_trip_with_dtype_and_shape(dtype):
    arr = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    got = round_trip(arr)
    assert got.dtype == arr.dtype and got.shape == (2, 3, 4)
    np.testing.assert_array_equal(got, arr)
    got[0, 0, 0] = 1  # a writable copy, not a view of the message
    assert round_trip(np.asfortranarray(arr)).tolist() == arr.tolist()


@pytest.mark.parametrize("obj, name", [
    (object(), "object"), (np.array([1, "a"], dtype=object), "ndarray"), ({1: 2}, "dict"),
    (len, "builtin_function_or_method"), ([0] * (MAX_ITEMS + 1), "list"),
])
def test_other_objects_become_opaque(obj, name):
    got = round_trip(obj)
    assert got == Opaque(name) and repr(got) == f"<a {name} object>"


def test_deep_nesting_is_cut():
    deep = []
    for _ in range(30):
        deep = [deep]
    assert "deeply nested" in repr(round_trip(deep))


def test_from_plain_refuses_an_object_dtype():
    data = {"__ndarray__": base64.b64encode(b"\0" * 8).decode(), "dtype": "|O", "shape": [1]}
    with pytest.raises(ValueError, match="^from_plain: dtype object is not plain data"):
        from_plain(data)


def test_from_plain_never_unpickles():
    class Boom:
        def __reduce__(self):
            return (pytest.fail, ("unpickled!",))

    blob = base64.b64encode(pickle.dumps(Boom())).decode()
    for data in ({"__pickle__": blob}, blob.encode(), {"__ndarray__": blob, "dtype": "|V8",
                                                       "shape": [1]}):
        with pytest.raises(ValueError):
            from_plain(data)


def test_opaque_is_unhashable_and_compares_by_type_name():
    assert Opaque("A") != Opaque("B") and Opaque("A") != "A"
    with pytest.raises(TypeError):
        hash(Opaque("A"))
