"""A synthetic class, for the grading tests and benchmark: a temporary course whose students
hand in the solution, the blank release or the ``# WRONG:`` answers of each assignment."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from course_grader.cells import wrong_answer_source

__all__ = ["make_course", "submission", "hand_in"]


def make_course(root, source_root, folders):
    """Copy ``folders`` of ``source_root/notebooks`` and the config into ``root``; release them.

    Returns
    -------
    pathlib.Path
        ``root``, a course whose ``release/`` and gradebook are ready for ``make grade``.
    """
    root, source_root = Path(root), Path(source_root)
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    shutil.copy(source_root / "nbgrader_config.py", root)
    for folder in folders:
        shutil.copytree(source_root / "notebooks" / folder, root / "notebooks" / folder)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force"],
                   cwd=root, env=env, check=True, capture_output=True)
    return root


def submission(root, folder, kind):
    """The notebook a student of ``kind`` hands in: ``solution``, ``blank`` or ``wrong``."""
    root = Path(root)
    if kind == "blank":
        return json.loads((root / "release" / folder / f"{folder}.ipynb").read_text())
    nb = json.loads((root / "notebooks" / folder / f"{folder}.ipynb").read_text())
    if kind == "wrong":
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("solution"):
                cell["source"] = wrong_answer_source("".join(cell["source"]))
    elif kind != "solution":
        raise ValueError(f"submission: kind must be solution, blank or wrong, got {kind!r}.")
    return nb


def hand_in(root, student, folder, nb):
    """Write ``nb`` as ``submitted/STUDENT/FOLDER/FOLDER.ipynb``."""
    dest = Path(root) / "submitted" / student / folder
    dest.mkdir(parents=True, exist_ok=True)
    (dest / f"{folder}.ipynb").write_text(json.dumps(nb))
