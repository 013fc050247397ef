"""Optional: students log in to the hub from the LMS with LTI 1.3 instead of PAM.

``jupyterhub_config.py`` loads this file when ``LTI13_CLIENT_ID`` is set;
``tests/integration/test_lti.py`` launches the hub with it from a local LTI 1.3 platform.
jupyterhub-ltiauthenticator 1.6 makes the hub the LMS's tool; :class:`CourseLTI13Authenticator`
adds what the course needs:

- the hub user name (nbgrader's student id, the unix account, the exchange's folder names) is
  the custom field ``course_id`` of the launch, which the LMS fills in (Canvas:
  ``course_id=$Canvas.user.loginId``, Moodle: ``course_id=$User.username``). A launch without
  it is refused: jupyterhub-ltiauthenticator would log the student in as the opaque ``sub``;
- a value that is no course student id (``course_grader.course.STUDENT_ID``: it becomes a
  folder name; ``a/b``, ``..``) is refused with a message that says so;
- a student id that is not on the course's list (``HUB_STUDENTS``, ``HUB_INSTRUCTORS``) is
  refused with a message that names it;
- an id_token is taken once: the same launch posted again (its nonce) is refused, where
  jupyterhub-ltiauthenticator alone accepts it again while the state cookie is kept (1 day).

Who may log in stays ``HUB_STUDENTS`` and ``HUB_INSTRUCTORS`` (``jupyterhub_config.py``).
Environment (defaults in brackets: Instructure's Canvas Cloud): LTI13_CLIENT_ID (the LMS's
registration of the hub; several separated by commas), LTI13_ISSUER
[https://canvas.instructure.com], LTI13_AUTHORIZE_URL
[https://sso.canvaslms.com/api/lti/authorize_redirect], LTI13_JWKS_URL
[https://sso.canvaslms.com/api/lti/security/jwks].
"""

import os
import time

from ltiauthenticator.lti13.auth import LTI13Authenticator
from ltiauthenticator.lti13.constants import LTI13_CUSTOM_CLAIM
from ltiauthenticator.lti13.error import LoginError
from tornado.web import HTTPError
from traitlets import Dict

from course_grader.course import STUDENT_ID

c = get_config()  # noqa: F821 (injected by traitlets)

FIELD = "course_id"       # the launch's custom field that holds the student id
REMEMBER_SECONDS = 3600   # a nonce is kept longer than any id_token is accepted (max_age 600 s)
FIELD_HELP = (f"Add the custom field {FIELD}=$Canvas.user.loginId (Canvas) or "
              f"{FIELD}=$User.username (Moodle) to the tool in the LMS.")


class CourseLTI13Authenticator(LTI13Authenticator):
    """LTI 1.3 log-in as the course's student id, each launch taken once."""

    seen_nonces = Dict(help="the nonce of each launch taken in the last REMEMBER_SECONDS: time")

    def get_username(self, token):
        """The student id from the launch's custom field ``course_id``.

        Parameters
        ----------
        token : dict
            The verified id_token of the launch.

        Returns
        -------
        str
            The student id (JupyterHub lowercases it afterwards).

        Raises
        ------
        LoginError
            If the field is missing or its value is no course student id (shown to the
            student on the hub's error page).
        """
        value = (token.get(LTI13_CUSTOM_CLAIM) or {}).get(FIELD)
        if not isinstance(value, str) or not value:
            raise LoginError(f"The LMS sent no student id (custom field {FIELD!r}). "
                             + FIELD_HELP)
        if not STUDENT_ID.fullmatch(value):
            raise LoginError(
                f"The LMS sent the student id {value[:80]!r}, which is not a course student id "
                "(1 to 64 letters, digits, '.', '_', '@' or '-', not starting with '.'). "
                + ("The LMS did not fill in the variable: " + FIELD_HELP
                   if value.startswith("$") else "Ask the instructor to check it."))
        return value

    async def authenticate(self, handler, data=None):
        """The log-in of a verified launch, refused when its nonce was seen before."""
        nonce = (data or {}).get("nonce")
        seen = self.seen_nonces
        now = time.time()
        for old in [n for n, t in seen.items() if now - t > REMEMBER_SECONDS]:
            del seen[old]
        if not nonce or nonce in seen:
            raise LoginError("This launch was used already. Open the tool again from the LMS.")
        seen[nonce] = now
        return await super().authenticate(handler, data)

    def check_allowed(self, username, authentication=None):
        """True for a name on the course's list; otherwise a 403 that says why (JupyterHub's
        own answer is "User missing or null")."""
        if super().check_allowed(username, authentication):
            return True
        raise HTTPError(403, f"{username!r} is not on this course's list of students "
                             "(HUB_STUDENTS) or instructors. Ask the instructor to add you.")


c.JupyterHub.authenticator_class = CourseLTI13Authenticator
c.LTI13Authenticator.client_id = {x.strip() for x in os.environ["LTI13_CLIENT_ID"].split(",")
                                  if x.strip()}
c.LTI13Authenticator.issuer = os.environ.get("LTI13_ISSUER", "https://canvas.instructure.com")
c.LTI13Authenticator.authorize_url = os.environ.get(
    "LTI13_AUTHORIZE_URL", "https://sso.canvaslms.com/api/lti/authorize_redirect")
c.LTI13Authenticator.jwks_endpoint = os.environ.get(
    "LTI13_JWKS_URL", "https://sso.canvaslms.com/api/lti/security/jwks")
c.LTI13Authenticator.username_key = f"custom_{FIELD}"  # what get_username reads
