"""The two ways to install the course (pip, conda) ask for the same packages."""

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _split(requirement):
    """'numpy>=1.24' -> ('numpy', '>=1.24'), 'jax[cpu]>=0.6' -> ('jax', '>=0.6'); names
    are normalised as pip does."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^]]*\])?\s*(.*?)\s*", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower(), match.group(2).replace(" ", "")


def _pip_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # dev names the grader and keras extras as course-lib[grader,keras]: theirs are dev's too
    own = [r for r in extras["dev"] if r.startswith(project["name"] + "[")]
    named = [x for r in own for x in r.split("[")[1].rstrip("]").split(",")]
    assert named == ["grader", "keras"], own
    reqs = project["dependencies"] + [r for x in named for r in extras[x]] + [
        r for r in extras["dev"] if r not in own]
    return dict(_split(r) for r in reqs), project["requires-python"]


def _conda_requirements(path):
    """conda-forge's packages, and those only PyPI has (the environment's ``pip:`` list)."""
    env = yaml.safe_load(path.read_text())
    assert "conda-forge" in env["channels"]
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    deps += [r for d in env["dependencies"] if isinstance(d, dict) for r in d.get("pip", [])]
    return dict(_split(d) for d in deps)


def test_environment_yml_has_the_same_packages_and_lower_bounds_as_pyproject():
    pip_reqs, python = _pip_requirements()
    conda = _conda_requirements(ROOT / "environment.yml")
    assert conda.pop("python") == python
    conda.pop("pip")
    assert conda == pip_reqs


def test_binder_environment_is_the_root_one():
    assert (ROOT / "binder" / "environment.yml").read_text() == \
        (ROOT / "environment.yml").read_text()


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make lab" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command():
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)
