"""The course in a real JupyterLab, driven by Debian's Chromium through Playwright.

Session fixtures:

- ``lab``: the project's own ``.venv/bin/jupyter lab`` on 127.0.0.1, a random free port and a
  token, started in its own process group with COURSE_QUICK=1, stopped by its process id. It
  serves ``course``: a temporary copy of the course (notebooks/, nbgrader_config.py, README.md)
  with ``release/`` generated there by ``nbgrader generate_assignment``, so the tests never
  write into the work tree. For every assignment the copy also has
  ``release/NAME/NAME-all-correct.ipynb``: the student notebook with every solution cell filled
  in from the source (a student who answered everything correctly), for the Validate button.
- ``browser``: Chromium started in its own process group (headless, remote debugging on a free
  port), connected with ``playwright.chromium.connect_over_cdp``, stopped by its process id.

Without Chromium every test here is skipped with the reason "chromium not installed: apt-get
install chromium" (``pytest -rs`` lists it).

Set COURSE_BROWSER_SOURCE=/some/course to run the suite against another course folder (one with
notebooks/ and nbgrader_config.py), e.g. a tiny one while developing the harness.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from lab_driver import (
    REPORT,
    SCREENSHOTS,
    all_correct_notebook,
    boot_lab,
    close_all,
    course_source,
    discover_notebooks,
    require_chromium,
    shutdown_kernels,
)
from ports import free_port

ROOT = Path(__file__).resolve().parents[3]
BROWSER_STUDENT = "browser-student"   # the kernels' COURSE_STUDENT: their own variant
VENV_BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage", "--hide-scrollbars"]
# JupyterLab settings for the test server (user settings, in a temporary folder):
# every cell in the DOM (no virtual scrolling), the kernel starts without asking, no news pop-up.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        '{"windowingMode": "none", "autoStartDefaultKernel": true}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false, "doNotDisturbMode": true}',
}


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return None


def _stop_group(proc, timeout=20):
    """Stop a process started with start_new_session=True, and its children, by its pid."""
    try:  # even when the leader has exited: its children (kernels) may still be running
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def chromium():
    """The Chromium executable; without one, every browser test is skipped, saying why."""
    return require_chromium()


def _copy_course(copy):
    """Copy the course's notebooks, nbgrader_config.py and README.md into ``copy``."""
    source = course_source()
    shutil.copytree(source / "notebooks", copy / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for name in ("nbgrader_config.py", "README.md"):
        if (source / name).exists():
            shutil.copy2(source / name, copy / name)


def _release(copy, env):
    """nbgrader generate_assignment in the copy, plus NAME-all-correct.ipynb per assignment."""
    if not (copy / "nbgrader_config.py").exists() or not discover_notebooks(copy, False):
        return
    # every assignment at once ("*": nbgrader 0.9.6 has no --all); --no-db: no gradebook
    # needed (nbgrader would otherwise run `alembic` from PATH to create one)
    result = subprocess.run([str(VENV_BIN / "nbgrader"), "generate_assignment", "*", "--force",
                             "--no-db"], cwd=copy, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"nbgrader generate_assignment failed:\n{result.stderr}"
    for nb in discover_notebooks(copy, widgets_only=False):
        released = copy / "release" / nb.parent.name / nb.name
        if released.exists():
            all_correct_notebook(nb, released, released.with_name(f"{nb.stem}-all-correct.ipynb"))


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium):
    """JupyterLab serving a temporary copy of the course, with release/ generated in the copy.

    Returns (base_url, token, course folder). The server starts while nbgrader generates the
    release (both take seconds). COURSE_QUICK=1 is set for its kernels.
    """
    copy = tmp_path_factory.mktemp("course")
    _copy_course(copy)
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("lab")
    for name, text in LAB_SETTINGS.items():
        (home / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (home / "settings" / name).write_text(text)
    (home / "workspaces").mkdir()
    path = f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    # one epoch is enough to see the lab run in the browser (accuracy is graded elsewhere)
    # a student with numbers of their own (course_lib.checking.variants), not the default
    env = dict(os.environ, COURSE_QUICK="1", COURSE_EPOCHS="1", PATH=path,
               COURSE_STUDENT=BROWSER_STUDENT,
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    # expose_app_in_browser: window.jupyterapp, to open and close notebooks in one page
    cmd = [str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--ip", "127.0.0.1",
           "--port", str(port), f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={copy}", "--ServerApp.port_retries=0",
           "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = home / "lab.log"
    with open(log_path, "w") as log:
        # cwd = the course: nbgrader's Validate handler reads nbgrader_config.py from there
        proc = subprocess.Popen(cmd, cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _release(copy, dict(os.environ, PATH=path))
        deadline = time.monotonic() + 90
        while _status(f"{base}/api/status?token={token}") != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base, token, copy
    finally:
        _stop_group(proc)


@pytest.fixture(scope="session")
def course(lab):
    """The temporary course folder the server serves (notebooks/, release/, ...)."""
    return lab[2]


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    """A Playwright Browser connected to our own Chromium process."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium")
    log = open(profile.parent / "chromium.log", "w")
    proc = subprocess.Popen(
        [chromium, *CHROMIUM_ARGS, "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    playwright = None
    try:
        # Chromium writes the port it chose into DevToolsActivePort in its profile
        port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("Chromium did not start: "
                            f"{(profile.parent / 'chromium.log').read_text()[-2000:]}")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        playwright = sync_playwright().start()
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        yield browser
        browser.close()
    finally:
        if playwright is not None:
            playwright.stop()
        _stop_group(proc)
        log.close()


@pytest.fixture(scope="session")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def _shared_page(lab, context):
    """One JupyterLab page for the session: booting the app costs seconds, so it boots once."""
    page = context.new_page()
    boot_lab(page, lab[0], lab[1])
    yield page
    page.close()


@pytest.fixture
def lab_page(lab, _shared_page):
    """The JupyterLab page, clean: no notebook open; afterwards every notebook is closed and
    its kernel shut down (the page is reloaded when that fails)."""
    base, token, _ = lab
    yield _shared_page
    try:
        close_all(_shared_page)
    except Exception:  # a test left the app in a state we cannot clean: start afresh
        boot_lab(_shared_page, base, token)
    shutdown_kernels(base, token)


@pytest.fixture(scope="session")
def screenshots():
    """build/screenshots/; at the end it also gets report.json: what the suite drove."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield SCREENSHOTS
    if REPORT:
        (SCREENSHOTS / "report.json").write_text(json.dumps(REPORT, indent=1, ensure_ascii=False))
