"""The grader's side of the variants: each student's expected answers, and the instructor's
command ``python -m course_grader variant STUDENT ASSIGNMENT``.

The statements, numbers and instant checks are the student's side
(:mod:`course_lib.checking.variants`); nothing here ships to students.
"""

from course_lib.checking.variants import EXERCISES, Variant, seed_of

__all__ = ["expected", "answer_functions", "own_variants", "main"]


def expected(variant, exercise):
    """``{answer name: expected value}`` of one exercise for this variant's numbers.

    Parameters
    ----------
    variant : course_lib.checking.variants.Variant
    exercise : str

    Examples
    --------
    >>> expected(Variant("01_perceptron"), "truth_table")  # the slide's h, the default variant
    {'truth_table_h': [-1, -1, 1, 1], 'step_table_h': [0, 0, 1, 1]}
    """
    return EXERCISES[variant.assignment][exercise].answers(variant.numbers()[exercise])


def answer_functions():
    """Dotted names of the functions that compute the variants' answers: switched off, like
    a notebook's taught functions, in the sandbox's copy of course_lib."""
    return sorted({f"{ex.answers.__module__}.{ex.answers.__name__}"
                   for exercises in EXERCISES.values() for ex in exercises.values()})


def own_variants(namespace, student):
    """Give every :class:`~course_lib.checking.variants.Variant` bound in ``namespace`` the
    numbers of ``student`` (the setup cells drew them from the process's environment).

    Examples
    --------
    >>> ns = {"V": Variant("01_perceptron")}
    >>> own_variants(ns, "ada"); ns["V"].student
    'ada'
    """
    for name, value in list(namespace.items()):
        if isinstance(value, Variant):
            namespace[name] = Variant(value.assignment, student)


def main(argv):
    """``variant STUDENT ASSIGNMENT``: print a student's statements and expected answers."""
    if len(argv) != 2:
        print("usage: python -m course_grader variant STUDENT ASSIGNMENT")
        return 2
    student, assignment = argv
    try:
        v = Variant(assignment, None if student in ("-", "default") else student)
    except ValueError as err:
        print(err)
        return 2
    print(f"# {assignment}: {v.who} (seed {seed_of(v.student, assignment)})\n")
    for exercise in v.numbers():
        print(f"## {exercise}\n{v.text(exercise)}\n")
        for name, value in expected(v, exercise).items():
            print(f"    {name} = {value!r}")
        print()
    return 0
