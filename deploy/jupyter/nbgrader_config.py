"""nbgrader settings of every user on the course's JupyterHub (students, instructors, grader).

The hub points every single-user server and the formgrader service at this folder with
``JUPYTER_CONFIG_PATH`` (deploy/jupyterhub_config.py), the role of nbgrader's
``/etc/jupyter/nbgrader_config.py`` in its "one class, multiple graders" set-up:

- the course id, so students see the course without picking one;
- the exchange, a folder shared by the whole class (``COURSE_EXCHANGE``; mode 1777: writable
  by all, sticky, nbgrader #1856);
- a submission that only the grader can read. nbgrader's own ``submit`` leaves the handed-in
  files world-readable (mode 0644 in a folder of mode 0777 inside ``inbound/``) and relies on
  the random folder name; ``PrivateSubmit`` closes them to the others: files 0640 and folders
  0770 with the group of ``inbound/`` (the grader account's group, set-gid by nbgrader's
  release), so the grader collects and deletes them and no other student reads them.
"""

import os
import shutil
from stat import S_IMODE

from nbgrader.exchange.default import ExchangeSubmit

c = get_config()  # noqa: F821 (injected by traitlets)

c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "nn-course")
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, then the submission closed to everyone but the grader's group."""

    def copy_files(self):
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        group = os.stat(self.inbound_path).st_gid
        for folder, dirs, files in os.walk(dest):
            for name in files:
                path = os.path.join(folder, name)
                if os.stat(path).st_gid != group:
                    _regroup(path, self.inbound_path)
                os.chmod(path, 0o640)
            for name in dirs:
                os.chmod(os.path.join(folder, name), 0o770)
        os.chmod(dest, 0o770)
        self.log.info("Submission readable by the graders only (mode %o)",
                      S_IMODE(os.stat(dest).st_mode))


def _regroup(path, inbound):
    """Give ``path`` the group of ``inbound`` (set-gid), which its owner cannot chgrp to.

    nbgrader writes timestamp.txt after copying the mode of the student's folder onto the
    submission folder, which clears its set-gid bit: that file gets the student's group. A copy
    made in inbound/ itself gets the right group, and a rename keeps it.
    """
    tmp = os.path.join(inbound, f".{os.getpid()}-{os.path.basename(path)}")
    shutil.copyfile(path, tmp)
    os.rename(tmp, path)


c.ExchangeFactory.submit = PrivateSubmit
