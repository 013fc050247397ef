"""The pages a student reads first: the published repository's README and, for the instructor,
the preview of the student view that ``make lab`` opens.

- :func:`student_readme`: the student repository's README.md (Binder badge, how to run it
  locally, the assignments), written by ``make publish``;
- :func:`write_preview_index`: ``release/README.md``, the index of the released notebooks
  that ``make lab`` opens in the instructor's repository ("a preview of the student view");
- :func:`assignment_links`: the list of assignments both pages hold.
"""

from pathlib import Path

__all__ = ["student_readme", "write_preview_index", "assignment_links", "PREVIEW_INDEX",
           "BADGE_TARGET"]

BADGE_TARGET = "release/01_perceptron/01_perceptron.ipynb"
PREVIEW_INDEX = "release/README.md"


def assignment_links(names, folder="release/"):
    """One Markdown list item per assignment, linking its released notebook.

    Parameters
    ----------
    names : list of str
        The assignments, e.g. ``["01_perceptron", ...]``.
    folder : str, default "release/"
        The links' prefix, from where the Markdown file lies.

    Examples
    --------
    >>> print(assignment_links(["01_perceptron"], folder=""))
    - [`01_perceptron`](01_perceptron/01_perceptron.ipynb)
    """
    return "\n".join(f"- [`{name}`]({folder}{name}/{name}.ipynb)" for name in names)


def write_preview_index(course_root="."):
    """Write :data:`PREVIEW_INDEX`: the student view's index that ``make lab`` opens here.

    Parameters
    ----------
    course_root : path, default "."
        The course folder; its ``release/`` must hold the assignments.

    Returns
    -------
    pathlib.Path
        The index written.
    """
    root = Path(course_root)
    names = sorted(p.name for p in (root / "release").iterdir()
                   if p.is_dir() and (p / f"{p.name}.ipynb").exists())
    path = root / PREVIEW_INDEX
    path.write_text(f"""\
# The course, as your students see it

This is a **preview of the student view**: each link opens a released notebook (no
solutions, no hidden tests), as students get it from the published repository, on Binder or on
the course's JupyterHub. Work through it as a student would: Run All, answer, check.

The instructor's tools (nbgrader's Formgrader and Create Assignment, in the *Nbgrader* menu)
are only here; students' environments do not show them. The course's own README (`../README.md`)
is the instructor's.

## The assignments

{assignment_links(names, folder="")}
""", encoding="utf-8")
    return path


def student_readme(names, github="OWNER/REPO"):
    """The student repository's README.md (Markdown), listing the assignments ``names``.

    Parameters
    ----------
    names : list of str
        The assignments, e.g. ``["01_perceptron", ...]``.
    github : str, default "OWNER/REPO"
        The student repository on GitHub, for the Binder badge (the placeholder adds a note).

    Returns
    -------
    str
    """
    badge = (f"https://mybinder.org/v2/gh/{github}/main?urlpath=lab%2Ftree%2F"
             + BADGE_TARGET.replace("/", "%2F"))
    rows = assignment_links(names)
    placeholder = ("\nReplace `OWNER/REPO` in the badge's link with this repository's GitHub "
                   "path.\n" if github == "OWNER/REPO" else "")
    return f"""\
# Neural networks, interactively: the student notebooks

Interactive, autograded notebooks for a university lecture on neural networks (perceptrons,
activations and softmax, architectures, convolution, pooling, CNN architectures, and a lab
that trains networks on real MNIST), and `course_lib`, the small NumPy library they import.
Each section has a plot or an interactive explorer, and each exercise is followed by a check
cell that says at once whether your answer is right.

Open them on Binder, without installing anything:
[![Binder](https://mybinder.org/badge_logo.svg)]({badge})
{placeholder}
Or run them locally (Python >= 3.10):

```bash
pip install -e .          # course_lib and what the notebooks import
pip install jupyterlab    # if JupyterLab is not installed yet
jupyter lab release/
```

(With conda: `conda env create -f environment.yml && conda activate nn-course &&
pip install -e . --no-deps`.) The lab notebook downloads MNIST on first use
(`python -m course_lib.data` fetches it beforehand).

## The assignments

Work in `release/NN_name/NN_name.ipynb`:

{rows}

## License

MIT: see [LICENSE](LICENSE).
"""
