"""A local LTI 1.3 platform (the LMS's side of a launch) for tests/integration/test_lti.py.

Built on ``lti1p3platform`` 0.1.8: its registration, OIDC login initiation and message launch
(the RS256-signed id_token with the LTI claims) play the platform; this module adds what a web
framework would (a request from the query string, the auto-submitting form_post page), the
checks an LMS makes on the tool's authorization request, and the tampering the tests need
(another key, other claims, another nonce). :class:`Platform` serves its JWKS (``/jwks``) and
its authorization endpoint (``/authorize``) from 127.0.0.1; :class:`Launch` is what it sends
for one login_hint, as Canvas sends it for a student.
"""

import html
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.exceptions import PreflightRequestValidationException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import MessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

ISSUER = "https://lms.example.edu"      # an issuer is only compared, never fetched
CLIENT_ID = "10000000000042"
DEPLOYMENT_ID = "42:8865aa05b4b79b64a91a86042e43af5ea8ae79eb"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
RESOURCE_LINK = "f6bfa2a5-rl-01"
# the OIDC authentication request a tool must send (IMS Security Framework 1.0, 5.1.1.2)
AUTH_REQUEST = {"response_type": "id_token", "scope": "openid", "response_mode": "form_post",
                "prompt": "none", "client_id": CLIENT_ID, "lti_message_hint": RESOURCE_LINK}


def _key_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


# ------------------------------------------------------------------ the LMS (the platform)


@dataclass
class Launch:
    """What the LMS sends for one login_hint: the user, the custom fields, and tampering."""

    sub: str = "a6b2c1d0-5f3e-4b7a-9c8d-1e2f3a4b5c6d"   # Canvas's opaque user id
    custom: dict = field(default_factory=lambda: {"course_id": "Ada.Lovelace"})
    claims: dict = field(default_factory=dict)   # claims replaced after signing's set-up
    key: str = "own"            # "own", "other" (own kid), "other-same-kid" (the LMS's kid)
    nonce: str | None = None    # a nonce the platform signs instead of the tool's


class _Registration(Registration):
    """A registration whose kid can be set: a forger who signs with another key under the
    LMS's published kid."""

    kid = None

    def get_kid(self):
        return self.kid or super().get_kid()


class _PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, registration):
        self._registration = registration

    def get_registration_by_params(self, **kwargs):
        return self._registration


class _Request(Request):
    def build_metadata(self, request):
        return {"method": "GET", "form_data": {}, "get_data": request, "headers": {},
                "content_type": None, "path": "/authorize", "json": None}


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return url


class _MessageLaunch(MessageLaunchAbstract):
    """An LtiResourceLinkRequest as Canvas sends it for a student of the course."""

    def __init__(self, request, conf, launch, redirect_uri):
        super().__init__(request, conf)
        self.launch, self.redirect_uri = launch, redirect_uri

    def prepare_launch(self, preflight_response):
        """The claims of the launch, after the checks an LMS makes on the tool's request."""
        expected = dict(AUTH_REQUEST, redirect_uri=self.redirect_uri)
        wrong = {k: preflight_response.get(k) for k, v in expected.items()
                 if preflight_response.get(k) != v}
        if wrong:
            raise PreflightRequestValidationException(f"authorization request: {wrong}")
        self.set_user_data(self.launch.sub, [LEARNER], full_name="Ada Lovelace",
                           email_address="ada@example.edu")
        self.set_resource_link_claim(RESOURCE_LINK, title="01 Perceptron")
        self.set_launch_context_claim("4dde05e8ca19", ["http://purl.imsglobal.org/vocab/lis/"
                                                       "v2/course#CourseOffering"],
                                      "Neural networks", "NN")
        self.set_launch_presentation_claim("window")
        self.set_custom_parameters_claim(self.launch.custom)
        self.set_extra_claims(self.launch.claims)

    def render_launch_form(self, launch_data, **kwargs):
        fields = "".join(f'<input type="hidden" name="{k}" value="{html.escape(launch_data[k])}">'
                         for k in ("id_token", "state"))
        return (f'<form method="post" action="{html.escape(launch_data["launch_url"])}">'
                f"{fields}</form><script>document.forms[0].submit()</script>")


class Platform:
    """The LMS: its key pair, one registration of the hub, a JWKS and an authorization
    endpoint on 127.0.0.1, and the launch it makes for each login_hint."""

    def __init__(self):
        self.private, self.public = _key_pair()
        self.launches = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _platform_handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.hub_url = None
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def registration(self, private=None, kid=None):
        reg = _Registration()
        reg.kid = kid
        return (reg.set_iss(ISSUER).set_client_id(CLIENT_ID).set_deployment_id(DEPLOYMENT_ID)
                .set_launch_url(self.hub_url + "/")
                .set_oidc_login_url(self.hub_url + "/hub/lti13/oauth_login")
                .set_platform_public_key(self.public)
                .set_platform_private_key(private or self.private))

    def initiation(self, launch):
        """The login initiation's parameters for a new launch (what the LMS's page posts)."""
        hint = secrets.token_hex(8)
        self.launches[hint] = launch
        login = _Login(None, _PlatformConf(registration=self.registration()))
        login.set_lti_message_hint(hint=RESOURCE_LINK)
        return dict(parse_qsl(urlsplit(login.initiate_login(hint)).query))

    def authorize(self, args):
        """The authorization response: (status, html form with id_token and state)."""
        launch = self.launches.get(args.get("login_hint"))
        if launch is None:
            return 400, "unknown login_hint"
        if launch.nonce:
            args = dict(args, nonce=launch.nonce)
        other, _ = _key_pair() if launch.key != "own" else (None, None)
        kid = self.registration().get_kid() if launch.key == "other-same-kid" else None
        conf = _PlatformConf(registration=self.registration(other, kid))
        message = _MessageLaunch(_Request(args), conf, launch,
                                 self.hub_url + "/hub/lti13/oauth_callback")
        try:
            return 200, message.lti_launch()
        except PreflightRequestValidationException as err:
            return 400, f"authorization request refused: {err!r}"


def _platform_handler(platform):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            if url.path == "/jwks":
                status, body, kind = 200, json.dumps(
                    {"keys": platform.registration().get_jwks()}), "application/json"
            elif url.path == "/authorize":
                status, body = platform.authorize(dict(parse_qsl(url.query)))
                kind = "text/html"
            else:
                status, body, kind = 404, "not found", "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    return Handler
