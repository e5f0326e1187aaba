"""A fake Hugging Face API on 127.0.0.1 for the fetch tests (the ``hf_server`` fixture).

A real HTTP server (``http.server`` in a thread, port 0) serving
``/api/daily_papers?date=...&limit=...&p=...`` from the days a test gives it, in the shape
the real API answers with; a test can also script what one request gets (a status, a
header, a body, a hang). No test reaches the internet.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def hf_item(day: str, number: int, **paper: Any) -> dict[str, Any]:
    """One item of ``/api/daily_papers`` as the real API shapes it (a ``paper`` object with
    the fields paperterm reads, beside fields it ignores); ``paper`` overrides fields."""
    arxiv_id = f"{day[2:4]}{day[5:7]}.{day[8:10]}{number:03d}"
    doc: dict[str, Any] = {
        "id": arxiv_id,
        "authors": [{"_id": "a1", "name": f"Ada Author {number}", "hidden": False},
                    {"_id": "a2", "name": "Bo Coauthor", "hidden": False}],
        "publishedAt": f"{day}T17:59:00.000Z",
        "submittedOnDailyAt": f"{day}T05:00:00.000Z",
        "title": f"Paper {number} of {day}: learning things",
        "summary": f"We study thing {number}.\nIt is hard-wrapped, as the API sends it,\n"
                   "over several lines.",
        "upvotes": number,
        "discussionId": "x",
        "githubRepo": f"https://github.com/lab/repo{number}",
        "githubStars": 10 * number,
        "ai_summary": f"Thing {number}, summarised.",
        "ai_keywords": ["things", "learning"],
    }
    doc.update(paper)
    return {
        "paper": doc,
        "publishedAt": f"{day}T17:59:00.000Z",
        "title": doc.get("title"),
        "thumbnail": "https://example.invalid/thumb.png",
        "numComments": 2,
        "submittedBy": {"_id": "u", "user": "someone", "type": "user"},
        "isAuthorParticipating": False,
    }


def hf_day(day: str, count: int) -> list[dict[str, Any]]:
    """``count`` items of ``day``."""
    return [hf_item(day, number) for number in range(1, count + 1)]


@dataclass
class Reply:
    """What one scripted request gets: a status, headers, a body, or a hang of ``hang`` s."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    hang: float = 0.0


@dataclass
class Seen:
    """A request the server answered."""

    path: str
    params: dict[str, str]


class FakeHF:
    """The state behind the fake API: days of items, scripted replies, requests seen."""

    def __init__(self) -> None:
        self.days: dict[str, list[Any]] = {}
        self.script: dict[tuple[str, int], deque[Reply]] = {}
        self.seen: list[Seen] = []
        self.release = threading.Event()  # ends every hang (set at teardown)
        self.url = ""
        self._lock = threading.Lock()

    def then(self, day: str, *replies: Reply, page: int = 0) -> None:
        """Script the next requests for ``day``'s ``page``: one reply each, in order."""
        self.script.setdefault((day, page), deque()).extend(replies)

    def requests_for(self, day: str) -> list[Seen]:
        """The requests made for ``day``."""
        return [seen for seen in self.seen if seen.params.get("date") == day]

    def answer(self, path: str, params: dict[str, str]) -> Reply:
        with self._lock:
            self.seen.append(Seen(path, params))
            if path != "/api/daily_papers":
                return Reply(404, body=b'{"error":"not found"}')
            day = params.get("date", "")
            page = int(params.get("p", "0"))
            limit = min(int(params.get("limit", "50")), 100)
            queue = self.script.get((day, page))
            if queue:
                return queue.popleft()
            items = self.days.get(day, [])
            return Reply(body=json.dumps(items[page * limit:(page + 1) * limit]).encode())


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        reply = self.server.fake.answer(parts.path, params)
        if reply.hang:
            self.server.fake.release.wait(reply.hang)
        body = reply.body if reply.body is not None else b"[]"
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (a timeout test): nothing to tell it
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is not the place for an access log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeHF


def start_server() -> tuple[FakeHF, Callable[[], None]]:
    """Serve a new FakeHF on a free port of 127.0.0.1; returns it and the function that
    stops it."""
    fake = FakeHF()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def stop() -> None:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return fake, stop
