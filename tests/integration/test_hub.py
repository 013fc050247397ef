"""The course on its JupyterHub (deploy/), end to end, with real unix users.

As root only. The test creates a grader account (owner of the course folder, runs the
formgrader service), an instructor (hub group ``formgrade-nn-course``) and three students
(``nbgrader-nn-course``) with unique names, starts the hub of deploy/jupyterhub_config.py on
random 127.0.0.1 ports (with a test password authenticator and a test admin service for the
API tokens), and plays the class:

- the instructor, through the formgrader service, generates and releases 01_perceptron;
- students A and C: their servers are started through the hub's REST API with their own
  tokens; they fetch, write into their notebook and submit through nbgrader's server
  extension in their own server (running as them); A hands in the solution, C wrong answers;
- student B logs in on the hub's login page in Chromium, fetches and submits the blank
  notebook in JupyterLab's Assignment List, later fetches the feedback there;
- the instructor collects, grades in a terminal of the formgrader (``python -m
  course_grader grade``: sandboxed), releases the feedback; every student fetches it.

It checks the scores (full, 0, 0), grades.csv, and that no student reads another's
submission or feedback (``runuser -u STUDENT -- cat PATH`` fails). Timings and what each user
saw go to build/hub/report.json, the browser's screenshots to build/screenshots/hub-*.png.
Everything it started is stopped by process id; the accounts and folders are removed.
"""

import asyncio
import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import hub as deploy  # noqa: E402
from lab_driver import all_correct_notebook, cell_source, wrong_text  # noqa: E402
from ports import free_ports  # noqa: E402

ASSIGNMENT = "01_perceptron"
COURSE = deploy.COURSE
REPORT = ROOT / "build" / "hub" / "report.json"
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="the hub test creates unix accounts: run it as root")


def _as(user, *cmd):
    return subprocess.run(["runuser", "-u", user, "--", *cmd], capture_output=True, text=True)


class Hub:
    """The running hub: its URL, the admin token, a log of what each user saw."""

    def __init__(self, url, admin_token, state, log):
        self.url, self.admin, self.state, self.log_path = url, admin_token, state, log
        self.tokens, self.saw, self.times = {}, {}, {}

    def call(self, method, path, token, body=None, form=None, timeout=120):
        data = None
        headers = {"Authorization": f"token {token}"}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif method != "GET":
            data = b""
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                text = resp.read().decode()
                return resp.status, json.loads(text) if text.strip() else None
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()[:2000]

    def token_for(self, user):
        if user not in self.tokens:
            code, reply = self.call("POST", f"/hub/api/users/{user}/tokens", self.admin,
                                    body={"note": "test_hub", "expires_in": 3600})
            assert code in (200, 201), f"no token for {user}: {code} {reply}"
            self.tokens[user] = reply["token"]
        return self.tokens[user]

    def start_server(self, user, timeout=90):
        token = self.token_for(user)
        code, reply = self.call("POST", f"/hub/api/users/{user}/server", token)
        assert code in (201, 202, 400), f"{user}'s server did not start: {code} {reply}"
        deadline = time.time() + timeout
        while time.time() < deadline:
            _, info = self.call("GET", f"/hub/api/users/{user}", token)
            server = (info or {}).get("servers", {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server not ready after {timeout} s\n{self.tail()}")

    def nbgrader(self, user, action):
        """nbgrader's fetch / submit / fetch_feedback in the user's own server."""
        code, reply = self.call("POST", f"/user/{user}/assignments/{action}", self.token_for(user),
                                form={"course_id": COURSE, "assignment_id": ASSIGNMENT})
        assert code == 200, f"{user} {action}: {code} {reply}"
        assert isinstance(reply, dict) and reply.get("success"), f"{user} {action}: {reply}"
        return [(a["assignment_id"], a["status"]) for a in reply["value"]
                if a["course_id"] == COURSE]

    def formgrader(self, user, action):
        path = f"/services/{COURSE}/formgrader/api/assignment/{ASSIGNMENT}/{action}"
        code, reply = self.call("POST", path, self.token_for(user), timeout=300)
        assert code == 200, f"formgrader {action} for {user}: {code} {reply}\n{self.tail()}"
        assert isinstance(reply, dict) and reply.get("success"), f"{action}: {reply}"
        return reply

    def tail(self, n=3000):
        return self.log_path.read_text(errors="replace")[-n:]

    def timed(self, label, fn, *args):
        start = time.perf_counter()
        result = fn(*args)
        self.times[label] = round(time.perf_counter() - start, 2)
        return result


def _processes_of(uids):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
            if uid in uids:
                pids.append(int(entry.name))
    return pids


@pytest.fixture(scope="module")
def hub():
    if shutil.which("bwrap") is None:
        pytest.skip("grading needs bubblewrap: apt-get install bubblewrap")
    proxy = deploy.install_proxy()
    if proxy is None:
        pytest.skip(f"configurable-http-proxy@{deploy.PROXY_VERSION} could not be installed "
                    "(npm missing or offline)")
    t0 = time.perf_counter()
    tag = secrets.token_hex(3)
    names = {"grader": f"grader-nnt{tag}", "instructor": f"nnt{tag}-teach",
             "A": f"nnt{tag}-sa", "B": f"nnt{tag}-sb", "C": f"nnt{tag}-sc"}
    state = Path(tempfile.mkdtemp(prefix="nn-hub-"))
    created, proc, opened = [], None, []
    try:
        opened = _open_for_users(ROOT)
        env_dir = deploy.user_env()
        course = deploy.prepare(state, grader_name=names["grader"])
        created.append(names["grader"])
        for role in ("instructor", "A", "B", "C"):
            deploy.add_user(names[role])
            created.append(names[role])
        port, *others = free_ports(4)
        admin_token, password = secrets.token_hex(16), secrets.token_urlsafe(12)
        config = state / "test_jupyterhub_config.py"
        config.write_text(
            f"load_subconfig({str(deploy.HERE / 'jupyterhub_config.py')!r})\n"
            "# test only: a password for everyone, and an admin service for the API tokens\n"
            "c.JupyterHub.authenticator_class = 'dummy'\n"
            f"c.DummyAuthenticator.password = {password!r}\n"
            f"c.JupyterHub.services.append({{'name': 'nn-test', 'api_token': {admin_token!r}}})\n"
            "c.JupyterHub.load_roles.append({'name': 'nn-test', 'services': ['nn-test'], "
            "'scopes': ['admin:users', 'admin:servers', 'tokens', 'list:users']})\n")
        config.chmod(0o600)
        env = deploy.hub_env(state, port, env_dir, proxy, [names["instructor"]],
                             [names["A"], names["B"], names["C"]], ports=others,
                             grader_name=names["grader"])
        log = state / "jupyterhub.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                     str(config)], cwd=state, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        h = Hub(f"http://127.0.0.1:{port}", admin_token, state, log)
        h.names, h.course, h.password, h.proc = names, course, password, proc
        deadline = time.time() + 60
        while True:
            code, _ = h.call("GET", f"/services/{COURSE}/api/status", h.admin, timeout=5) \
                if _reachable(port) else (0, None)
            if code in (200, 403, 302):
                break
            assert proc.poll() is None and time.time() < deadline, f"hub down:\n{h.tail()}"
            time.sleep(0.5)
        h.times["setup (accounts, course folder, hub and formgrader up)"] = \
            round(time.perf_counter() - t0, 2)
        yield h
    finally:
        _stop(proc, created)
        shutil.rmtree(state, ignore_errors=True)
        for folder, mode in reversed(opened):
            folder.chmod(mode)


def _open_for_users(path):
    """Let the test's users enter the folders above this checkout while the test runs.

    A checkout in a 0700 folder (``mktemp -d``, /root) is closed to them, and their servers
    run the course from it: each closed folder gets o+x (enter, not list) until the test ends.
    Returns ``[(folder, original mode), ...]`` for the teardown."""
    opened = []
    while (closed := deploy.closed_ancestor(path)) is not None:
        mode = closed.stat().st_mode & 0o7777
        closed.chmod(mode | 0o001)
        opened.append((closed, mode))
    return opened


def _reachable(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _stop(proc, users):
    """The hub by its process group, then any process left running as a test account.

    The group is signalled even when the hub has exited: a hub that died at start leaves its
    proxy (configurable-http-proxy) running in that group."""
    if proc is not None:
        running = proc.poll() is None
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            running = False
        if running:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    import pwd

    uids = set()
    for name in users:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    for pid in _processes_of(uids):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.3)
    for name in users:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


# ------------------------------------------------------------------ what the people do


def _answers(course):
    """The notebooks of student A (every solution) and C (the '# WRONG:' answers)."""
    released = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source = course / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    tmp = Path(tempfile.mkdtemp())
    all_correct_notebook(source, released, tmp / "right.ipynb")
    right = json.loads((tmp / "right.ipynb").read_text())
    shutil.rmtree(tmp)
    by_id = {c["metadata"].get("nbgrader", {}).get("grade_id"): c
             for c in json.loads(source.read_text())["cells"]}
    wrong = json.loads(released.read_text())
    for cell in wrong["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code" and meta["grade_id"] in by_id:
            cell["source"] = wrong_text(cell_source(by_id[meta["grade_id"]]))
    return right, wrong


def _hand_in(h, user, nb):
    """The student's notebook saved through their own server (the file is theirs)."""
    path = f"/user/{user}/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    code, reply = h.call("PUT", path, h.token_for(user),
                         body={"type": "notebook", "format": "json", "content": nb})
    assert code in (200, 201), f"{user} could not save: {code} {reply}"


def _browser_student(h, pw, user, phase):
    """Student B in Chromium: log in, open the Assignment List, fetch+submit or get feedback."""
    page = h.page
    if phase == "submit":
        page.goto(h.url + "/hub/login", wait_until="domcontentloaded")
        page.fill("#username_input", user)
        page.fill("#password_input", h.password)
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=90_000)
        page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=90_000)
        page.screenshot(path=str(SHOTS / "hub-student-lab.png"))
        _check_student_view(h, page, user)
    _open_assignment_list(page)
    if phase == "submit":
        _click_in_list(page, "Fetch", "Submit")
        page.screenshot(path=str(SHOTS / "hub-student-fetched.png"))
        _click_in_list(page, "Submit", "Fetch Feedback|submitted|Submitted")
        page.screenshot(path=str(SHOTS / "hub-student-submitted.png"))
    else:
        _click_in_list(page, "Fetch Feedback", "feedback|Feedback")
        page.screenshot(path=str(SHOTS / "hub-student-feedback.png"))
    return page.locator(".jp-Activity, #assignment-list, .nbgrader").first.inner_text()[:600] \
        if page.locator("#assignment-list").count() else page.inner_text("body")[:600]


def _check_student_view(h, page, user):
    """A student's JupyterLab has nbgrader's Assignment List and Validate, not the instructor's
    Formgrader, Create Assignment or Course List (issue 27: they were there), and the student's
    server answers no formgrader page (deploy/jupyterhub_config.py's student_view)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    menu = page.locator(".lm-Menu").last.inner_text()
    page.keyboard.press("Escape")
    assert "Assignment List" in menu, menu
    assert "Formgrader" not in menu and "Course List" not in menu, menu
    code, _ = h.call("GET", f"/user/{user}/formgrader", h.token_for(user))
    assert code == 404, f"{user}'s server serves the formgrader: {code}"


def _open_assignment_list(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator("li.lm-Menu-item", has_text="Assignment List").click()
    page.wait_for_selector(f"text={ASSIGNMENT}", timeout=60_000)


def _click_in_list(page, button, then):
    row = page.locator(".list_item, .row", has_text=ASSIGNMENT)
    target = row.get_by_role("button", name=button, exact=True)
    if not target.count():
        target = page.get_by_role("button", name=button, exact=True)
    target.first.click()
    page.wait_for_selector(f"text=/{then}/", timeout=90_000)


def _terminal(h, user, command, timeout=200):
    """``command`` typed into a terminal of the formgrader's JupyterLab (runs as the grader)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    token = h.token_for(user)
    code, reply = h.call("POST", f"/services/{COURSE}/api/terminals", token)
    assert code == 200, f"no terminal: {code} {reply}"
    url = h.url.replace("http", "ws") + f"/services/{COURSE}/terminals/websocket/{reply['name']}"

    async def run():
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
        await ws.write_message(json.dumps(["stdin", f"{command}; echo END-$?-END\r"]))
        seen, deadline = "", time.time() + timeout
        while time.time() < deadline:
            msg = await asyncio.wait_for(ws.read_message(), timeout=deadline - time.time())
            if msg is None:
                break
            kind, *data = json.loads(msg)
            if kind == "stdout":
                seen += data[0]
                done = re.search(r"END-(\d+)-END", seen)
                if done:
                    ws.close()
                    return int(done.group(1)), seen
        raise AssertionError(f"terminal: no end after {timeout} s:\n{seen[-2000:]}")

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's loop
        status, seen = pool.submit(asyncio.run, run()).result()
    h.call("DELETE", f"/services/{COURSE}/api/terminals/{reply['name']}", token)
    return status, seen


# ------------------------------------------------------------------ the test


def test_a_class_round_trip_on_the_hub(hub):
    pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    h, n = hub, hub.names
    t0 = time.perf_counter()
    teacher, a, b, c = n["instructor"], n["A"], n["B"], n["C"]
    SHOTS.mkdir(parents=True, exist_ok=True)

    h.saw[teacher] = [h.timed("instructor: generate (formgrader)", h.formgrader, teacher,
                              "assign")["success"]]
    h.timed("instructor: release (formgrader)", h.formgrader, teacher, "release")
    h.saw[teacher].append("released")
    right, wrong = _answers(h.course)

    for user, nb in ((a, right), (c, wrong)):
        h.timed(f"{user}: server started (REST)", h.start_server, user)
        h.saw[user] = [("fetch", h.timed(f"{user}: fetch", h.nbgrader, user, "fetch"))]
        _hand_in(h, user, nb)
        h.saw[user].append(("submit", h.timed(f"{user}: submit", h.nbgrader, user, "submit")))

    def in_chromium():
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                h.page = browser.new_page(viewport={"width": 1400, "height": 900})
                h.page.set_default_timeout(60_000)
                h.saw[b] = [h.timed(f"{b}: Chromium log-in, fetch, submit", _browser_student, h, pw,
                                    b, "submit")]

                inbound = h.state / "exchange" / COURSE / "inbound"
                assert len(list(inbound.iterdir())) == 3, list(inbound.iterdir())
                h.timed("instructor: collect (formgrader)", h.formgrader, teacher, "collect")
                grade = f"cd {h.course} && python -m course_grader grade"
                status, seen = h.timed("instructor: grade (terminal, sandboxed)", _terminal, h,
                                       teacher, grade)
                h.saw[teacher].append(seen[-1500:])
                if status != 0:
                    _, more = _terminal(h, teacher, f"cd {h.course} && python -m nbgrader "
                                        f"generate_feedback {ASSIGNMENT} --force 2>&1 | tail -25")
                    raise AssertionError(seen[-2000:] + more[-4000:])
                h.timed("instructor: release feedback (formgrader)", h.formgrader, teacher,
                        "release_feedback")

                for user in (a, c):
                    h.saw[user].append(("fetch_feedback", h.timed(
                        f"{user}: fetch feedback", h.nbgrader, user, "fetch_feedback")))
                h.saw[b].append(h.timed(f"{b}: Chromium fetch feedback", _browser_student, h, pw,
                                        b, "feedback"))
            finally:
                browser.close()

    # its own thread: the browser suite's session-wide Playwright runs an asyncio loop in this
    # one, and Playwright's sync API refuses to start inside a running loop
    failures = []

    def run():
        try:
            in_chromium()
        except BaseException as err:  # re-raised below, in the test's thread
            failures.append(err)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    h.times["round trip (release to feedback)"] = round(time.perf_counter() - t0, 2)

    _check_scores(h, a, b, c)
    _check_privacy(h, a, b, c)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"seconds": h.times, "saw": h.saw}, indent=1, default=str))
    print(json.dumps(h.times, indent=1))


def _check_scores(h, a, b, c):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{h.course / 'gradebook.db'}") as gb:
        got = {u: (gb.find_submission(ASSIGNMENT, u).score,
                   gb.find_submission(ASSIGNMENT, u).max_score) for u in (a, b, c)}
    h.saw["scores"] = got
    assert got[a][0] == got[a][1] > 0, got
    assert got[b][0] == 0 and got[c][0] == 0, got
    with open(h.course / "grades.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # nbgrader's export has a row per student and assignment the gradebook knows (the course's
    # grading registers all seven): this assignment's rows are the three students'
    ours = [r for r in rows if r["assignment"] == ASSIGNMENT]
    assert sorted(r["student_id"] for r in ours) == sorted((a, b, c)), ours
    h.saw["grades.csv"] = {r["student_id"]: r["score"] for r in ours}
    for user in (a, b, c):
        feedback = list((Path(f"/home/{user}") / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert feedback, f"{user} has no feedback"
        assert _as(user, "cat", str(feedback[0])).returncode == 0


def _check_privacy(h, a, b, c):
    """Each student tries, as that unix user, to read the others' work."""
    exchange = h.state / "exchange" / COURSE
    theirs = {u: next(p for p in (exchange / "inbound").iterdir() if p.name.startswith(u + "+"))
              for u in (a, b, c)}
    attempts = []
    for me, other in ((b, a), (c, a), (a, c), (c, b)):
        attempts += [
            (me, ["cat", str(theirs[other] / f"{ASSIGNMENT}.ipynb")]),
            (me, ["ls", str(exchange / "inbound")]),
            (me, ["ls", str(exchange / "feedback")]),
            (me, ["cat", f"/home/{other}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"]),
            (me, ["ls", f"/home/{other}/{ASSIGNMENT}/feedback"]),
            (me, ["cat", str(h.course / "submitted" / other / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")]),
            (me, ["cat", str(h.course / "feedback" / other / ASSIGNMENT / f"{ASSIGNMENT}.html")]),
        ]
    leaks = [(me, cmd) for me, cmd in attempts if _as(me, *cmd).returncode == 0]
    h.saw["privacy attempts (all refused)"] = len(attempts) - len(leaks)
    assert not leaks, leaks
    # the grader account, and only it, reads the submissions (a positive control)
    assert _as(h.names["grader"], "cat", str(theirs[a] / f"{ASSIGNMENT}.ipynb")).returncode == 0


def test_a_checkout_the_users_cannot_enter_is_named(monkeypatch):
    """The hub's users run the course from this checkout: a closed folder above it (a 0700
    temporary folder, /root) is named before any account is made."""
    base = Path(tempfile.mkdtemp(dir="/tmp"))   # /tmp is open to all; base is opened below
    try:
        base.chmod(0o755)
        closed = base / "closed"
        (closed / "course").mkdir(parents=True)
        closed.chmod(0o700)
        assert deploy.closed_ancestor(closed / "course") == closed
        monkeypatch.setattr(deploy, "REPO", closed / "course")
        monkeypatch.delenv("HUB_USER_ENV", raising=False)
        with pytest.raises(RuntimeError, match=f"{closed} is mode 700"):
            deploy.user_env(dest=closed / "course" / "env")
        closed.chmod(0o755)
        assert deploy.closed_ancestor(closed / "course") is None
        (closed / "course").chmod(0o700)   # the checkout itself (git clone into mktemp -d)
        assert deploy.closed_ancestor(closed / "course") == closed / "course"
    finally:
        shutil.rmtree(base, ignore_errors=True)
