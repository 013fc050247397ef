"""The Canvas push against a local server that speaks only the four endpoints it uses."""

import io
import json
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from course_grader.lms.canvas import CanvasExport
from course_grader.lms.push import canvas_token, push_grades

pytest.importorskip("canvasapi")

COURSE, TOKEN = 7, "secret-token"


class FakeCanvas(BaseHTTPRequestHandler):
    """GET the course, an assignment and its submissions; POST update_grades."""

    scores = {}   # {assignment id: {user id: score}}
    posts = []

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _parts(self):
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._reply(401, {"errors": [{"message": "Invalid access token."}]})
            return None
        return urlparse(self.path).path.strip("/").split("/")

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = self._parts()
        if parts is None:
            return
        if parts == ["api", "v1", "courses", str(COURSE)]:
            return self._reply(200, {"id": COURSE, "name": "NN"})
        if parts[:5] == ["api", "v1", "courses", str(COURSE), "assignments"]:
            aid = int(parts[5])
            if aid not in self.scores:
                return self._reply(404, {"errors": [{"message": "not found"}]})
            if parts[6:] == ["submissions"]:
                return self._reply(200, [{"id": i, "user_id": int(u), "assignment_id": aid,
                                          "score": s}
                                         for i, (u, s) in enumerate(self.scores[aid].items())])
            if not parts[6:]:
                return self._reply(200, {"id": aid, "course_id": COURSE, "name": f"A{aid}"})
        self._reply(404, {"errors": [{"message": "not found"}]})

    def do_POST(self):  # noqa: N802
        parts = self._parts()
        if parts is None:
            return
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        if parts[:5] == ["api", "v1", "courses", str(COURSE), "assignments"] and \
                parts[6:] == ["submissions", "update_grades"]:
            self.posts.append((int(parts[5]), parse_qs(body)))
            return self._reply(200, {"id": 99, "workflow_state": "queued"})
        self._reply(404, {"errors": [{"message": "not found"}]})

    def log_message(self, *args):
        pass


@pytest.fixture
def canvas():
    FakeCanvas.scores = {501: {"1000": 5.0, "1001": 2.0, "1002": None}, 502: {"1000": 6.0}}
    FakeCanvas.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCanvas)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _export():
    scores = {"1000": {"01": 5.0, "03": 6.0}, "1001": {"01": 3.5}, "1002": {"01": 0.0}}
    return CanvasExport([], [], ["01", "03"], {"01": "501", "03": "502"}, scores)


def _push(url, **kw):
    out = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # canvasapi warns that the test server is http
        changes = push_grades(_export(), url, COURSE, TOKEN, out=out, **kw)
    return changes, out.getvalue()


def test_a_dry_run_prints_the_changes_and_sends_nothing(canvas):
    changes, text = _push(canvas)
    assert changes == {"01": [("1001", 2.0, 3.5), ("1002", None, 0.0)], "03": []}
    assert "01 (Canvas 501): would change 2 of 3 score(s)" in text
    assert "user 1001: 2 -> 3.5" in text and "user 1002: - -> 0" in text
    assert FakeCanvas.posts == []


def test_a_push_sends_only_the_changed_grades_in_one_bulk_update(canvas):
    _push(canvas, dry_run=False)
    assert FakeCanvas.posts == [(501, {"grade_data[1001][posted_grade]": ["3.5"],
                                       "grade_data[1002][posted_grade]": ["0"]})]


def test_an_assignment_without_a_canvas_id_is_refused_before_any_request(canvas):
    export = _export()
    del export.canvas_ids["03"]
    with pytest.raises(ValueError, match="'03' has no Canvas id.*--canvas-id 03=ID"):
        push_grades(export, canvas, COURSE, TOKEN)


def test_the_token_comes_from_the_environment():
    with pytest.raises(ValueError, match=r"no Canvas token in \$CANVAS_TOKEN"):
        canvas_token({})
    assert canvas_token({"CANVAS_TOKEN": TOKEN}) == TOKEN
