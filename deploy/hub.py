"""Set up and start the course's JupyterHub on this machine (``make hub``; tests/test_hub.py).

Run as root: ``python deploy/hub.py [--port 8000] [--state /srv/nn-course]``. It

1. installs ``configurable-http-proxy`` (npm, pinned) into ``build/hub/proxy/node_modules``;
2. finds or makes the Python environment that every user runs (:func:`user_env`);
3. creates the grader account ``grader-<course>`` (home ``STATE/grader-<course>``, the course
   folder in it, mode 0700), the exchange ``STATE/exchange`` (mode 1777) and, for a try, the
   demo accounts ``nn-instructor`` and ``nn-student`` with new passwords;
4. prints how to log in and starts ``jupyterhub -f deploy/jupyterhub_config.py``.
"""

import argparse
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COURSE = "nn-course"
PROXY_VERSION = "5.3.0"
PROXY_DIR = REPO / "build" / "hub" / "proxy"
PROXY_BIN = PROXY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
# what the course folder holds on the hub: the sources and the course's nbgrader settings
COURSE_FILES = ("notebooks", "nbgrader_config.py", "README.md")


def install_proxy():
    """configurable-http-proxy@PROXY_VERSION in build/hub/proxy; its path, or None (no npm)."""
    if PROXY_BIN.exists():
        return PROXY_BIN
    npm = shutil.which("npm")
    if npm is None:
        return None
    PROXY_DIR.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([npm, "install", "--prefix", str(PROXY_DIR), "--no-audit", "--no-fund",
                           "--loglevel=error", f"configurable-http-proxy@{PROXY_VERSION}"],
                          capture_output=True, text=True, timeout=300)
    return PROXY_BIN if proc.returncode == 0 and PROXY_BIN.exists() else None


def runs_for_everyone(python):
    """True when an unprivileged user (nobody) can run this interpreter."""
    proc = subprocess.run(["runuser", "-u", "nobody", "--", str(python), "-c", "import sys"],
                          capture_output=True)
    return proc.returncode == 0


def closed_ancestor(path):
    """The first folder on the way to ``path`` (``path`` included) that other users cannot
    enter (no o+x), or None."""
    path = Path(path).resolve()
    for folder in [*reversed(path.parents), path]:
        if not folder.stat().st_mode & 0o001:
            return folder
    return None


def user_env(dest=REPO / "build" / "hub" / "user-env"):
    """A Python environment with the course's packages that every user can run.

    ``HUB_USER_ENV`` wins (on a real server: a venv made with the system Python in /opt, see
    deploy/README.md). Otherwise the running environment, when unprivileged users can run its
    interpreter; when they cannot (a venv on a pyenv Python under /root, mode 0700), a thin
    venv on the system Python of the same version that reuses this environment's packages.
    """
    if os.environ.get("HUB_USER_ENV"):
        return Path(os.environ["HUB_USER_ENV"])
    closed = closed_ancestor(REPO)
    if closed is not None:  # the students' servers import course_lib from this checkout
        raise RuntimeError(
            f"the hub's users cannot reach this checkout: {closed} is mode "
            f"{closed.stat().st_mode & 0o777:o} (no o+x). Put the course where every user can "
            "enter the folders above it (e.g. /opt or /srv), or set HUB_USER_ENV.")
    if runs_for_everyone(sys.executable):
        return Path(sys.prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = Path("/usr/bin") / version
    if not system.exists():
        raise RuntimeError(f"{sys.executable} cannot be run by other users and there is no "
                           f"{system}: set HUB_USER_ENV to an environment all users can run")
    site = Path(sys.prefix) / "lib" / version / "site-packages"
    if not (dest / "bin" / "python").exists():
        subprocess.run([str(system), "-m", "venv", "--without-pip", str(dest)], check=True)
    own_site = dest / "lib" / version / "site-packages"
    (own_site / "course-env.pth").write_text(f"import site; site.addsitedir({str(site)!r})\n")
    for sub in ("share/jupyter", "etc/jupyter"):  # kernelspecs, lab extensions, server config
        link = dest / sub
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(Path(sys.prefix) / sub)
    _copy_scripts(Path(sys.prefix) / "bin", dest / "bin")
    # soupsieve >= 2.7 needs a newer `re` than Debian's Python 3.11.2 (nbgrader's feedback
    # fails on "img:not([alt])"): the thin venv takes the last release that works there
    if sys.version_info[:2] == (3, 11) and not (own_site / "soupsieve").exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(own_site), "soupsieve==2.6"], check=True)
    return dest


def _copy_scripts(src, dest):
    """The console scripts (jupyter, nbgrader, ...) with this environment's Python."""
    shebang = f"#!{src / 'python'}"
    for script in src.iterdir():
        if script.is_file() and not script.is_symlink() and not (dest / script.name).exists():
            try:
                text = script.read_text()
            except UnicodeDecodeError:
                continue
            if text.startswith("#!") and text.split("\n", 1)[0].startswith(shebang[:-6]):
                body = text.split("\n", 1)[1] if "\n" in text else ""
                (dest / script.name).write_text(f"#!{dest / 'python'}\n{body}")
                (dest / script.name).chmod(0o755)


def add_user(name, home=None, password=None, group=None):
    """A unix account with a private home (mode 0700: Debian's default is 0755)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        cmd = ["useradd", "--create-home", "--shell", "/bin/bash", "-K", "HOME_MODE=0700"]
        if home:
            cmd += ["--home-dir", str(home)]
        if group:
            cmd += ["--groups", group]
        subprocess.run(cmd + [name], check=True, capture_output=True)
    if password:
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return pwd.getpwnam(name)


def prepare(state, course_source=REPO, grader_name=f"grader-{COURSE}"):
    """The state folder, the exchange and the grader account with the course folder."""
    state = Path(state)
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o1777)  # writable by all, sticky: nobody removes another's files
    grader = add_user(grader_name, home=state / grader_name)
    course = Path(grader.pw_dir) / COURSE
    if not course.exists():
        course.mkdir()
        for name in COURSE_FILES:
            src = Path(course_source) / name
            if src.is_dir():
                shutil.copytree(src, course / name,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            elif src.exists():
                shutil.copy(src, course / name)
        subprocess.run(["chown", "-R", f"{grader.pw_uid}:{grader.pw_gid}", grader.pw_dir],
                       check=True)
    Path(grader.pw_dir).chmod(0o700)
    return course


def hub_env(state, port, user_env_dir, proxy, instructors, students, ports=(8081, 8001, 9999),
            grader_name=f"grader-{COURSE}"):
    """The environment deploy/jupyterhub_config.py reads."""
    api, proxy_api, service = ports
    return dict(os.environ, COURSE_ID=COURSE, HUB_GRADER=grader_name, HUB_STATE=str(state),
                HUB_PORT=str(port),
                HUB_USER_ENV=str(user_env_dir), HUB_PROXY=str(proxy),
                HUB_INSTRUCTORS=",".join(instructors), HUB_STUDENTS=",".join(students),
                HUB_API_PORT=str(api), HUB_PROXY_API_PORT=str(proxy_api),
                HUB_SERVICE_PORT=str(service))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUB_PORT", 8000)))
    parser.add_argument("--state", default=os.environ.get("HUB_STATE", f"/srv/{COURSE}"))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("make hub runs as root: it creates unix accounts and starts their servers")
    proxy = install_proxy()
    if proxy is None:
        sys.exit(f"could not install configurable-http-proxy@{PROXY_VERSION} (needs npm)")
    env_dir = user_env()
    prepare(args.state)
    accounts = {}
    for name in ("nn-instructor", "nn-student"):
        accounts[name] = secrets.token_urlsafe(9)
        add_user(name, password=accounts[name])
    url = f"http://127.0.0.1:{args.port}"
    print(f"The course's JupyterHub: {url}/hub/login (state in {args.state})")
    print(f"  instructor  nn-instructor / {accounts['nn-instructor']}  -> the formgrader: "
          f"{url}/services/{COURSE}/formgrader")
    print(f"  student     nn-student    / {accounts['nn-student']}  -> JupyterLab, Nbgrader -> "
          "Assignment List")
    print("The grader account's course folder: "
          f"{args.state}/grader-{COURSE}/{COURSE} (Ctrl-C stops the hub)", flush=True)
    env = hub_env(args.state, args.port, env_dir, proxy, ["nn-instructor"], ["nn-student"])
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    os.chdir(args.state)
    os.execve(str(jupyterhub), [str(jupyterhub), "-f", str(HERE / "jupyterhub_config.py")], env)


if __name__ == "__main__":
    main()
