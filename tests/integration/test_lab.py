"""`make lab` really serves the course: JupyterLab answers, and it opens the student view's
index (release/README.md, rendered: Markdown opens in its preview)."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except OSError:
        return None, ""


@pytest.fixture
def lab(tmp_path):
    port, token = free_port(), "course-test-token"
    log = open(tmp_path / "lab.log", "w+")
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"PORT={port}", f"LAB_ARGS=--IdentityProvider.token={token}"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if _get(f"{base}/api/status?token={token}")[0] == 200:
                break
            if proc.poll() is not None:
                break
            time.sleep(0.5)
        log.seek(0)
        yield base, token, log.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_make_lab_serves_the_course_index(lab):
    base, token, log = lab
    assert "A preview of the student view: http://127.0.0.1:" in log, log
    status, page = _get(f"{base}/lab?token={token}")
    assert status == 200, log
    assert "JupyterLab" in page
    # the default URL opens the student view's index, which links the released notebooks
    status, _ = _get(f"{base}/lab/tree/release/README.md?token={token}")
    assert status == 200
    status, body = _get(f"{base}/api/contents/release/README.md?token={token}")
    assert status == 200 and "preview of the student view" in body
    assert "(01_perceptron/01_perceptron.ipynb)" in json.loads(body)["content"]
    # Markdown opens rendered (binder/overrides.json), not as source
    status, body = _get(
        f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin?token={token}")
    viewers = json.loads(body)["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers.get("markdown") == "Markdown Preview", viewers
    # the assignments are reachable from the index
    status, body = _get(f"{base}/api/contents/notebooks?token={token}")
    assert status == 200 and "01_perceptron" in body
    # students get the released notebooks (no solutions), made on the first `make lab`
    status, body = _get(f"{base}/api/contents/release/01_perceptron?token={token}")
    assert status == 200 and "01_perceptron.ipynb" in body
    # the course's JupyterLab defaults: a notebook starts its kernel without a dialog
    status, body = _get(
        f"{base}/lab/api/settings/@jupyterlab/notebook-extension:tracker?token={token}")
    assert status == 200
    schema = json.loads(body)["schema"]["properties"]
    assert schema["autoStartDefaultKernel"]["default"] is True  # binder/overrides.json
