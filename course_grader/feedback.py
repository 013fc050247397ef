"""Feedback holds no hidden test: an assertion, because nothing is left to remove.

By the time ``nbgrader generate_feedback`` runs, the autograded notebook has no hidden test:
:class:`~course_grader.execute.StripHiddenTests` replaced every hidden region by one comment
before the kernel ran, and :class:`~course_grader.execute.JudgeGradeCells` replaced every grade
cell's outputs by the judge's verdict (no traceback that could quote a hidden line). The
round trip (``tests/integration/test_nbgrader_roundtrip.py``) checks the feedback of failing
submissions for every hidden line of the source notebooks.

:class:`RefuseHiddenTests` (registered in ``nbgrader_config.py`` for ``generate_feedback``)
asserts it: a notebook that still holds a hidden-test marker (a configuration that skipped
StripHiddenTests) stops its own feedback with an error instead of reaching the student.
"""

from nbconvert.preprocessors import Preprocessor

from .cells import BEGIN_HIDDEN, END_HIDDEN, cell_source

__all__ = ["RefuseHiddenTests", "HiddenTestsLeft"]


class HiddenTestsLeft(RuntimeError):
    """A notebook on its way to a student still holds a hidden-test region."""


class RefuseHiddenTests(Preprocessor):
    """nbconvert preprocessor: refuse a notebook whose grade cells hold a hidden region.

    Register it in ``nbgrader_config.py``::

        c.GenerateFeedback.preprocessors = [
            "nbgrader.preprocessors.GetGrades",
            "course_grader.feedback.RefuseHiddenTests",
            "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        ]
    """

    def preprocess(self, nb, resources):
        """``nb`` unchanged; :class:`HiddenTestsLeft` if a locked cell holds a marker."""
        for index, cell in enumerate(nb["cells"]):
            locked = cell.get("metadata", {}).get("nbgrader", {}).get("locked")
            source = cell_source(cell)
            if locked and (BEGIN_HIDDEN in source or END_HIDDEN in source):
                raise HiddenTestsLeft(
                    f"cell {index} still holds a hidden-test region: StripHiddenTests must run "
                    "in autograde (nbgrader_config.py) before feedback is generated.")
        return nb, resources
