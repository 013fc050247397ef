"""Every source notebook under notebooks/ is committed clean, follows the nbgrader conventions,
and runs top to bottom (nbval, in a subprocess per assignment folder).

Conventions (see the README / NOTEBOOKS.md): no outputs or execution counts; valid nbformat;
every cell has an id; nbgrader metadata complete with unique ``grade_id``s; every code
solution region holds a ``# WRONG: <line>`` comment (the round trip builds its wrong-answer
submission from it); hidden tests only in grade cells.
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_grader.cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    is_grade_cell,
    is_solution_cell,
    nbgrader_meta,
    wrong_answer_source,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
FOLDERS = sorted({p.relative_to(ROOT / "notebooks").parts[0] for p in NOTEBOOKS})
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def notebook(request):
    return request.param, json.loads(request.param.read_text(encoding="utf-8"))


def test_valid_nbformat_with_cell_ids(notebook):
    path, nb = notebook
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
    missing = [i for i, c in enumerate(nb["cells"]) if not c.get("id")]
    assert not missing, f"{path.name}: cells {missing} have no id"
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernel spec should be python3")


def test_no_outputs_or_execution_counts(notebook):
    path, nb = notebook
    dirty = [c.get("id", i) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (
        f"{path.relative_to(ROOT)} was committed with outputs or execution counts in cells "
        f"{dirty}. Strip it: .venv/bin/nbstripout --keep-id {path.relative_to(ROOT)}")


def test_nbgrader_metadata(notebook):
    path, nb = notebook
    ids = []
    for i, cell in enumerate(nb["cells"]):
        meta = nbgrader_meta(cell)
        where = f"{path.name} cell {cell.get('id', i)}"
        source = _source(cell)
        if BEGIN_HIDDEN in source:
            assert is_grade_cell(cell), f"{where}: hidden tests outside a grade cell"
        if BEGIN_SOLUTION in source:
            assert is_solution_cell(cell), f"{where}: a solution region outside a solution cell"
        if not meta:
            continue
        assert meta.get("grade_id"), f"{where}: nbgrader metadata without grade_id"
        assert meta.get("schema_version") == 3, f"{where}: schema_version should be 3"
        ids.append(meta["grade_id"])
        if is_grade_cell(cell):
            assert meta.get("points", 0) > 0, f"{where}: a grade cell needs points > 0"
            if cell["cell_type"] == "code":
                assert meta.get("locked"), f"{where}: a test (grade) cell must be locked"
    duplicates = sorted({g for g in ids if ids.count(g) > 1})
    assert not duplicates, f"{path.name}: grade_id used more than once: {duplicates}"


def test_every_solution_region_has_a_wrong_line(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and is_solution_cell(cell):
            source = _source(cell)
            assert BEGIN_SOLUTION in source, (
                f"{path.name} cell {cell.get('id', i)}: a solution cell without "
                "### BEGIN SOLUTION / ### END SOLUTION (nbgrader would blank all of it)")
            try:
                wrong_answer_source(source)
            except ValueError as err:
                pytest.fail(f"{path.name} cell {cell.get('id', i)}: {err}")


def test_run_all_goes_past_blank_exercises(notebook):
    """Solution and test cells carry the `raises-exception` tag: in the released notebook they
    raise NotImplementedError until answered, and JupyterLab's Run All (like nbval) then carries
    on with the lecture cells below instead of stopping at the first blank exercise."""
    path, nb = notebook
    untagged = [c.get("id", i) for i, c in enumerate(nb["cells"])
                if c["cell_type"] == "code" and (is_solution_cell(c) or is_grade_cell(c))
                and "raises-exception" not in c.get("metadata", {}).get("tags", [])]
    assert not untagged, (
        f"{path.name}: exercise cells {untagged} lack the 'raises-exception' tag, so Run All "
        "stops at them in the release")


def _top_level_names(source):
    """Names a cell binds at the top level (assignments, loops, imports, defs)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: not in these notebooks' lecture cells
        return set()
    names = set()
    for node in tree.body:
        for sub in ast.walk(node) if isinstance(node, (ast.Assign, ast.For, ast.AugAssign,
                                                        ast.AnnAssign, ast.With)) else ():
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def test_an_answer_template_copied_as_is_does_not_run_silently(notebook):
    """``gate_weights = (b, w1, w2)``, copied from the placeholder's comment, ran against the
    b, w1, w2 that earlier cells left behind and gave a wrong table with no word why. A
    template of names must name at least one that no earlier cell defines (a NameError)."""
    path, nb = notebook
    defined = set()
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = _source(cell)
        for template in re.findall(r"replace None with [(\[]([A-Za-z_][\w, ]*)[)\]]", source):
            names = {n.strip() for n in template.split(",")}
            assert not names <= defined, (
                f"{path.name} cell {cell.get('id', i)}: every name of the template "
                f"{sorted(names)} is defined by earlier cells, so copying it runs silently")
        defined |= _top_level_names(source)


def test_instant_check_hints_are_sealed(notebook):
    """A check cell's source names no mistake (its hints gave predict-firsts away: 03's "did you
    forget the biases?" before the count): every hint of a ``check_answer`` is sealed with its
    wrong answer (course_lib.checking.hashing.seal_hint)."""
    path, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or "check_answer(" not in _source(cell):
            continue
        for node in ast.walk(ast.parse(_source(cell))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check_answer":
                for kw in (k for k in node.keywords if k.arg == "hints"):
                    plain = [h for h in ast.literal_eval(kw.value).values()
                             if not h.startswith("sealed:")]
                    assert not plain, f"{path.name} cell {cell.get('id', i)}: plain hints {plain}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_notebook_runs_top_to_bottom_nbval(folder):
    """`pytest --nbval-lax notebooks/<folder>` in a subprocess, with COURSE_QUICK=1."""
    env = dict(os.environ, COURSE_QUICK="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", f"notebooks/{folder}", "-q",
         "-p", "no:cacheprovider", "-o", "addopts=", "-W", "ignore::DeprecationWarning"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, f"nbval failed on notebooks/{folder}:\n{proc.stdout[-6000:]}"
