"""The judge: points decided in the grader's process, from plain data.

- :mod:`.api`: what a source notebook's hidden region uses (``@judge``, ``judge_rng``,
  ``expected``) and the student a spec asks;
- :mod:`.wire`: the plain-data form in which answers cross from the sandbox;
- :mod:`.probe`: the sandboxed process that runs a submission's answer cells and answers;
- :mod:`.remote`: the grader's end of the probe;
- :mod:`.notebook`: a source notebook's specs run against one submission.

A source notebook's hidden region imports what it needs from here::

    from course_grader.judge import expected, judge, judge_rng
"""

from ..variants import expected
from .api import NotAnswered, judge, judge_rng

__all__ = ["NotAnswered", "expected", "judge", "judge_rng"]
