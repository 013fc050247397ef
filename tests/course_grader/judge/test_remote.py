"""RemoteStudent: answers in a sandboxed probe; an answer cell that hangs or kills the probe is
skipped and reported, and the answers after it are still judged."""

import shutil

import pytest

from course_grader.judge.api import JudgeTimeout, NotAnswered
from course_grader.judge.remote import RemoteStudent

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap not installed: apt-get install bubblewrap")

SETUP = ["import numpy as np"]


@pytest.fixture
def remote(monkeypatch):
    monkeypatch.delenv("COURSE_SANDBOX", raising=False)
    students = []

    def make(answers, timeout=2):
        students.append(RemoteStudent(SETUP, answers, timeout=timeout))
        return students[-1]

    yield make
    for student in students:
        student.close()


@pytest.mark.parametrize("bad, reason", [
    ("while True:\n    pass", "no answer within 2 s"),
    ("import os\nos._exit(3)", "the process of your answers exited"),
])
def test_a_bad_answer_cell_is_skipped_and_the_later_ones_judged(remote, bad, reason):
    student = remote(["a = np.arange(3)", bad, "def f(x):\n    return x + a\nb = None"])
    assert student.call("f", 1).tolist() == [1, 2, 3]
    assert student.value("a").tolist() == [0, 1, 2]
    with pytest.raises(NotAnswered):
        student.value("b")
    assert student.skip == {1}
    assert student.problems == [(1, f"answer cell 2: {reason}; skipped")]


def test_errors_of_answer_cells_are_kept_and_requests_still_answered(remote):
    student = remote(["x = 1 / 0", "y = 5"])
    assert student.value("y") == 5
    assert student.errors == [{"cell": 0, "error": "ZeroDivisionError: division by zero"}]
    assert student.problems == []


def test_a_request_that_hangs_times_out_and_the_next_one_gets_a_fresh_process(remote):
    student = remote(["import time\ndef slow():\n    time.sleep(60)\nz = 7"], timeout=1)
    with pytest.raises(JudgeTimeout, match="your code gave no answer"):
        student.call("slow")
    assert student.proc is None
    assert student.value("z") == 7
