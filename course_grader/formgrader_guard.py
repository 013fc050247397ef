"""A Jupyter server extension that keeps a student's script out of the instructor's browser.

nbgrader's formgrader renders a student's autograded notebook inside a page of the
instructor's Jupyter server, where a script would act with the instructor's session (read the
solutions through the contents API, set its own grades, write ``nbgrader_config.py``). The
notebook's outputs are already inert (:mod:`course_grader.inert`); this extension is the
second wall, on every response of the server:

- the formgrader renders Markdown through :func:`~course_grader.inert.sanitized_markdown`
  (:class:`SanitizingExporter`; nbgrader's formgrade template has no sanitizing branch), so a
  Markdown answer's ``<script>``, event handlers, ``javascript:`` links, iframes and forms are
  removed;
- a submission page (``/formgrader/submissions/ID/``) gets a Content-Security-Policy whose
  ``script-src`` is a nonce given to the page's own scripts, the ones in its ``<head>``
  (nbgrader's template), and to nothing in its body (the student's notebook): an inline
  script or event handler of the student never runs, and neither does a script file of the
  submission folder;
- files of a submission (``/formgrader/submissions/ID/PATH``) and the course's ``submitted/``,
  ``autograded/`` and ``feedback/`` files (``/files/...``) are served with
  ``Content-Security-Policy: sandbox``: an HTML file a student handed in opens without script
  and without the server's origin;
- every other formgrader page gets ``object-src 'none'; base-uri 'self'; frame-ancestors
  'self'`` (its own inline scripts, nbgrader's, still run: they show no student content).

Enabled by ``jupyter_server_config.d/course_grader.json`` (``make setup`` installs it into the
course environment) and by ``deploy/jupyter/jupyter_server_config.py`` on the hub.
"""

import re
import secrets

from nbconvert.exporters import HTMLExporter
from tornado.web import OutputTransform
from traitlets import Bool, Dict

from .inert import MARKDOWN_FILTER

__all__ = ["GuardTransform", "SanitizingExporter", "policy_for", "STUDENT_FILES"]

STUDENT_FILES = ("submitted", "autograded", "feedback")
_SUBMISSION_PAGE = re.compile(r"/formgrader/submissions/[^/]+/?$")
_SUBMISSION_FILE = re.compile(r"/formgrader/submissions/[^/]+/.+")
_STUDENT_FILE = re.compile(r"/files/(?:.*/)?(?:" + "|".join(STUDENT_FILES) + r")/")
_HEAD_SCRIPT = re.compile(rb"<script\b", re.IGNORECASE)
_BASE = "object-src 'none'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'"


def policy_for(path, nonce):
    """The Content-Security-Policy for a response to ``path`` (None: not the guard's).

    Parameters
    ----------
    path : str
        The request's path, after the server's base URL.
    nonce : str
        The nonce of this response's own scripts.

    Returns
    -------
    str or None

    Examples
    --------
    >>> policy_for("/formgrader/submissions/abc/", "N")[:22]
    "script-src 'nonce-N'; "
    >>> policy_for("/formgrader/submissions/abc/evil.html", "N")
    'sandbox'
    >>> policy_for("/files/course/submitted/ada/01/x.html", "N")
    'sandbox'
    >>> policy_for("/lab/tree/README.md", "N") is None
    True
    """
    if _SUBMISSION_PAGE.search(path):
        return f"script-src 'nonce-{nonce}'; style-src 'self' 'unsafe-inline' data:; {_BASE}"
    if _SUBMISSION_FILE.search(path) or _STUDENT_FILE.search(path):
        return "sandbox"
    if "/formgrader/" in path or path.endswith("/formgrader"):
        return _BASE
    return None


def _with_nonce(html, nonce):
    """``html`` with ``nonce`` on every ``<script`` before ``</head>`` (nbgrader's own)."""
    end = html.lower().find(b"</head>")
    if end < 0:
        return html
    head = _HEAD_SCRIPT.sub(b'<script nonce="' + nonce.encode() + b'"', html[:end])
    return head + html[end:]


class SanitizingExporter(HTMLExporter):
    """The formgrader's HTMLExporter (same configuration) with sanitized Markdown."""

    sanitize_html = Bool(True)
    filters = Dict(MARKDOWN_FILTER)


def _sanitize_formgrader(settings):
    """Replace the formgrader's exporter (once) by a :class:`SanitizingExporter`."""
    exporter = settings.get("nbgrader_exporter")
    if exporter is not None and not isinstance(exporter, SanitizingExporter):
        settings["nbgrader_exporter"] = SanitizingExporter(config=exporter.config)


class GuardTransform(OutputTransform):
    """Adds the guard's header to each response (and the nonce to a submission page)."""

    webapp = None  # set when the extension loads

    def __init__(self, request):
        super().__init__(request)
        self.path = request.path
        self.nonce = secrets.token_urlsafe(16)
        if self.webapp is not None and "/formgrader/" in self.path:
            _sanitize_formgrader(self.webapp.settings)  # before the handler renders

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        """Set the policy; on a whole submission page, give nbgrader's scripts the nonce."""
        policy = policy_for(self.path, self.nonce)
        if policy is not None:
            if policy.startswith("script-src") and finishing:
                chunk = _with_nonce(chunk, self.nonce)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(len(chunk))
            headers["Content-Security-Policy"] = policy
            headers["X-Content-Type-Options"] = "nosniff"
        return status_code, headers, chunk


def _jupyter_server_extension_points():
    return [{"module": "course_grader.formgrader_guard"}]


def _load_jupyter_server_extension(serverapp):
    GuardTransform.webapp = serverapp.web_app
    serverapp.web_app.add_transform(GuardTransform)
    serverapp.log.info("course_grader.formgrader_guard: student content is inert in the "
                       "formgrader")
