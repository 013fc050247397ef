"""The published student repository (``make publish DEST=...``) gives no solution away.

The course is copied into a temporary folder first, so publishing (which generates release/
with nbgrader) never touches this repository's release/ or gradebook. The leak check below is
the test's own, line by line against :func:`solution_lines` and :func:`hidden_test_lines` of
every source notebook; it does not reuse publish's scanner.
"""

import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from course_grader.cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    hidden_test_lines,
    solution_lines,
    split_regions,
)
from course_grader.publish import publish

ROOT = Path(__file__).resolve().parents[2]
COURSE_ITEMS = ("notebooks", "nbgrader_config.py", "course_lib", "binder", "pyproject.toml",
                "LICENSE", "environment.yml", "README.md")
INSTRUCTOR_ONLY = ("notebooks", "tests", "submitted", "autograded", "feedback", "gradebook.db",
                   "exchange", "nbgrader_config.py", ".ci", "Makefile", "grades.csv")
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
MARKER_COMMENT = re.compile(r"^\s*#+\s*(" + "|".join(MARKERS) + ")")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")


def _norm(line):
    return " ".join(line.split())


def _cell_source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _source_notebooks(course):
    return {path: json.loads(path.read_text())
            for path in sorted((course / "notebooks").glob("*/*.ipynb"))}


def _forbidden(course):
    """(solution lines, hidden-test lines) of every source notebook, minus the lines that a
    source notebook shows outside its regions (those are in the release by design)."""
    solutions, hidden, visible = set(), set(), set()
    for nb in _source_notebooks(course).values():
        solutions |= solution_lines(nb)
        hidden |= hidden_test_lines(nb)
        for cell in nb["cells"]:
            outside, _ = split_regions(_cell_source(cell), BEGIN_HIDDEN, END_HIDDEN)
            outside, _ = split_regions("\n".join(outside), BEGIN_SOLUTION, END_SOLUTION)
            visible.update(_norm(line) for line in outside)
    return solutions - visible, hidden - visible


def _file_lines(path):
    """A notebook's cell sources and text outputs, another text file's lines; None if binary."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None
    if path.suffix != ".ipynb":
        return text.split("\n")
    lines = []
    for cell in json.loads(text)["cells"]:
        lines += _cell_source(cell).split("\n")
        for output in cell.get("outputs", []):
            for value in [output.get("text", "")] + list(output.get("data", {}).values()):
                lines += ("".join(value) if isinstance(value, list) else str(value)).split("\n")
    return lines + text.split("\n")


def _leaks(folder, solutions, hidden):
    """``[(file, line, what)]`` of every leaking line under ``folder``."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        lines = _file_lines(path)
        if lines is None:
            continue
        strict = path.suffix == ".ipynb" or rel.startswith("release/")
        # course_lib is the reference implementation of several exercises (conv_output_size):
        # it may hold solution lines and Python idioms (`return x`), never a hidden test
        if rel.startswith("course_lib/") and not strict:
            forbidden = {line for line in hidden if len(line) >= 16}
        else:
            forbidden = solutions | hidden
        for line in lines:
            plain = _norm(line)
            if strict and any(m in line for m in MARKERS):
                found.append((rel, plain, "marker"))
            # the line itself, or a long forbidden line quoted inside it
            found += [(rel, plain, leak) for leak in forbidden
                      if leak == plain or (len(leak) >= 20 and leak in plain)]
        if not strict and path.suffix == ".py":
            for tok in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
                if tok.type == tokenize.COMMENT and MARKER_COMMENT.match(tok.string):
                    found.append((rel, tok.string, "marker comment"))
        elif not strict:
            found += [(rel, line, "marker line") for line in lines if MARKER_COMMENT.match(line)]
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory, released_course):
    copy = tmp_path_factory.mktemp("course")
    for name in COURSE_ITEMS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=IGNORE)
        else:
            shutil.copy2(ROOT / name, copy / name)
    # the session's release, newer than these notebooks: publish need not generate its own
    shutil.copytree(released_course / "release", copy / "release")
    return copy


@pytest.fixture(scope="module")
def published(course, tmp_path_factory):
    return publish(course, tmp_path_factory.mktemp("out") / "student")


def _assignments(course):
    return sorted(p.name for p in (course / "notebooks").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def test_release_has_every_assignment(course, published):
    names = _assignments(course)
    assert len(names) >= 7
    assert sorted(p.name for p in (published / "release").iterdir()) == names
    for name in names:
        path = published / "release" / name / f"{name}.ipynb"
        assert path.is_file(), f"{path} missing"
        nb = json.loads(path.read_text())
        assert nb["cells"], path
    assert (published / "release/01_perceptron/01_perceptron.ipynb").is_file()  # the badge's


def test_student_repository_files(published):
    for name in INSTRUCTOR_ONLY:
        assert not (published / name).exists(), f"{name} must not be published"
    assert not list(published.rglob("__pycache__")), "published __pycache__"
    for name in ("README.md", ".gitignore", "pyproject.toml", "LICENSE", "environment.yml",
                 "binder/environment.yml", "binder/overrides.json", "binder/postBuild"):
        assert (published / name).is_file(), f"{name} missing"
    assert os.access(published / "binder" / "postBuild", os.X_OK)
    readme = (published / "README.md").read_text()
    assert "mybinder.org/badge_logo.svg" in readme
    assert "urlpath=lab%2Ftree%2Frelease%2F01_perceptron%2F01_perceptron.ipynb" in readme
    assert "pip install -e ." in readme and "jupyter lab release/" in readme
    assert "notebooks/" not in readme and "make " not in readme
    assert ".venv/" in (published / ".gitignore").read_text()
    assert "release" not in (published / ".gitignore").read_text()


def test_course_lib_is_importable(published):
    proc = subprocess.run(
        [sys.executable, "-c", "import course_lib, course_lib.checking.checks; "
                               "print(course_lib.__file__)"],
        cwd=published, env=dict(os.environ, PYTHONPATH=str(published)),
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith(str(published / "course_lib")), proc.stdout


def test_the_leak_check_finds_the_source_notebooks_solutions(course):
    """The check below is not vacuous: on notebooks/ it finds markers and lines of each kind."""
    solutions, hidden = _forbidden(course)
    assert len(solutions) > 50 and len(hidden) > 50
    leaks = _leaks(course / "notebooks", solutions, hidden)
    kinds = {what for _f, _l, what in leaks}
    assert "marker" in kinds
    assert kinds & solutions and kinds & hidden
    assert {f for f, _l, _w in leaks} == {
        p.relative_to(course / "notebooks").as_posix() for p in _source_notebooks(course)}


def test_not_one_solution_or_hidden_test_line(course, published):
    solutions, hidden = _forbidden(course)
    leaks = _leaks(published, solutions, hidden)
    assert not leaks, "the student repository leaks:\n" + "\n".join(
        f"  {f}: {what!r} in {line!r}" for f, line, what in leaks[:20])


@pytest.fixture
def course_copy(course, published, tmp_path):
    """A copy of the course whose release/ is already generated (``published`` made it)."""
    copy = tmp_path / "course"
    shutil.copytree(course, copy)
    return copy


def _plant_in_release(copy, line):
    path = copy / "release" / "01_perceptron" / "01_perceptron.ipynb"
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["source"] = _cell_source(cell) + "\n" + line
    path.write_text(json.dumps(nb, indent=1))
    return "release/01_perceptron/01_perceptron.ipynb"


def _some(lines):
    return sorted(lines, key=lambda line: (-len(line), line))[0]


@pytest.mark.parametrize("plant", ["marker", "solution", "hidden", "library-hidden",
                                   "library-marker", "release-file"])
def test_a_planted_leak_makes_publish_raise(course_copy, tmp_path, plant):
    solutions, hidden = _forbidden(course_copy)
    if plant == "marker":
        where = _plant_in_release(course_copy, "    ### BEGIN SOLUTION")
    elif plant == "solution":
        where = _plant_in_release(course_copy, "    " + _some(solutions))
    elif plant == "hidden":
        where = _plant_in_release(course_copy, _some(hidden))
    elif plant == "library-hidden":
        where = "course_lib/leak.py"
        (course_copy / where).write_text(f"def f():\n    {_some(hidden)}\n")
    elif plant == "library-marker":
        where = "course_lib/leak.py"
        (course_copy / where).write_text("def f():\n    ### END HIDDEN TESTS\n    pass\n")
    else:
        where = "release/01_perceptron/notes.md"
        (course_copy / where).write_text("notes\n\nBEGIN HIDDEN TESTS\n")
    dest = tmp_path / "student"
    with pytest.raises(ValueError, match="solutions or hidden tests") as info:
        publish(course_copy, dest)
    assert where in str(info.value)
    assert re.search(r"line \d+", str(info.value))
    assert not dest.exists(), "a failed publish left the destination behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"], "temporary folder left"


def test_destination_inside_the_course_is_refused(course_copy):
    for dest in (course_copy / "student", course_copy / "release" / "x", course_copy):
        with pytest.raises(ValueError, match="inside the course"):
            publish(course_copy, dest)
        assert dest == course_copy or not dest.exists()


def test_existing_non_empty_destination_is_refused(course_copy, tmp_path):
    dest = tmp_path / "student"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        publish(course_copy, dest)
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]


def test_command_line(course_copy, tmp_path):
    command = [sys.executable, "-m", "course_grader.publish"]
    proc = subprocess.run(command + [str(course_copy / "inside")], cwd=course_copy,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "inside the course" in proc.stderr, proc.stderr
    dest = tmp_path / "student"
    proc = subprocess.run(command + [str(dest), "--github", "someone/nn-course"],
                          cwd=course_copy, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gh/someone/nn-course/main" in (dest / "README.md").read_text()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_publish_needs_dest():
    proc = subprocess.run(["make", "--no-print-directory", "publish"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "DEST" in proc.stderr and "make publish DEST=" in proc.stderr, proc.stderr


# what students never receive, and what course_lib must work without (the modules of an
# optional extra aside: the keras extra's JAX needs SciPy)
OPTIONAL_EXTRAS = ("course_lib.nn.keras_bridge",)
INSTRUCTOR_PACKAGES = ("course_grader", "nbgrader", "nbconvert", "distributed", "tqdm", "scipy",
                       "pytest", "nbval", "hypothesis", "jupyterlab")
BLOCKER = """
import importlib.abc, sys
BLOCKED = set({blocked!r})
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in BLOCKED:
            raise ImportError('blocked in this test: ' + name)
sys.meta_path.insert(0, Block())
import pkgutil, course_lib
for info in pkgutil.walk_packages(course_lib.__path__, 'course_lib.'):
    if not info.name.endswith('__main__') and info.name not in {optional!r}:
        __import__(info.name)
BLOCKED.update(('keras', 'jax'))   # without the keras extra, its module says how to install it
try:
    import course_lib.nn.keras_bridge
except ImportError as err:
    assert 'pip install -e ".[keras]"' in str(err), err
else:
    raise SystemExit('course_lib.nn.keras_bridge imported without Keras')
print('imported', len(sys.modules))
"""


def test_the_published_course_lib_imports_without_the_instructors_packages(published):
    # (what course_lib's modules import is tests/test_floors.py's; here: what ships, and runs)
    assert not (published / "course_grader").exists()
    for path in (published / "course_lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):  # nothing that hands out a variant's answers
                assert node.name not in ("expected", "answer_functions"), (path, node.name)
    blocker = BLOCKER.format(blocked=INSTRUCTOR_PACKAGES, optional=OPTIONAL_EXTRAS)
    proc = subprocess.run([sys.executable, "-c", blocker],
                          cwd=published, env=dict(os.environ, PYTHONPATH=str(published),
                                                  MPLBACKEND="Agg"),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("imported")
