"""Jupyter server settings of every server on the course's hub (read through JUPYTER_CONFIG_PATH).

A terminal starts a login shell by default, and Debian's /etc/profile then resets PATH, so
`python` and `nbgrader` in a terminal would not be the course's. An interactive, non-login
bash keeps the PATH the hub gave the server (the course environment first).
"""

c = get_config()  # noqa: F821 (injected by traitlets)

c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash", "-i"]}

# The formgrader's guard (course_grader.formgrader_guard): a Content-Security-Policy on the
# grading pages and sanitized Markdown, so that no script of a student's runs in the
# instructor's browser; `make setup` enables it the same way for `make lab`.
c.ServerApp.jpserver_extensions.update({"course_grader.formgrader_guard": True})
