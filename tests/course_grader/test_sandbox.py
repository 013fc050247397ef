"""The bubblewrap sandbox: its command line, its refusal without bwrap, and (with bwrap) what
a sandboxed Python can and cannot reach."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import course_lib
from course_grader import sandbox as sandbox_module
from course_grader.sandbox import (
    HANDED_IN,
    INSIDE_MNIST,
    INSIDE_WORK,
    PROBE_MODULES,
    Sandbox,
    SandboxUnavailable,
    require_sandbox,
    sandbox_enabled,
)

ROOT = Path(__file__).resolve().parents[2]
HAS_BWRAP = shutil.which("bwrap") is not None
needs_bwrap = pytest.mark.skipif(not HAS_BWRAP,
                                 reason="bubblewrap not installed: apt-get install bubblewrap")


@pytest.fixture
def box(monkeypatch):
    """A Sandbox whose bwrap need not exist: only its command line is looked at."""
    if not HAS_BWRAP:
        monkeypatch.setattr(sandbox_module.shutil, "which", lambda name: f"/usr/bin/{name}")
    with Sandbox() as sb:
        yield sb


def _binds(argv):
    return [(argv[i + 1], argv[i + 2]) for i, a in enumerate(argv)
            if a in ("--bind", "--ro-bind")]


def test_argv_unshares_the_network_and_the_pids_and_dies_with_the_grader(box):
    argv = box.argv(["python", "-c", "pass"])
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-user", "--die-with-parent",
                 "--clearenv"):
        assert flag in argv
    assert argv[-3:] == ["python", "-c", "pass"]
    assert f"--as={box.memory}" in argv and "--core=0" in argv
    assert (str(box.work), HANDED_IN) in _binds(argv)  # read-only: the scratch starts as it
    for size, mount in [(box.scratch, INSIDE_WORK), (box.tmp, "/tmp")]:
        at = argv.index(mount)
        assert argv[at - 1] == "--tmpfs" and argv[at - 3:at - 1] == ["--size", str(size)]


def test_argv_binds_neither_the_course_nor_root_s_home(box):
    python = [Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                          sys.base_exec_prefix)]
    python.append(Path(course_lib.__file__).resolve().parent)
    mnist = sandbox_module._mnist_dir()
    for src, dest in _binds(box.argv(["true"])):
        path = Path(src).resolve()
        assert not ROOT.is_relative_to(path), f"{src} exposes the course folder {ROOT}"
        assert path != Path("/root"), "root's home is bound"
        private = path.is_relative_to(ROOT) or path.is_relative_to("/root")
        allowed = any(path.is_relative_to(p) for p in python) or (
            mnist is not None and path == mnist.resolve() and dest == INSIDE_MNIST)
        assert not private or allowed, f"{src} -> {dest} is bound into the sandbox"
    names = {Path(src).name for src, _ in _binds(box.argv(["true"]))}
    assert not names & {"notebooks", "submitted", "autograded", "feedback", "gradebook.db",
                        "nbgrader_config.py", "release", "exchange"}


def test_require_sandbox_names_the_fix(monkeypatch):
    monkeypatch.setattr(sandbox_module.shutil, "which", lambda name: None)
    with pytest.raises(SandboxUnavailable, match="`apt-get install bubblewrap`"):
        require_sandbox()
    with pytest.raises(SandboxUnavailable):
        Sandbox()


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false"])
def test_sandbox_off_warns(monkeypatch, value):
    monkeypatch.setenv("COURSE_SANDBOX", value)
    with pytest.warns(UserWarning, match="COURSE_SANDBOX=off: student code runs WITHOUT"):
        assert sandbox_enabled() is False


def test_sandbox_on_by_default(monkeypatch):
    monkeypatch.delenv("COURSE_SANDBOX", raising=False)
    assert sandbox_enabled() is True


@pytest.mark.parametrize("value, words", [("lots", "must be a whole number of MiB, got 'lots'"),
                                          ("0", "must be positive, got 0")])
def test_memory_limit_must_be_a_positive_number(monkeypatch, value, words):
    monkeypatch.setenv("COURSE_SANDBOX_MEMORY_MB", value)
    with pytest.raises(ValueError, match=f"^COURSE_SANDBOX_MEMORY_MB {words}"):
        Sandbox()


def test_leaving_the_context_removes_the_scratch_folder(tmp_path, box):
    (box.work / "x.txt").write_text("a student's file")
    assert box.inside(box.work / "x.txt") == f"{INSIDE_WORK}/x.txt"
    box.close()
    assert not box.root.exists()


def _run_inside(code, source=None):
    with Sandbox(source=source) as sb:
        return subprocess.run(sb.argv([sys.executable, "-c", code]), capture_output=True,
                              text=True, timeout=60)


_FILL = ("import os\nwritten = 0\ntry:\n    for i in range(96):\n"
         "        with open(os.path.join({where!r}, f'f{{i}}'), 'wb') as f:\n"
         "            f.write(b'x' * 2**20)\n        written += 1\n"
         "except OSError as err:\n    print('stopped', err.errno)\nprint(written)\n")


@needs_bwrap
@pytest.mark.parametrize("where, variable", [("/tmp", "COURSE_SANDBOX_TMP_MB"),
                                             (".", "COURSE_SANDBOX_SCRATCH_MB"),
                                             ("/home/student", None)])
def test_inside_what_a_submission_writes_is_capped(monkeypatch, where, variable):
    """/tmp, the scratch copy and the home are tmpfs of a set size, not the host's disk or
    unbounded memory: 96 MiB of files stop at the size (ENOSPC, errno 28)."""
    if variable:
        monkeypatch.setenv(variable, "16")
    proc = _run_inside(_FILL.format(where=where))
    lines = proc.stdout.split()
    assert lines[:2] == ["stopped", "28"], proc.stdout + proc.stderr
    assert int(lines[-1]) < 96


@needs_bwrap
def test_inside_the_scratch_holds_the_submission(tmp_path):
    (tmp_path / "data.csv").write_text("1,2\n")
    proc = _run_inside("print(open('data.csv').read().strip())", source=tmp_path)
    assert proc.stdout.strip() == "1,2", proc.stderr


@needs_bwrap
def test_the_socket_folder_keeps_only_sockets_and_the_connection_file():
    with Sandbox() as sb:
        (sb.runtime / "kernel.json").write_text("{}")
        code = (f"import time\nopen({str(sb.runtime / 'big')!r}, 'wb').write(b'x' * 2**20)\n"
                "time.sleep(1.5)\n")
        proc = subprocess.run(sb.argv([sys.executable, "-c", code]), capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert sorted(p.name for p in sb.runtime.iterdir()) == ["kernel.json"]
        assert sb.violations == ["wrote 'big' into its socket folder (removed)"]


@needs_bwrap
def test_inside_the_course_folder_cannot_be_listed():
    code = (f"import os\nroot = {str(ROOT)!r}\n"
            "print(sorted(os.listdir(root)) if os.path.isdir(root) else [])\n"
            "print(os.path.exists('/root/.ssh'), os.listdir('/home'))\n"
            "print(sorted(os.listdir('.')))")
    proc = _run_inside(code, source=ROOT / "course_grader")
    assert proc.returncode == 0, proc.stderr
    listing, home, work = proc.stdout.splitlines()
    assert not set(eval(listing)) & {"notebooks", "submitted", "nbgrader_config.py", "tests",  # noqa: S307
                                     "gradebook.db", "release", "Makefile"}, listing
    assert home == "False ['student']"
    assert "sandbox.py" in work  # the scratch copy of its own folder


@needs_bwrap
def test_inside_no_socket_reaches_the_outside():
    code = ("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=3)\n"
            "    print('connected')\nexcept OSError as err:\n    print('blocked', err)")
    proc = _run_inside(code)
    assert proc.stdout.startswith("blocked"), proc.stdout + proc.stderr


@needs_bwrap
def test_inside_a_4_gib_allocation_is_a_memory_error():
    code = ("try:\n    b = bytearray(4 * 2**30)\n    print('allocated')\n"
            "except MemoryError:\n    print('MemoryError')")
    proc = _run_inside(code)
    assert proc.stdout.strip() == "MemoryError", proc.stdout + proc.stderr


@needs_bwrap
def test_a_probe_sandbox_sees_only_the_probes_modules_of_the_grader():
    import course_grader

    grader = Path(course_grader.__file__).resolve().parent
    code = (f"import os\nfor top, _dirs, files in os.walk({str(grader)!r}):\n"
            "    print(*sorted(os.path.join(top, f) for f in files if f.endswith('.py')))")
    with Sandbox(probe=True) as probe_box:
        proc = subprocess.run(probe_box.argv([sys.executable, "-I", "-c", code]),
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    seen = {str(Path(p).relative_to(grader)) for p in proc.stdout.split()}
    assert seen == set(PROBE_MODULES), seen
    with Sandbox() as kernel_box:  # a kernel's sandbox: no grader at all
        proc = subprocess.run(kernel_box.argv([sys.executable, "-I", "-c", code]),
                              capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == [], proc.stdout
