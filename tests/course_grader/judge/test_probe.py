"""The judge's probe meets the taught functions switched off for good: the sandbox's copy of
course_lib raises "write it yourself" in their bodies, so no import, alias, reload, re-import,
execution of the module's file or garbage-collector search brings one back. And the names its
setup cells bound (the harness) answer as they were before the answer cells ran."""

import ast
import shutil

import pytest

from course_grader.judge.notebook import run_spec
from course_grader.judge.remote import RemoteStudent
from course_grader.library_copy import switch_off_source, write_library_copy

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap not installed: apt-get install bubblewrap")

SETUP = ("import numpy as np\nfrom course_lib import softmax\n"
         "from course_lib.losses import softmax as lecture_softmax\n")
SPEC = '''
from course_grader.judge import judge, judge_rng

@judge
def softmax_judge(student):
    z = judge_rng.normal(size=5)
    got = np.asarray(student.call("f", z))
    want = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert np.allclose(got, want), "wrong probabilities"
'''
CHEATS = {
    "the setup's name": "def f(z):\n    return softmax(z)",
    "an import": "from course_lib.losses import softmax as s\ndef f(z):\n    return s(z)",
    "an alias": "def f(z):\n    return lecture_softmax(z)",
    "a reload": "import importlib, course_lib.losses\n"
                "def f(z):\n    return importlib.reload(course_lib.losses).softmax(z)",
    "a fresh import": "import sys\ndef f(z):\n"
                      "    for k in [k for k in sys.modules if k.startswith('course_lib')]:\n"
                      "        del sys.modules[k]\n"
                      "    import course_lib.losses\n    return course_lib.losses.softmax(z)",
    "the module's file": "import course_lib.losses as L\nsrc = open(L.__file__).read()\n"
                         "src = src.replace('from .', 'from course_lib.')\nns = {}\n"
                         "exec(src, ns)\ndef f(z):\n    return ns['softmax'](z)",
    "the garbage collector": "import gc\ndef f(z):\n"
                             "    for g in [o for o in gc.get_objects() if callable(o)\n"
                             "              and getattr(o, '__name__', '') == 'softmax']:\n"
                             "        try:\n            return g(z)\n"
                             "        except Exception:\n            pass\n"
                             "    raise ValueError('no softmax found')",
}
HONEST = "def f(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()"


def _verdict(answer, taught=("course_lib.losses.softmax",), setup=SETUP, spec=SPEC):
    """The judge's verdict on one answer cell, graded as the grader does (a sandboxed probe)."""
    namespace = {}
    exec(setup, namespace)  # noqa: S102
    student = RemoteStudent([setup], [answer], timeout=30, switched_off=list(taught))
    try:
        return run_spec(spec, namespace, student)
    finally:
        student.close()


@pytest.mark.parametrize("how", sorted(CHEATS))
def test_every_route_to_the_taught_function_fails(how):
    assert _verdict(CHEATS[how], taught=()).passed, f"{how}: the cheat must work when allowed"
    verdict = _verdict(CHEATS[how])
    assert not verdict.passed, f"{how}: the cheat passed"


def test_the_honest_answer_passes_and_the_setups_other_names_work():
    assert _verdict(HONEST).passed
    uses_relu = "from course_lib import relu\ndef f(z):\n    e = np.exp(z - z.max())\n" \
                "    return relu(e / e.sum())"
    assert _verdict(uses_relu).passed


def test_a_setup_cell_that_calls_a_taught_function_does_not_stop_the_probe():
    setup = SETUP + "worked = softmax(np.zeros(2))  # a worked example\n"
    assert _verdict(HONEST, setup=setup).passed


def test_switch_off_source_replaces_bodies_and_keeps_the_rest():
    text = ("import numpy as np\n\n\ndef f(x):\n    \"\"\"Doc.\"\"\"\n    y = x + 1\n"
            "    return y\n\n\ndef g(x): return f(x)\n\n\nclass C:\n    def m(self):\n"
            "        return 1\n\n    @property\n    def p(self):\n        return 2\n")
    out = switch_off_source(text, ["f", "g", "C"])
    ast.parse(out)
    ns = {}
    exec(out, ns)  # noqa: S102
    for call in (lambda: ns["f"](1), lambda: ns["g"](1), lambda: ns["C"]().m(),
                 lambda: ns["C"]().p):
        with pytest.raises(RuntimeError, match="switched off"):
            call()
    assert out.startswith("import numpy as np\n") and "y = x + 1" not in out
    with pytest.raises(ValueError, match="no function or class \\['h'\\]"):
        switch_off_source(text, ["h"])


def test_the_copy_switches_off_only_the_names_given(tmp_path):
    copy = write_library_copy(tmp_path / "course_lib",
                              ["course_lib.losses.softmax", "course_lib.nn.sequential.Sequential"])
    losses = (copy / "losses.py").read_text()
    assert "softmax from course_lib is switched off" in losses
    assert "def one_hot" in losses and "one_hot from" not in losses
    sequential = (copy / "nn" / "sequential.py").read_text()
    assert "Sequential from course_lib is switched off" in sequential
    with pytest.raises(ValueError, match="not a course_lib name"):
        write_library_copy(tmp_path / "other", ["numpy.exp"])


HARNESS_SETUP = "from course_lib.checking.lab import describe_figure\nLIMIT = 3\n"
REBINDS = ("def describe_figure(fig):\n    return {'kind': 'Figure', 'forged': True}\n"
           "LIMIT = 99\n"
           "def mine(n):\n    return n + LIMIT\n")


def _probe(answer):
    return RemoteStudent([HARNESS_SETUP], [answer], timeout=30)


def test_a_helper_the_setup_bound_is_the_instructors_even_when_rebound():
    """notebook 07's hole: an answer cell that rebinds the setup's helper or constant changes
    nothing the judge asks through those names; the student's own names still answer."""
    student = _probe(REBINDS)
    try:
        described = student.eval("describe_figure(None)")
        assert described["kind"] == "NoneType" and "forged" not in described
        assert student.call("describe_figure", None) == described
        assert student.eval("LIMIT") == student.value("LIMIT") == 3
        # the student's function runs among the student's names (LIMIT is its 99 there)
        assert student.call("mine", 1) == student.eval("mine(1)") == 100
    finally:
        student.close()


def test_a_builtin_in_a_judges_expression_is_the_real_one():
    """Shadowing a built-in (``len = ...``) or patching the builtins module after the setup
    ran changes nothing in what a judge's expression computes."""
    answer = ("import builtins\nlen = lambda obj: 42\nbuiltins.max = lambda *args: -1\n"
              "history = {'loss': [1.0, 2.0]}\n")
    student = _probe(answer)
    try:
        assert student.eval("[len(history['loss']), max(1, 2)]") == [2, 2]
        assert student.value("history") == {"loss": [1.0, 2.0]}
    finally:
        student.close()
