"""The student's side of checking: what a notebook's check cells call while the student works.

- :mod:`.checks`: the instant checks (``check_answer``, ``check_function``, ``check_outputs``,
  ``check_raises``) and the one printer of their verdicts and hints;
- :mod:`.hashing`: the salted hashes the checks compare, so a check never holds an answer;
- :mod:`.blanks`: one clear message for an exercise left blank (``require_answer``);
- :mod:`.reveal`: a predict-first's worked answer shown only after the prediction was checked;
- :mod:`.variants`: each student's own numbers in the value exercises (statements, numbers
  and the instant check); :mod:`.variants_dense` and :mod:`.variants_conv` define them;
- :mod:`.lab`: notebook 07's harness (``run_network`` as the lecture prints it, its probes).

Grading, the judge and the sandbox are the instructor's package, ``course_grader``, which
students never receive; nothing here imports it or nbgrader.
"""

from .blanks import require_answer, require_function, your_answer_here
from .checks import CORRECT, NOT_YET, check_answer, check_function, check_outputs, check_raises, say
from .reveal import reveal_after
from .variants import variant

__all__ = ["CORRECT", "NOT_YET", "check_answer", "check_function", "check_outputs",
           "check_raises", "say", "require_answer", "require_function", "reveal_after", "variant",
           "your_answer_here"]
