"""Binder: the environment is the project's, and binder/postBuild really builds the course.

conda is not available here, so the test runs binder/postBuild itself with bash, with the
project's Python (COURSE_PYTHON), course_lib installed into a temporary folder
(COURSE_PIP_TARGET, so the shared venv is not touched), and the MNIST step run against the
existing cache when it is complete (else skipped: tests never download).

Binder builds the *published* student repository (``make publish``: release/, course_lib,
binder/; no notebooks/): the tests publish a temporary copy of the course and build that. On
the source repository itself (notebooks/ with every solution and hidden test) postBuild must
refuse to build.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_grader.publish import publish

ROOT = Path(__file__).resolve().parents[2]
POSTBUILD = ROOT / "binder" / "postBuild"
BADGE_TARGET = "release/01_perceptron/01_perceptron.ipynb"


def test_binder_environment_is_the_root_environment():
    assert (ROOT / "binder" / "environment.yml").read_text() == \
        (ROOT / "environment.yml").read_text(), (
        "binder/environment.yml differs from environment.yml: "
        "cp environment.yml binder/environment.yml")


def test_postbuild_is_strict_bash():
    lines = POSTBUILD.read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    commands = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert commands[0] == "set -euo pipefail", "postBuild must start with set -euo pipefail"
    assert os.access(POSTBUILD, os.X_OK), "binder/postBuild must be executable (chmod +x)"
    text = POSTBUILD.read_text()
    for step in ("pip install", "nbgrader generate_assignment", "course_lib.data"):
        assert step in text, f"postBuild lacks the step {step!r}"


def _mnist_cache_complete():
    try:
        from course_lib.data import mnist as data
    except ImportError:
        return None
    folder = data.default_cache_dir()
    return folder if all((folder / name).is_file() for name in data.SHA256) else None


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A temporary copy of the instructor's source repository (notebooks/ included)."""
    copy = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    for name in ("pyproject.toml", "README.md", "LICENSE", "nbgrader_config.py",
                 "environment.yml"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("course_lib", "notebooks", "binder"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    return copy


def _postbuild(repo, site, cwd, cache=None):
    """Run ``repo``'s binder/postBuild; the MNIST step only against a complete ``cache``."""
    env = dict(os.environ, COURSE_PYTHON=sys.executable, COURSE_PIP_TARGET=str(site),
               PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    if cache is None:
        env["COURSE_SKIP_DATA"] = "1"
    else:
        env["COURSE_MNIST_DIR"] = str(cache)
        env.pop("COURSE_SKIP_DATA", None)
    proc = subprocess.run(["bash", str(repo / "binder" / "postBuild")], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=1200)
    return env, proc


@pytest.fixture(scope="module")
def built(course, tmp_path_factory):
    """binder/postBuild run on the student repository published from the course copy."""
    published = publish(course, tmp_path_factory.mktemp("published") / "student")
    site = published.parent / "site"
    # from a subfolder: postBuild must find the repository's root itself
    env, proc = _postbuild(published, site, published / "release", _mnist_cache_complete())
    return published, site, env, proc


def test_postbuild_refuses_the_source_repository(course, tmp_path):
    site = tmp_path / "site"
    _env, proc = _postbuild(course, site, course / "notebooks")
    assert proc.returncode != 0, f"postBuild built the source repository:\n{proc.stdout}"
    assert "refusing to build" in proc.stderr, proc.stderr
    assert "notebooks/01_perceptron/01_perceptron.ipynb" in proc.stderr, proc.stderr
    assert "make publish" in proc.stderr, proc.stderr
    assert "postBuild: done" not in proc.stdout
    assert not site.exists(), "postBuild installed course_lib before refusing"


@pytest.mark.parametrize("plant", [
    "release/01_perceptron/notes.txt",   # any file under release/
    "extra/scratch.ipynb",               # a notebook anywhere
])
def test_postbuild_refuses_a_published_repository_with_a_marker(built, tmp_path, plant):
    published = built[0]
    copy = tmp_path / "student"
    shutil.copytree(published, copy)
    (copy / plant).parent.mkdir(parents=True, exist_ok=True)
    (copy / plant).write_text('{"source": ["### BEGIN HIDDEN TESTS\\n", "assert x\\n"]}\n')
    _env, proc = _postbuild(copy, tmp_path / "site", copy)
    assert proc.returncode != 0 and "refusing to build" in proc.stderr, proc.stdout + proc.stderr
    assert plant in proc.stderr, proc.stderr


def test_postbuild_builds_the_published_repository(built):
    copy, site, env, proc = built
    assert proc.returncode == 0, f"postBuild failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert "postBuild: done" in proc.stdout
    if "COURSE_SKIP_DATA" not in env:
        assert "MNIST cache ready" in proc.stdout, proc.stdout[-2000:]


def test_postbuild_installs_course_lib(built):
    copy, site, env, proc = built
    assert (site / "course_lib" / "__init__.py").is_file(), proc.stdout[-2000:]
    where = subprocess.run([sys.executable, "-c", "import course_lib; print(course_lib.__file__)"],
                           env=dict(env, PYTHONPATH=str(site)), capture_output=True, text=True,
                           cwd=site.parent.parent)  # not the copy, whose course_lib/ would win
    assert where.stdout.strip().startswith(str(site)), where.stdout + where.stderr


def test_postbuild_skips_nbgrader_without_notebooks(built):
    copy, _site, _env, proc = built
    assert not (copy / "notebooks").exists()
    assert "generating the student versions" not in proc.stdout, proc.stdout
    assert "release/ is used as is" in proc.stdout, proc.stdout


def test_postbuild_releases_every_assignment(course, built):
    copy, _site, _env, proc = built
    assert (copy / BADGE_TARGET).is_file(), f"the Binder badge opens {BADGE_TARGET}, missing"
    for folder in sorted(p.name for p in (course / "notebooks").glob("*/")):
        released = sorted((copy / "release" / folder).glob("*.ipynb"))
        assert released, f"release/{folder} is empty:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        for path in released:
            text = path.read_text()
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
            json.loads(text)


def test_postbuild_keeps_the_instructors_nbgrader_tools_out(built, tmp_path):
    """On Binder (a student's environment) postBuild writes the course's JupyterLab settings
    into the environment: Markdown opens rendered, and nbgrader's Formgrader, Create Assignment
    and course list are disabled (Validate and the assignment list stay). Run here with a
    throw-away environment (a venv that sees this one's packages) as the prefix."""
    published = built[0]
    venv = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    here = [p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p)]
    (site / "course-test.pth").write_text("\n".join(here) + "\n")
    env = dict(os.environ, COURSE_PYTHON=str(venv / "bin" / "python"), COURSE_SKIP_DATA="1",
               PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_BUILD_ISOLATION="0")  # pip's inverted switch: setuptools from here
    env.pop("COURSE_PIP_TARGET", None)
    proc = subprocess.run(["bash", str(published / "binder" / "postBuild")], cwd=published,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    settings = json.loads((venv / "share/jupyter/lab/settings/overrides.json").read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Markdown Preview"
    page = json.loads((venv / "etc/jupyter/labconfig/page_config.json").read_text())
    assert set(page["disabledExtensions"]) == {"@jupyter/nbgrader:formgrader",
                                               "@jupyter/nbgrader:create-assignment",
                                               "@jupyter/nbgrader:course-list"}
    server = json.loads((venv / "etc/jupyter/jupyter_server_config.d/zz_course_student.json")
                        .read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False}
