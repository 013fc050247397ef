"""course_grader.nbgrader_command: the one way the grader runs nbgrader (publish's release and
grading's generate_assignment and generate_feedback go through it; they run it for real in
tests/integration)."""

from importlib.metadata import version

from course_grader.nbgrader_command import run_nbgrader


def test_a_command_past_its_timeout_is_reported_as_status_124(tmp_path):
    status, output = run_nbgrader(tmp_path, "generate_feedback", timeout=0.01)
    assert (status, output) == (124, "nbgrader generate_feedback ran longer than 0.01 s")


def test_it_runs_the_courses_nbgrader(tmp_path):
    status, output = run_nbgrader(tmp_path, "--version", timeout=120)
    assert status == 0 and f"nbgrader version {version('nbgrader')}" in output, output
