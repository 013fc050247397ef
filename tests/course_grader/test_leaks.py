"""The leak scan: markers and telling lines, with the rules of each kind of file."""

import json

import pytest

from course_grader.leaks import MARKERS, assignments, find_leaks, leak_lines

SOLUTION = "n_params = 784 * 10 + 10"
HIDDEN = 'assert n_params == 7850, "The count should include the biases."'


def notebook(*sources):
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                  "source": s} for s in sources], "metadata": {},
                       "nbformat": 4, "nbformat_minor": 5})


def scan(tmp_path, files, **kwargs):
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    return find_leaks(tmp_path, [SOLUTION], [HIDDEN], **kwargs)


def test_a_clean_tree_has_no_leak(tmp_path):
    assert scan(tmp_path, {"release/a/a.ipynb": notebook("n_params = None"),
                           "README.md": "# The course\n"}) == []


@pytest.mark.parametrize("rel, text, expected", [
    ("release/a/a.ipynb", notebook("x = 1", "y = 2\n### BEGIN SOLUTION"),
     "release/a/a.ipynb, cell 1, line 2: marker 'BEGIN SOLUTION'"),
    ("extra.ipynb", notebook(f"  {SOLUTION}"),
     f"extra.ipynb, cell 0, line 1: solution line {SOLUTION!r}"),
    ("release/a/notes.txt", f"see {HIDDEN} here", "release/a/notes.txt, line 1: hidden-test line"),
    ("binder/postBuild", "echo\n### END HIDDEN TESTS\n",
     "binder/postBuild, line 2: marker 'END HIDDEN TESTS'"),
    ("course_lib/x.py", "x = 1\n### BEGIN SOLUTION\n",
     "course_lib/x.py, line 2: marker 'BEGIN SOLUTION' in '### BEGIN SOLUTION'"),
    ("course_lib/y.py", f"def f():\n    {HIDDEN}\n", "course_lib/y.py, line 2: hidden-test line"),
    ("data.bin", b"\xff\xfeEND SOLUTION\xff", "data.bin: marker 'END SOLUTION' in a binary file"),
])
def test_each_kind_of_leak_is_named_with_its_place(tmp_path, rel, text, expected):
    leaks = scan(tmp_path, {rel: text})
    assert len(leaks) == 1 and leaks[0].startswith(expected), leaks


@pytest.mark.parametrize("rel, text", [
    ("course_lib/grading/z.py", 'BEGIN = "BEGIN SOLUTION"  # the marker, named to parse it\n'),
    ("course_lib/shapes.py", f"def f():\n    {SOLUTION}\n"),  # the library is the reference
    ("binder/postBuild", "grep -q 'BEGIN SOLUTION' notebooks\n"),  # not a marker line
    (".git/objects/x", "### BEGIN SOLUTION\n"),
])
def test_what_is_allowed_outside_the_release(tmp_path, rel, text):
    assert scan(tmp_path, {rel: text}) == []


def test_the_scan_stops_at_the_limit(tmp_path):
    files = {f"release/a/{i}.txt": "### BEGIN SOLUTION" for i in range(5)}
    assert len(scan(tmp_path, files, limit=2)) == 2
    assert set(MARKERS) == {"BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS",
                            "END HIDDEN TESTS"}


def test_leak_lines_leave_out_what_a_notebook_shows_anyway(tmp_path):
    folder = tmp_path / "notebooks" / "01_a"
    folder.mkdir(parents=True)
    (folder / "01_a.ipynb").write_text(notebook(
        f"n_params = None\n### BEGIN SOLUTION\n{SOLUTION}\nreturn value_of_it\n"
        "### END SOLUTION",
        f"### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS",
        "return value_of_it"))
    (tmp_path / "notebooks" / "empty").mkdir()
    assert assignments(tmp_path) == ["01_a"]
    assert leak_lines(tmp_path) == ({SOLUTION}, {HIDDEN})


def test_assignments_needs_the_course_folder(tmp_path):
    with pytest.raises(ValueError, match="is .* the course folder"):
        assignments(tmp_path)
