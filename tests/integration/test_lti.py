"""Students log in to the course's JupyterHub from the LMS with LTI 1.3, end to end.

The hub runs ``deploy/jupyterhub_config.py`` with ``LTI13_*`` set, so it loads
``deploy/lti13_config.py``: what deploy/README.md documents is what runs here. The LMS is a
local LTI 1.3 platform built on ``lti1p3platform`` (the platform side of a launch: OIDC login
initiation, the authorization response, RS256-signed id_tokens with the LTI claims) that serves
its JWKS and its authorization endpoint from 127.0.0.1. The test plays the browser, as a
Canvas launch goes: POST the login initiation (iss, login_hint, target_link_uri,
lti_message_hint, client_id, lti_deployment_id) to /hub/lti13/oauth_login, follow the
redirect to the platform's authorization endpoint, which answers with the form_post of
id_token and state, POST that to /hub/lti13/oauth_callback, and ask the hub who is logged in.

No single-user server is started and no unix account is made: this checks the log-in only.
The hub and its proxy are stopped by process group; nothing is downloaded. PyJWT and
cryptography (the keys, reading an id_token's claims) come with jupyterhub-ltiauthenticator.
"""

import html
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
import requests
from lti_platform import CLIENT_ID, CUSTOM, DEPLOYMENT_ID, ISSUER, Launch, Platform

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import hub as deploy  # noqa: E402
from ports import free_ports  # noqa: E402

ROSTER = ["ada.lovelace", "s1234567"]   # HUB_STUDENTS: who may log in


# ------------------------------------------------------------------ the hub


class Hub:
    """The running hub: its URL, a token that lists its users, its log."""

    def __init__(self, url, token, log):
        self.url, self.token, self.log = url, token, log

    def users(self):
        reply = requests.get(self.url + "/hub/api/users", timeout=10,
                             headers={"Authorization": f"token {self.token}"})
        assert reply.status_code == 200, reply.text
        return {u["name"] for u in reply.json()}

    def tail(self, n=3000):
        return self.log.read_text(errors="replace")[-n:]


def _test_config(state, token):
    """deploy/jupyterhub_config.py, less the formgrader service (no server is started here),
    plus a service whose token lists the hub's users."""
    config = state / "test_jupyterhub_config.py"
    config.write_text(
        f"load_subconfig({str(deploy.HERE / 'jupyterhub_config.py')!r})\n"
        f"c.JupyterHub.services = [{{'name': 'lti-test', 'api_token': {token!r}}}]\n"
        "c.JupyterHub.load_roles.append({'name': 'lti-test', 'services': ['lti-test'], "
        "'scopes': ['list:users', 'read:users']})\n")
    config.chmod(0o600)
    return config


def _wait_up(hub, proc, timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            if requests.get(hub.url + "/hub/api/", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        assert proc.poll() is None and time.time() < deadline, f"hub down:\n{hub.tail()}"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def lms():
    platform = Platform()
    yield platform
    platform.server.shutdown()


@pytest.fixture(scope="module")
def hub(lms):
    proxy = deploy.PROXY_BIN   # installed by .ci/run and make hub: this test downloads nothing
    if not proxy.exists():
        pytest.skip(f"no configurable-http-proxy in {deploy.PROXY_DIR}: .ci/run or make hub "
                    f"installs it (npm, configurable-http-proxy@{deploy.PROXY_VERSION})")
    state = Path(tempfile.mkdtemp(prefix="nn-lti-"))
    port, *others = free_ports(4)
    token = secrets.token_hex(16)
    env = deploy.hub_env(state, port, Path(sys.prefix), proxy, ["nnl-teach"], ROSTER,
                         ports=others)
    env.update(LTI13_CLIENT_ID=CLIENT_ID, LTI13_ISSUER=ISSUER,
               LTI13_AUTHORIZE_URL=lms.url + "/authorize", LTI13_JWKS_URL=lms.url + "/jwks")
    lms.hub_url = f"http://127.0.0.1:{port}"
    log = state / "jupyterhub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                 str(_test_config(state, token))], cwd=state, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    h = Hub(lms.hub_url, token, log)
    try:
        _wait_up(h, proc)
        yield h
    finally:
        _stop(proc)
        subprocess.run(["rm", "-rf", str(state)], check=False)


def _stop(proc):
    """The hub and its proxy, by the process group the hub leads."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# ------------------------------------------------------------------ the browser


@dataclass
class Outcome:
    """What the browser saw: the hub's answer to the launch, and the form it posted."""

    session: requests.Session
    reply: requests.Response
    form: dict
    cookies: dict   # the browser's cookies as they were when it posted the form


def _form(page):
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    return {"action": html.unescape(action), **{k: html.unescape(v) for k, v in fields.items()}}


def launch(hub, lms, spec, tamper=None):
    """One launch from the LMS, as the browser goes through it; ``tamper(form)`` may change
    the id_token or state before they are posted to the hub."""
    s = requests.Session()
    start = s.post(hub.url + "/hub/lti13/oauth_login", data=lms.initiation(spec),
                   allow_redirects=False, timeout=10)
    assert start.status_code == 302, f"{start.status_code} {start.text[:500]}\n{hub.tail()}"
    assert start.headers["Location"].startswith(lms.url + "/authorize?")
    page = s.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert page.status_code == 200, page.text
    form = _form(page.text)
    assert form["action"] == hub.url + "/hub/lti13/oauth_callback"
    if tamper:
        tamper(form)
    cookies = requests.utils.dict_from_cookiejar(s.cookies)
    reply = s.post(form["action"], data={"id_token": form["id_token"], "state": form["state"]},
                   allow_redirects=False, timeout=10)
    return Outcome(s, reply, form, cookies)


def logged_in_as(hub, session):
    """The hub user of the browser's cookies, or None."""
    reply = session.get(hub.url + "/hub/api/user", timeout=10)
    return reply.json()["name"] if reply.status_code == 200 else None


# ------------------------------------------------------------------ the launches


def refused(hub, out, status, text):
    """The hub answered the launch with ``status`` and ``text`` on its error page, and the
    browser is logged in as nobody."""
    body = html.unescape(out.reply.text)
    assert out.reply.status_code == status, f"{out.reply.status_code} {body[:800]}"
    assert text in body, body[:2000]
    assert logged_in_as(hub, out.session) is None


def _state_of_another_login(hub, lms):
    """The state the hub gave another browser (a forged cross-site post would carry it)."""
    start = requests.post(hub.url + "/hub/lti13/oauth_login", data=lms.initiation(Launch()),
                          allow_redirects=False, timeout=10)
    return dict(parse_qsl(urlsplit(start.headers["Location"]).query))["state"]


# ------------------------------------------------------------------ the launches


def test_a_launch_logs_the_student_in_as_the_course_id_the_lms_sends(hub, lms):
    """The custom field course_id (Canvas: $Canvas.user.loginId) is the hub user, lowercased
    as JupyterHub does; the opaque sub and the e-mail are not used."""
    out = launch(hub, lms, Launch())
    assert out.reply.status_code == 302, f"{out.reply.status_code} {out.reply.text[:800]}"
    assert logged_in_as(hub, out.session) == "ada.lovelace"
    claims = jwt.decode(out.form["id_token"], options={"verify_signature": False})
    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    assert claims[lti + "message_type"] == "LtiResourceLinkRequest"
    assert claims[lti + "version"] == "1.3.0" and claims["iss"] == ISSUER
    assert claims[lti + "deployment_id"] == DEPLOYMENT_ID and claims["aud"] == CLIENT_ID
    assert claims[lti + "target_link_uri"] == hub.url + "/"
    assert claims[lti + "resource_link"]["id"] and claims[CUSTOM] == {"course_id": "Ada.Lovelace"}
    assert jwt.get_unverified_header(out.form["id_token"])["alg"] == "RS256"


@pytest.mark.parametrize("key, why", [
    ("other-same-kid", "Signature verification failed"),
    ("other", "Unable to find a signing key"),
], ids=["under-the-lms-kid", "own-kid"])
def test_an_id_token_signed_by_another_key_is_refused(hub, lms, key, why):
    refused(hub, launch(hub, lms, Launch(key=key)), 400, why)


@pytest.mark.parametrize("claims, status, why", [
    ({"iss": "https://other-lms.example.edu"}, 400, "Invalid issuer"),
    ({"aud": "10000000000099", "azp": "10000000000099"}, 401, "Audience doesn't match"),
], ids=["issuer", "client_id"])
def test_an_id_token_for_another_issuer_or_client_is_refused(hub, lms, claims, status, why):
    refused(hub, launch(hub, lms, Launch(claims=claims)), status, why)


def test_a_state_from_another_login_is_refused(hub, lms):
    other = _state_of_another_login(hub, lms)
    refused(hub, launch(hub, lms, Launch(), tamper=lambda f: f.update(state=other)), 400,
            "OAuth state mismatch")


def test_an_id_token_with_another_nonce_is_refused(hub, lms):
    refused(hub, launch(hub, lms, Launch(nonce=secrets.token_hex(32))), 400,
            "OAuth nonce mismatch")


def test_a_launch_posted_again_is_refused(hub, lms):
    """The same id_token and state once more: from the browser (the hub cleared its state
    cookie) and from someone who kept the cookies (the course's nonce check)."""
    out = launch(hub, lms, Launch(custom={"course_id": "s1234567"}))
    assert out.reply.status_code == 302 and logged_in_as(hub, out.session) == "s1234567"
    data = {"id_token": out.form["id_token"], "state": out.form["state"]}
    again = Outcome(out.session, out.session.post(out.form["action"], data=data,
                                                  allow_redirects=False, timeout=10), {}, {})
    assert again.reply.status_code == 400 and "OAuth state missing" in again.reply.text
    kept = requests.Session()
    kept.cookies.update(out.cookies)
    replay = kept.post(out.form["action"], data=data, allow_redirects=False, timeout=10)
    refused(hub, Outcome(kept, replay, {}, {}), 400, "This launch was used already")


@pytest.mark.parametrize("custom, why", [
    ({"course_id": "../etc"}, "is not a course student id"),
    ({"course_id": "a/b"}, "is not a course student id"),
    ({"course_id": ".."}, "is not a course student id"),
    ({"course_id": "x" * 65}, "is not a course student id"),
    ({"course_id": "$Canvas.user.loginId"}, "The LMS did not fill in the variable"),
    ({"login_id": "ada"}, "The LMS sent no student id"),
], ids=["dotdot-path", "slash", "dotdot", "too-long", "not-substituted", "no-field"])
def test_a_launch_without_a_valid_student_id_is_refused_with_a_message(hub, lms, custom, why):
    """Never a hub user: not the value, and not the opaque sub that jupyterhub-ltiauthenticator
    would fall back to."""
    refused(hub, launch(hub, lms, Launch(custom=custom)), 400, why)
    assert not {"a/b", "..", "../etc", Launch().sub} & hub.users()


def test_a_student_not_on_the_roster_is_refused(hub, lms):
    refused(hub, launch(hub, lms, Launch(custom={"course_id": "mallory"})), 403,
            "'mallory' is not on this course's list of students")
    assert "mallory" not in hub.users()


def test_deploy_readme_gives_the_settings_that_lti13_config_runs():
    """The README's table of LTI13_* defaults and the custom field are lti13_config.py's."""
    code = (ROOT / "deploy" / "lti13_config.py").read_text()
    readme = (ROOT / "deploy" / "README.md").read_text()
    defaults = re.findall(r'"(LTI13_\w+)",\s*"([^"]+)"', code)
    assert len(defaults) == 3, defaults
    for name, default in defaults:
        assert re.search(rf"\| `{name}` \|[^\n]*\| `{re.escape(default)}` \|", readme), name
    assert 'FIELD = "course_id"' in code and 'username_key = f"custom_{FIELD}"' in code
    assert '`username_key = "custom_course_id"`' in readme
    assert "course_id=$Canvas.user.loginId" in readme and "course_id=$User.username" in readme
