"""The sandbox that every graded kernel and every judge process runs in: bubblewrap.

A submission's code sees a read-only system and Python environment, a scratch copy of its own
submission folder (read-write, thrown away afterwards), the MNIST cache (read-only) and nothing
else: no course folder (``notebooks/``, ``release/``, ``submitted/``, ``autograded/``,
``feedback/``, gradebook, exchange, ``nbgrader_config.py``), no home, no ``/tmp`` of the host and
no network. Limits: address space (``COURSE_SANDBOX_MEMORY_MB``, default 3072), file size
(``COURSE_SANDBOX_FSIZE_MB``, 256), open files, and processes (``COURSE_SANDBOX_NPROC``, 256:
a pids cgroup when the grader runs as root, whom ``RLIMIT_NPROC`` does not bind, else
``RLIMIT_NPROC``).

Everything the submission can write is memory of a known size, counted in its budget: the
scratch copy (``COURSE_SANDBOX_SCRATCH_MB``, 256), ``/tmp`` (``COURSE_SANDBOX_TMP_MB``, 256)
and the home (64) are tmpfs mounts of those sizes, the scratch filled from a read-only bind of
the grader's copy when the sandbox starts. The one host folder it can write is the socket
folder of the kernel's IPC transport; a watchdog removes every file there that is not a
socket or the connection file, and the sandbox reports it (:attr:`Sandbox.violations`). So a
sandbox holds at most its address space plus 576 MiB of tmpfs by default.

``COURSE_SANDBOX=off`` grades without a sandbox and warns on every run; without ``bwrap``
grading refuses (:func:`require_sandbox`).

Traps measured here (bubblewrap 0.8): the kernel must use the IPC transport (TCP fails once the
network is unshared); ipykernel exits in a new PID namespace unless ``JPY_PARENT_PID`` is unset.
"""

import os
import shutil
import stat
import sys
import sysconfig
import tempfile
import threading
import uuid
import warnings
from pathlib import Path

import course_lib
from course_lib.data.mnist import default_cache_dir

from .course import megabytes
from .library_copy import write_library_copy

__all__ = ["SandboxUnavailable", "Sandbox", "sandbox_enabled", "require_sandbox",
           "INSIDE_WORK", "INSIDE_MNIST"]

INSIDE_WORK = "/home/student/submission"
INSIDE_MNIST = "/data/mnist"
HANDED_IN = "/run/handed-in"  # the grader's copy, read-only: the scratch tmpfs starts as it
HOME_MB = 64
_ETC = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "passwd", "group", "nsswitch.conf",
        "localtime", "alternatives", "fonts", "mime.types", "hosts"]
_PASS_ENV = ["COURSE_QUICK", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
             "OMP_NUM_THREADS", "MKL_NUM_THREADS", "LANG", "LC_ALL"]
_CGROUP_PIDS = Path("/sys/fs/cgroup/pids")


class SandboxUnavailable(RuntimeError):
    """Grading was asked for with a sandbox, and bubblewrap is not installed."""


def sandbox_enabled():
    """True unless ``COURSE_SANDBOX=off``; then warn (on every call) that grading is unsafe."""
    if os.environ.get("COURSE_SANDBOX", "on").strip().lower() in ("off", "0", "no", "false"):
        warnings.warn("COURSE_SANDBOX=off: student code runs WITHOUT a sandbox, with the "
                      "grader's rights over every file it can reach, and with course_lib's "
                      "taught functions NOT switched off (an answer that calls them scores; "
                      "the review still flags it). Only for trusted notebooks.", stacklevel=2)
        return False
    return True


def require_sandbox():
    """The path of ``bwrap``, or :class:`SandboxUnavailable` with the one line that fixes it."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(
            "Grading runs every submission in a bubblewrap sandbox, and `bwrap` is not "
            "installed: run `apt-get install bubblewrap` (or set COURSE_SANDBOX=off, unsafe).")
    return path


# what the judge's probe needs of the grader: nothing else of course_grader enters a sandbox
PROBE_MODULES = ("__init__.py", "variants.py", "judge/__init__.py", "judge/api.py",
                 "judge/wire.py", "judge/probe.py")


def _python_paths():
    """Folders the course's Python needs: its prefixes, site-packages and course_lib."""
    paths = {sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(course_lib.__file__).resolve().parent)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_paths()[key])
    for entry in sys.path:
        if entry and os.path.isdir(entry) and "site-packages" in entry:
            paths.add(entry)
    real = {str(Path(p).resolve()) for p in paths} | paths
    # parents first, so that a bind inside an earlier bind is not hidden by it
    return sorted(p for p in real if os.path.isdir(p))


def _mnist_dir():
    folder = Path(default_cache_dir())
    return folder if folder.is_dir() else None


class Sandbox:
    """One sandbox: a scratch folder (the submission's copy) and a runtime folder (sockets).

    Parameters
    ----------
    source : path, optional
        A folder whose files are copied into the scratch folder (the submission's folder).
    memory, fsize : int, optional
        Limits in bytes (default from ``COURSE_SANDBOX_MEMORY_MB`` / ``COURSE_SANDBOX_FSIZE_MB``).
    nproc : int, optional
        At most this many processes and threads (default ``COURSE_SANDBOX_NPROC`` or 256).
    switched_off : list of str, optional
        course_lib functions and classes that raise "write it yourself" in this sandbox: the
        sandbox gets its own read-only copy of course_lib with their bodies replaced
        (:func:`~course_grader.library_copy.write_library_copy`).
    student_id : str, optional
        The student whose submission runs here: ``COURSE_STUDENT`` inside, so the variants
        draw that student's numbers.
    probe : bool, default False
        The judge's probe runs here: the sandbox gets a copy of the grader's
        :data:`PROBE_MODULES`, and nothing else of course_grader.

    Use as a context manager; :meth:`argv` wraps a command. Leaving the context deletes the
    scratch folder, so nothing the submission wrote survives.
    """

    def __init__(self, source=None, memory=None, fsize=None, nproc=None, switched_off=(),
                 student_id=None, probe=False):
        self.bwrap = require_sandbox()
        self.memory = memory or megabytes("COURSE_SANDBOX_MEMORY_MB", 3072)
        self.fsize = fsize or megabytes("COURSE_SANDBOX_FSIZE_MB", 256)
        self.scratch = megabytes("COURSE_SANDBOX_SCRATCH_MB", 256)
        self.tmp = megabytes("COURSE_SANDBOX_TMP_MB", 256)
        self.nproc = nproc or int(os.environ.get("COURSE_SANDBOX_NPROC", "256"))
        self.root = Path(tempfile.mkdtemp(prefix="course-sandbox-"))
        self.work = self.root / "work"
        self.runtime = self.root / "runtime"
        self.runtime.mkdir()
        if source is not None:
            shutil.copytree(source, self.work, symlinks=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            self.work.mkdir()
        self.cgroup = self._make_cgroup()
        self.student_id = student_id
        self.library = None
        if switched_off:
            self.library = write_library_copy(self.root / "course_lib", switched_off)
        self.grader = self._copy_probe() if probe else None
        self.violations = []  # what the watchdog removed from the socket folder
        self._before = None  # the socket folder's entries when argv was built
        self._closed = threading.Event()
        threading.Thread(target=self._watch_runtime, daemon=True).start()

    def _watch_runtime(self, every=0.25):
        """Remove from the socket folder every entry that is not a socket and was not there
        when the sandbox's command was built (the connection file)."""
        while not self._closed.wait(every):
            if self._before is None:
                continue
            try:
                entries = list(os.scandir(self.runtime))
            except OSError:
                return
            for entry in entries:
                try:
                    if entry.name in self._before or stat.S_ISSOCK(
                            entry.stat(follow_symlinks=False).st_mode):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                except OSError:
                    continue
                self.violations.append(f"wrote {entry.name[:60]!r} into its socket folder "
                                       "(removed)")

    def _copy_probe(self):
        here, dest = Path(__file__).resolve().parent, self.root / "course_grader"
        for rel in PROBE_MODULES:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(here / rel, dest / rel)
        return dest

    def _make_cgroup(self):
        if os.geteuid() != 0 or not os.access(_CGROUP_PIDS, os.W_OK):
            return None
        group = _CGROUP_PIDS / "course-grading" / uuid.uuid4().hex[:12]
        try:
            group.mkdir(parents=True)
            (group / "pids.max").write_text(str(self.nproc))
        except OSError:
            return None
        return group

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Remove the scratch folder and the process group."""
        self._closed.set()
        shutil.rmtree(self.root, ignore_errors=True)
        if self.cgroup is not None:
            procs = self.cgroup / "cgroup.procs"
            try:
                for pid in procs.read_text().split():
                    os.kill(int(pid), 9)
            except (OSError, ValueError):
                pass
            try:
                self.cgroup.rmdir()
            except OSError:
                pass

    def inside(self, path):
        """The path inside the sandbox of a path in the scratch folder."""
        rel = Path(path).resolve().relative_to(self.work.resolve())
        return str(Path(INSIDE_WORK) / rel)

    def _binds(self):
        args = []
        for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64"):
            host = Path("/") / name
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), str(host)]
            elif host.is_dir():
                args += ["--ro-bind", str(host), str(host)]
        for name in _ETC:
            host = Path("/etc") / name
            if host.exists():
                args += ["--ro-bind", str(host), str(host)]
        for path in _python_paths():
            args += ["--ro-bind", path, path]
        if self.library is not None:  # after the Python paths, so it hides the original
            package = str(Path(course_lib.__file__).resolve().parent)
            args += ["--ro-bind", str(self.library), package]
        if self.grader is not None:  # where the editable install looks for course_grader
            args += ["--ro-bind", str(self.grader), str(Path(__file__).resolve().parent)]
        mnist = _mnist_dir()
        if mnist is not None:
            args += ["--ro-bind", str(mnist), INSIDE_MNIST]
        return args

    def _env(self):
        env = {"HOME": "/home/student", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
               "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "PYTHONDONTWRITEBYTECODE": "1",
               "COURSE_MNIST_DIR": INSIDE_MNIST, "NBGRADER_EXECUTION": "autograde",
               "COURSE_SANDBOXED": "1"}
        env.update({k: os.environ[k] for k in _PASS_ENV if k in os.environ})
        if self.student_id is not None:
            env["COURSE_STUDENT"] = str(self.student_id)
        args = ["--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return args

    def argv(self, command):
        """``command`` (a list) wrapped in bubblewrap and the limits."""
        self._before = {entry.name for entry in os.scandir(self.runtime)}
        limits = ["prlimit", f"--as={self.memory}", f"--fsize={self.fsize}", "--nofile=512",
                  "--core=0"]
        if self.cgroup is None:
            limits.append(f"--nproc={self.nproc}")
        inner = [
            self.bwrap, "--unshare-user", "--unshare-ipc", "--unshare-uts", "--unshare-pid",
            "--unshare-net", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            # empty /tmp and /home first: the binds after them may lie inside (a course, its
            # venv or the MNIST cache under /tmp or /home stays visible, nothing else there)
            "--size", str(self.tmp), "--tmpfs", "/tmp",
            "--size", str(HOME_MB * 2**20), "--tmpfs", "/home",
            "--dev", "/dev", "--proc", "/proc",
            *self._binds(),
            "--dir", "/home/student",
            "--size", str(self.scratch), "--tmpfs", INSIDE_WORK,
            "--ro-bind", str(self.work), HANDED_IN,
            "--bind", str(self.runtime), str(self.runtime),
            "--chdir", INSIDE_WORK,
            *self._env(),
            # the scratch tmpfs starts as the grader's copy (what does not fit is left out)
            "--", "/bin/sh", "-c", f'cp -R {HANDED_IN}/. {INSIDE_WORK}/ 2>/dev/null; '
                                   'exec "$@"', "sandbox", *limits, "--", *command,
        ]
        if self.cgroup is None:
            return inner
        # join the pids cgroup before bwrap starts, so every process inside counts
        procs = self.cgroup / "cgroup.procs"
        return ["/bin/sh", "-c", f'echo $$ > "{procs}" && exec "$@"', "sandbox", *inner]
