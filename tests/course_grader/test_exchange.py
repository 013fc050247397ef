"""course_grader.exchange: ``nbgrader collect`` refuses what a student cannot have handed in.

Each test builds a real exchange in ``tmp_path``, laid out as nbgrader 0.9.6's ``release`` and
``submit`` lay it out (``COURSE/inbound`` of mode 2733; a folder
``STUDENT+ASSIGNMENT+TIMESTAMP+RANDOM`` of mode 0777 holding the notebooks, ``timestamp.txt``
and ``submission_secret.txt``, files 0644), and runs nbgrader's collect on it: in process
(the exchange class's ``start``, as ``CollectApp`` calls it), and once as ``nbgrader collect``
with the course's own ``nbgrader_config.py``. Every test fails with nbgrader's own
``ExchangeCollect`` in place of ``SafeCollect``: it collects the forgery, follows the link, or
stops with a traceback. The tests run as root, so a folder's owner is set with ``os.chown``:
uid 0 (root) forges a folder of ``nobody`` (uid 65534).
"""

import base64
import logging
import os
import secrets
import shutil
import socket
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from course_grader.course import FLAG, flagged_lines
from course_grader.exchange import SafeCollect

ROOT = Path(__file__).resolve().parents[2]
COURSE, ASSIGNMENT = "nn-course", "ps1"
NOBODY = 65534  # the unix user nobody: a student whose folders the tests own or forge
COLLECT = SafeCollect
LOGGER = "test_exchange"


def timestamp(minutes_ago=0):
    """A submission time as nbgrader's Exchange.timestamp_format writes it (timezone UTC)."""
    when = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f %Z")


def hand_in(course, student, text="my answer", minutes_ago=0, uid=None, name=None):
    """A submission laid out as nbgrader's ExchangeSubmit.copy_files lays it out.

    ``uid`` owns every file (the student's unix account); ``name`` replaces the folder's name.
    """
    ts = timestamp(minutes_ago)
    random = base64.urlsafe_b64encode(os.urandom(9)).decode("ascii")
    folder = course / "exchange" / COURSE / "inbound" / (name or
                                                         f"{student}+{ASSIGNMENT}+{ts}+{random}")
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.ipynb").write_text(text)
    (folder / "timestamp.txt").write_text(ts)
    (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    for path in folder.iterdir():
        path.chmod(0o644)
    folder.chmod(0o777)
    if uid is not None:
        for path in [folder, *folder.iterdir()]:
            os.chown(path, uid, uid)
    return folder


def submitted(course, student, name=f"{ASSIGNMENT}.ipynb"):
    return course / "submitted" / student / ASSIGNMENT / name


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """An empty gradebook made once: a new one runs alembic, which costs a second."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    env_path = os.environ["PATH"]
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env_path
    try:
        with Gradebook(f"sqlite:///{path}", COURSE):
            pass
    finally:
        os.environ["PATH"] = env_path
    return path


@pytest.fixture
def course(tmp_path, empty_gradebook):
    """A course with its exchange (``inbound/`` 2733) and an instructor's source notebook."""
    root = tmp_path / "course"
    inbound = root / "exchange" / COURSE / "inbound"
    inbound.mkdir(parents=True)
    inbound.chmod(0o2733)
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("SOLUTIONS")
    shutil.copy(empty_gradebook, root / "gradebook.db")
    return root


@pytest.fixture
def collect(caplog):
    """The function ``collect(course, update=False, **caps)``: run collect, return its log."""

    def run(course, update=False, **caps):
        config = Config()
        config.CourseDirectory.root = str(course)
        config.CourseDirectory.course_id = COURSE
        config.CourseDirectory.assignment_id = ASSIGNMENT
        config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
        config.Exchange.root = str(course / "exchange")
        config.ExchangeCollect.update = update
        for trait, value in caps.items():
            setattr(config.SafeCollect, trait, value)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=LOGGER):
            COLLECT(coursedir=CourseDirectory(config=config), authenticator=None, config=config,
                    log=logging.getLogger(LOGGER)).start()
        return caplog.text

    return run


def test_a_folder_named_after_a_classmate_is_refused(course, collect):
    hand_in(course, "nobody", "nobody's own answer", minutes_ago=5, uid=NOBODY)
    forged = hand_in(course, "nobody", "forged by root", uid=0)  # newer: plain collect takes it
    log = collect(course)
    assert submitted(course, "nobody").read_text() == "nobody's own answer"
    flags = flagged_lines(log)
    assert len(flags) == 1
    assert f"refused inbound folder {forged.name!r}: it is owned by root, not by nobody" in flags[0]


def test_a_student_who_is_no_unix_user_is_collected_with_one_warning(course, collect):
    hand_in(course, "ada_lovelace", "ada's answer")
    hand_in(course, "grace_hopper", "grace's answer")
    log = collect(course)
    assert submitted(course, "ada_lovelace").read_text() == "ada's answer"
    assert submitted(course, "grace_hopper").read_text() == "grace's answer"
    warning = "Owner not checked for ada_lovelace, grace_hopper: not a unix user on this machine"
    assert log.count(warning) == 1
    assert not flagged_lines(log)


def test_a_link_in_inbound_is_not_collected(course, collect):
    name = f"ada_lovelace+{ASSIGNMENT}+{timestamp()}+AAAAAAAAAAAA"
    (course / "exchange" / COURSE / "inbound" / name).symlink_to(course / "source" / ASSIGNMENT)
    log = collect(course)
    assert not (course / "submitted").exists()
    assert flagged_lines(log) == [
        f"refused inbound folder {name!r}: it is not a folder (a symbolic link?)"]


def test_links_pipes_sockets_and_devices_inside_are_skipped(course, collect, monkeypatch):
    folder = hand_in(course, "ada_lovelace", "ada's answer")
    (folder / "solutions.ipynb").symlink_to(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    (folder / "source").symlink_to(course / "source")
    os.mkfifo(folder / "pipe")
    os.mknod(folder / "null", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers
    monkeypatch.chdir(folder)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("sock")
    log = collect(course)
    copied = sorted(p.name for p in submitted(course, "ada_lovelace").parent.iterdir())
    assert copied == [f"{ASSIGNMENT}.ipynb", "submission_secret.txt", "timestamp.txt"]
    skipped = {line.split("skipped ")[1].split(" in ")[0]: line.rsplit(": ", 1)[1]
               for line in flagged_lines(log)}
    assert skipped == {"'solutions.ipynb'": "a symbolic link (not followed)",
                       "'source'": "a symbolic link (not followed)", "'pipe'": "a named pipe",
                       "'null'": "a device", "'sock'": "a socket"}


def sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)  # no disk used: the cap must count the length, not the blocks


def test_files_and_submissions_over_their_caps_by_length(course, collect):
    ada = hand_in(course, "ada_lovelace", "ada's answer")
    sparse(ada / "weights.npy", 10**9)  # over the 50 MB cap of a file: skipped
    grace = hand_in(course, "grace_hopper", "grace's answer")
    for i in range(5):  # 5 x 45 MB, over the 200 MB cap of a submission: refused
        sparse(grace / f"part{i}.npy", 45 * 10**6)
    log = collect(course)
    assert submitted(course, "ada_lovelace").read_text() == "ada's answer"
    assert not submitted(course, "ada_lovelace", "weights.npy").exists()
    assert not (course / "submitted" / "grace_hopper").exists()
    flags = flagged_lines(log)
    assert len(flags) == 2
    assert "skipped 'weights.npy'" in flags[0] and "1000.0 MB, over the 50.0 MB cap" in flags[0]
    assert "225.0 MB of files, over the 200.0 MB cap of a submission" in flags[1]


def test_too_many_entries_and_folders_too_deep_are_capped(course, collect):
    ada = hand_in(course, "ada_lovelace", "ada's answer")
    deep = ada.joinpath(*["d"] * 6)
    deep.mkdir(parents=True)
    (ada / "d" / "kept.txt").write_text("one folder down")
    (deep / "lost.txt").write_text("six folders down")
    grace = hand_in(course, "grace_hopper", "grace's answer")
    for i in range(30):
        (grace / f"empty{i}").touch()
    log = collect(course, max_depth=3, max_entries=20)
    assert submitted(course, "ada_lovelace", "d/kept.txt").read_text() == "one folder down"
    assert not submitted(course, "ada_lovelace", "d/d/d/d").exists()
    assert not (course / "submitted" / "grace_hopper").exists()
    assert [line.rsplit(": ", 1)[1] for line in flagged_lines(log)] == [
        "more than 3 folders deep", "more than 20 files and folders"]


def test_names_that_do_not_parse_are_skipped_and_the_others_collected(course, collect):
    bad_time = hand_in(course, "ada_lovelace", name=f"ada_lovelace+{ASSIGNMENT}+yesterday+AAAA")
    forged_flag = f"eve\nWARNING {FLAG} all is well"  # a name that writes its own log line
    unsafe = hand_in(course, "eve", name=f"{forged_flag}+{ASSIGNMENT}+{timestamp()}+AAAA")
    hand_in(course, "grace_hopper", "grace's answer")
    log = collect(course)
    assert submitted(course, "grace_hopper").read_text() == "grace's answer"
    assert not submitted(course, "ada_lovelace").exists()
    assert not submitted(course, forged_flag).exists()
    assert flagged_lines(log) == [
        f"skipped inbound folder {bad_time.name!r}: its timestamp 'yesterday' does not parse",
        f"skipped inbound folder {unsafe.name!r}: student id {forged_flag!r} is not letters, "
        "digits and ._@- (without a leading dot)"]


def test_a_garbled_timestamp_txt_does_not_stop_the_next_update(course, collect):
    first = hand_in(course, "ada_lovelace", "first answer", minutes_ago=5)
    (first / "timestamp.txt").write_text("garbled")
    collect(course)
    assert submitted(course, "ada_lovelace", "timestamp.txt").read_text() != "garbled"
    hand_in(course, "ada_lovelace", "second answer")
    collect(course, update=True)
    assert submitted(course, "ada_lovelace").read_text() == "second answer"


def test_nbgrader_collect_with_the_course_config_refuses_a_forgery(course):
    shutil.copy(ROOT / "nbgrader_config.py", course)
    hand_in(course, "nobody", "forged by root", uid=0)
    hand_in(course, "grace_hopper", "grace's answer")
    env = {k: v for k, v in os.environ.items() if k != "COURSE_EXCHANGE"}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "collect", ASSIGNMENT],
                          cwd=course, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert submitted(course, "grace_hopper").read_text() == "grace's answer"
    assert not (course / "submitted" / "nobody").exists()
    assert "it is owned by root, not by nobody" in " ".join(flagged_lines(proc.stderr))
