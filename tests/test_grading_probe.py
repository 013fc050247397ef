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


def _verdict(answer, taught=("course_lib.losses.softmax",)):
    namespace = {}
    exec(SETUP, namespace)  # noqa: S102
    student = RemoteStudent([SETUP], list(taught), [answer], timeout=30)
    try:
        return run_spec(SPEC, namespace, student)
    finally:
        student.close()


@pytest.mark.parametrize("how", sorted(CHEATS))
def test_the_taught_function_stays_off(how):
    assert _verdict(CHEATS[how], taught=()).passed, f"{how}: the cheat should work unguarded"
    verdict = _verdict(CHEATS[how])
    assert not verdict.passed, f"{how} brought course_lib's softmax back"


def test_an_honest_answer_passes():
    assert _verdict(HONEST).passed
