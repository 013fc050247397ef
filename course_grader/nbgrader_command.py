"""nbgrader's command line, run the one way the grader runs it: the course's Python, the venv's
bin first on PATH (nbgrader runs alembic from there), in the course folder, output captured."""

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["run_nbgrader"]


def run_nbgrader(root, *args, timeout=None):
    """Run ``nbgrader ARGS...`` in the course folder ``root``.

    Parameters
    ----------
    root : path-like
        The course folder (holds ``nbgrader_config.py``).
    *args : str
        nbgrader's subcommand and its arguments, e.g. ``"generate_assignment", "*", "--force"``.
    timeout : float, optional
        Seconds; past it the command is stopped and reported as exit status 124.

    Returns
    -------
    (int, str)
        The exit status and the command's output (stdout, then stderr).
    """
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    try:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, f"nbgrader {args[0]} ran longer than {timeout} s"
    return proc.returncode, proc.stdout + proc.stderr
