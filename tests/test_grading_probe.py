"""The judge's process switches the taught functions off for good: no import, alias, reload,
re-import, execution of the module's file or garbage-collector search brings one back."""

import shutil

import pytest

from course_lib.grading.remote import RemoteStudent
from course_lib.grading.specs import run_spec

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap not installed: apt-get install bubblewrap")

SETUP = ("import numpy as np\nfrom course_lib import softmax\n"
         "from course_lib.losses import softmax as lecture_softmax\n")
SPEC = '''
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


def _verdict(answer, taught=("course_lib.losses.softmax",), setup=SETUP, spec=SPEC,
             only_setup_library=False):
    """The judge's verdict on one answer cell, graded as the grader does (a sandboxed probe)."""
    namespace = {}
    exec(setup, namespace)  # noqa: S102
    student = RemoteStudent([setup], list(taught), [answer], timeout=30,
                            only_setup_library=only_setup_library)
    try:
        return run_spec(spec, namespace, student)
    finally:
        student.close()


@pytest.mark.parametrize("how", sorted(CHEATS))
def test_the_taught_function_stays_off(how):
    assert _verdict(CHEATS[how], taught=()).passed, f"{how}: the cheat should work unguarded"
    verdict = _verdict(CHEATS[how])
    assert not verdict.passed, f"{how} brought course_lib's softmax back"


def test_an_honest_answer_passes():
    assert _verdict(HONEST).passed


COUNT_SPEC = '''
@judge
def count_judge(student):
    assert student.call("f") == 3 * 3 * 2 * 4 + 4, "wrong count"
'''
CONV2D = "course_lib.nn.conv_layers.Conv2D"


@pytest.mark.parametrize("answer", [
    "from course_lib.nn import Conv2D\n"
    "def f():\n    return Conv2D(4, 3, input_shape=(8, 8, 2)).count_params()",
    "import course_lib.nn.conv_layers as c\n"  # a subclass: its __init__ calls super()'s
    "class Mine(c.Conv2D):\n    def __init__(self):\n"
    "        super().__init__(4, 3, input_shape=(8, 8, 2))\n"
    "def f():\n    return Mine().count_params()",
])
def test_a_taught_class_is_switched_off_method_by_method(answer):
    for taught, passes in (((), True), ((CONV2D,), False)):
        verdict = _verdict(answer, taught, setup="import numpy as np\n", spec=COUNT_SPEC)
        assert verdict.passed is passes, taught


RELU_SETUP = "import numpy as np\nfrom course_lib import relu\n"
RELU_SPEC = '''
@judge
def relu_judge(student):
    z = judge_rng.normal(size=7)
    assert np.allclose(np.asarray(student.call("f", z)), np.maximum(z, 0), atol=1e-6), "wrong"
'''
OTHER_ROUTES = {
    "another kernel": "def f(z):\n    from course_lib.activations import activation_forward\n"
                      "    return activation_forward(z, 'relu')[0]",
    "a layer": "def f(z):\n    from course_lib.nn import Activation\n"
               "    return Activation('relu').forward(z[None])[0]",
    "a reload": "import importlib, course_lib.activations as A\nA = importlib.reload(A)\n"
                "def f(z):\n    return A.activation_forward(z, 'relu')[0]",
}


def _relu_verdict(answer, only_setup_library):
    return _verdict(answer, (), RELU_SETUP, RELU_SPEC, only_setup_library)


@pytest.mark.parametrize("how", sorted(OTHER_ROUTES))
def test_only_what_setup_imported_is_left_on(how):
    assert _relu_verdict(OTHER_ROUTES[how], False).passed, f"{how} should work unguarded"
    verdict = _relu_verdict(OTHER_ROUTES[how], True)
    assert not verdict.passed and "switched off" in verdict.message, verdict


def test_what_setup_imported_still_works():
    assert _relu_verdict("def f(z):\n    return relu(z)", True).passed
    # the rewritten file still compiles and keeps it: a reload brings back a working relu
    assert _relu_verdict("import importlib, course_lib.activations as A\n"
                         "A = importlib.reload(A)\ndef f(z):\n    return A.relu(z)", True).passed


def test_the_file_is_rewritten_body_by_body(tmp_path, monkeypatch):
    from course_lib.grading.probe import _rewrite_source

    monkeypatch.setenv("COURSE_PRIVATE_LIBRARY", "1")
    path = tmp_path / "kernel.py"
    path.write_text('import functools\n\n\ndef f(x):\n    """Doc."""\n    return x + 1\n\n\n'
                    "def g(x): return x * 2\n\n\n"
                    "class C:\n    @functools.cache\n    def m(self):\n        return 3\n\n"
                    "    @property\n    def p(self):\n        return 4\n\n\n"
                    "def kept(x):\n    return x - 1\n")
    _rewrite_source(str(path), {"f", "g", "C"})
    ns = {}
    exec(compile(path.read_text(), str(path), "exec"), ns)  # noqa: S102
    for call in (lambda: ns["f"](1), lambda: ns["g"](1), lambda: ns["C"]().m(),
                 lambda: ns["C"]().p):
        with pytest.raises(RuntimeError, match="switched off"):
            call()
    assert ns["kept"](1) == 0


@pytest.mark.parametrize("private", [False, True])
def test_only_the_sandbox_s_private_copy_is_rewritten(tmp_path, private):
    """With COURSE_SANDBOX=off the probe runs on the instructor's own files: they must stay."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import course_lib

    copy = tmp_path / "course_lib"
    shutil.copytree(Path(course_lib.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = (copy / "losses.py").read_text()
    env = {k: v for k, v in os.environ.items() if k != "COURSE_PRIVATE_LIBRARY"}
    env.update({"COURSE_PRIVATE_LIBRARY": "1"} if private else {})
    script = ("import sys; sys.path.insert(0, sys.argv[1])\n"
              "from course_lib.grading.probe import switch_off\n"
              "switch_off(['course_lib.losses.softmax'], {}, only_from=['course_lib.losses'])\n")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env, check=True,
                   cwd=tmp_path, timeout=120)
    after = (copy / "losses.py").read_text()
    assert (after != before) is private
    assert ("softmax from course_lib is switched off" in after) is private
