"""course_lib.grading.feedback: hidden tests removed from the feedback students see."""


from course_lib.grading.feedback import (
    HIDDEN_NOTE,
    RedactHiddenTests,
    hidden_test_lines,
    redact_hidden_tests,
    solution_lines,
)

GRADE = {"nbgrader": {"grade": True, "grade_id": "n_test", "locked": True, "points": 1,
                      "schema_version": 3, "solution": False, "task": False}}
SOLUTION = {"nbgrader": {"grade": False, "grade_id": "n", "locked": False,
                         "schema_version": 3, "solution": True, "task": False}}
HIDDEN_ASSERT = 'assert n_params == 7850, "The count should include the 10 biases."'


def graded_notebook():
    """An autograded notebook as nbgrader leaves it: hidden tests and the failing traceback."""
    grade_source = (
        '"""Check the parameter count."""\n'
        'require_answer(n_params, "Exercise 2")\n'
        "### BEGIN HIDDEN TESTS\n"
        f"{HIDDEN_ASSERT}\n"
        "### END HIDDEN TESTS")
    traceback = [
        "\x1b[0;31m-------------------------------------------------------------\x1b[0m",
        "\x1b[0;31mAssertionError\x1b[0m  Traceback (most recent call last)",
        "Cell \x1b[0;32mIn[3], line 4\x1b[0m\n\x1b[1;32m      2\x1b[0m require_answer(n_params)\n"
        "\x1b[0;32m----> 4\x1b[0m \x1b[38;5;28;01massert\x1b[39;00m n_params \x1b[38;5;241m==\x1b"
        "[39m \x1b[38;5;241m7850\x1b[39m, \x1b[38;5;124m\"The count should include the 10 biases.\""
        "\x1b[39m",
        "\x1b[0;31mAssertionError\x1b[0m: The count should include the 10 biases.",
    ]
    return {"cells": [
        {"cell_type": "code", "id": "a", "metadata": SOLUTION, "outputs": [],
         "source": "n_params = None\n### BEGIN SOLUTION\nn_params = 784 * 10\n"
                   "### END SOLUTION"},
        {"cell_type": "code", "id": "b", "metadata": GRADE, "source": grade_source,
         "outputs": [
             {"output_type": "stream", "name": "stdout", "text": "checking\n"},
             {"output_type": "execute_result", "data": {"text/plain": "7850"},
              "metadata": {}, "execution_count": 3},
             {"output_type": "error", "ename": "AssertionError",
              "evalue": "The count should include the 10 biases.", "traceback": traceback}]},
        {"cell_type": "code", "id": "c", "metadata": {}, "source": "print(In[3])",
         "outputs": [{"output_type": "stream", "name": "stdout",
                      "text": ["require_answer(n_params)\n", f"{HIDDEN_ASSERT}\n"]}]},
        {"cell_type": "markdown", "id": "d", "metadata": {}, "source": "The end."},
    ]}


def test_redact_removes_hidden_source_and_traceback_but_keeps_the_message():
    nb = graded_notebook()
    assert "7850" in str(nb)
    redact_hidden_tests(nb)
    grade = nb["cells"][1]
    assert "7850" not in str(nb), "a hidden line survived"
    assert HIDDEN_NOTE in grade["source"] and "require_answer" in grade["source"]
    kinds = [o["output_type"] for o in grade["outputs"]]
    assert kinds == ["stream", "error"]  # rich outputs of a grade cell could show values
    assert grade["outputs"][1]["traceback"] == [
        "\x1b[0;31mAssertionError\x1b[0m: The count should include the 10 biases."]
    student = nb["cells"][2]["outputs"][0]["text"]
    assert "require_answer(n_params)" in student and "hidden test removed" in student
    assert nb["cells"][3]["source"] == "The end."


def test_redaction_is_idempotent_and_a_preprocessor():
    nb = graded_notebook()
    out, resources = RedactHiddenTests().preprocess(nb, {"k": 1})
    assert resources == {"k": 1}
    once = str(out)
    assert str(redact_hidden_tests(out)) == once


def test_secret_lines():
    nb = graded_notebook()
    assert hidden_test_lines(nb) == {HIDDEN_ASSERT}
    assert solution_lines(nb) == {"n_params = 784 * 10"}
    # a line that also appears outside the regions gives nothing away
    nb["cells"][3]["source"] = "n_params = 784 * 10"
    assert solution_lines(nb) == set()
