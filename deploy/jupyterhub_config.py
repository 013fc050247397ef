"""JupyterHub 6 for one course: nbgrader's "one class, multiple graders" set-up.

- Real local unix users, PAM log-in (JupyterHub's default authenticator), the default
  ``LocalProcessSpawner``: each person's server runs as that person, so the exchange's file
  permissions are the real ones.
- The course folder belongs to a grader account (``grader-<course>``); the formgrader runs as
  that account as a hub service named after the course, at ``/services/<course>/``. The hub
  group ``formgrade-<course>`` (the instructors and TAs) may open it; nobody else can.
- The hub group ``nbgrader-<course>`` holds the students: they see the course in the
  Assignments list, fetch, submit and fetch their feedback.
- nbgrader's exchange is one folder shared by the class (mode 1777), set for every server by
  ``deploy/jupyter/nbgrader_config.py`` through ``JUPYTER_CONFIG_PATH``.

Everything site-specific comes from the environment (``deploy/hub.py`` sets it; defaults in
brackets): COURSE_ID [nn-course], HUB_PORT [8000], HUB_STATE (hub database, cookie secret,
exchange, the grader account's home with the course folder) [/srv/nn-course], HUB_USER_ENV
(the Python environment that every user can run) [/opt/nn-course], HUB_PROXY
(configurable-http-proxy) [build/hub/proxy/...], HUB_GRADER [grader-<course>],
HUB_INSTRUCTORS and HUB_STUDENTS (comma-separated unix user names), HUB_SERVICE_PORT [9999],
HUB_API_PORT [8081], HUB_PROXY_API_PORT [8001]. With LTI13_CLIENT_ID set, students log in
from the LMS (LTI 1.3) instead: ``deploy/lti13_config.py``.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (injected by traitlets)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COURSE = os.environ.get("COURSE_ID", "nn-course")
GRADER = os.environ.get("HUB_GRADER", f"grader-{COURSE}")  # the account that owns the course
STATE = Path(os.environ.get("HUB_STATE", f"/srv/{COURSE}"))
USER_ENV = Path(os.environ.get("HUB_USER_ENV", f"/opt/{COURSE}"))
PROXY = os.environ.get(
    "HUB_PROXY", str(REPO / "build/hub/proxy/node_modules/.bin/configurable-http-proxy"))
INSTRUCTORS = [u for u in os.environ.get("HUB_INSTRUCTORS", "").split(",") if u]
STUDENTS = [u for u in os.environ.get("HUB_STUDENTS", "").split(",") if u]
SERVICE_PORT = int(os.environ.get("HUB_SERVICE_PORT", "9999"))
GRADER_HOME = STATE / GRADER          # the grader account's home (mode 0700)
COURSE_DIR = GRADER_HOME / COURSE     # the course folder, as in nbgrader's demos

# --- network: everything on 127.0.0.1 (put a TLS-terminating reverse proxy in front) ------
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [PROXY]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- people ---------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"  # the unix accounts and their passwords
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.Authenticator.admin_users = set()
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": INSTRUCTORS},
    f"nbgrader-{COURSE}": {"users": STUDENTS},
}
c.JupyterHub.load_roles = [
    {   # instructors and TAs: the formgrader service of the course, nothing else of anyone
        "name": f"formgrade-{COURSE}",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [f"access:services!service={COURSE}", "list:services",
                   f"read:services!service={COURSE}"],
    },
    {   # students: they may see that the course exists (nbgrader's course list)
        "name": f"nbgrader-{COURSE}",
        "groups": [f"nbgrader-{COURSE}"],
        "scopes": ["list:services", f"read:services!service={COURSE}"],
    },
    {   # a server's own token carries its owner's scopes (nbgrader's course list needs them)
        "name": "server",
        "scopes": ["inherit"],
    },
]

# --- the servers: one per person, as that person, from an environment all users can run ----
USER_PATH = f"{USER_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin"
COMMON_ENV = {
    "PATH": USER_PATH,
    "JUPYTER_CONFIG_PATH": str(HERE / "jupyter"),
    "COURSE_ID": COURSE,
    "COURSE_EXCHANGE": str(STATE / "exchange"),
}
c.Spawner.cmd = [str(USER_ENV / "bin" / "python"), "-m", "jupyterhub.singleuser"]
c.Spawner.environment = dict(COMMON_ENV)


def student_view(spawner):
    """A student's server: no Formgrader, Create Assignment or Course List (the instructor's
    nbgrader UI), as on Binder: ``deploy/jupyter-student`` links Binder's two settings files
    and comes first on JUPYTER_CONFIG_PATH; the Assignment List and Validate stay."""
    if spawner.user.name not in INSTRUCTORS:
        config_path = os.pathsep.join([str(HERE / "jupyter-student"), str(HERE / "jupyter")])
        spawner.environment = dict(spawner.environment, JUPYTER_CONFIG_PATH=config_path)


c.Spawner.pre_spawn_hook = student_view
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 90

# --- the formgrader: the grader account's server, a hub service named after the course -----
c.JupyterHub.services = [
    {
        "name": COURSE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [str(USER_ENV / "bin" / "python"), "-m", "jupyterhub.singleuser",
                    f"--ServerApp.root_dir={COURSE_DIR}"],
        "user": GRADER,
        "cwd": str(COURSE_DIR),
        "oauth_no_confirm": True,
        "environment": dict(COMMON_ENV, JUPYTERHUB_DEFAULT_URL="/lab/tree/README.md",
                            HOME=str(GRADER_HOME)),
    },
]

# --- optional: students log in from the LMS (LTI 1.3) instead of PAM -------------------------
if os.environ.get("LTI13_CLIENT_ID"):
    load_subconfig(str(HERE / "lti13_config.py"))  # noqa: F821 (injected by traitlets)
