"""`handouts serve`: the output folder over HTTP to this machine only, each open page
reloaded when a file it shows is made again, and the last build's mistakes shown on it.

The pages are the output folder's own (`index.html`, or a list of its PDFs when there is
none) with a short script added as they are sent, which listens to the server's events
(server-sent events: the browser keeps one request open, and is told when a build ends). A
PDF opened from the page is shown in a frame of a page of ours, so it reloads too.
"""

from __future__ import annotations

import html
import io
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

LOCALHOST = "127.0.0.1"  # never another address: the lessons are the teacher's
EVENTS, STATUS, VIEW = "/_events", "/_status", "/_view/"
KEEP_ALIVE_S = 15.0  # a comment down an idle event stream, so proxies keep it open
INDEX = "index.html"
_PDF_LINK = re.compile(r'href="([^"/:?#]+\.pdf)"')  # a link of the index page to a PDF beside it
# Added to every page sent: it shows the last build's mistakes, and reloads the page (or
# the frame of the PDF it views) when a build has made a file it shows again.
_SCRIPT = (
    """<script>
(() => {
  const viewed = document.body.dataset.viewing;
  const shown = viewed ? [viewed] : [...document.querySelectorAll("a[href], img[src]")]
    .map((e) => decodeURIComponent((e.getAttribute("href") || e.getAttribute("src"))
    .split(/[?#]/)[0].replace(/^.*\\//, "")));
  const box = document.createElement("div");
  box.id = "handouts-errors";
  box.setAttribute("role", "alert");
  box.style.cssText = "white-space:pre-wrap;font:13px monospace;background:#fff0f0;" +
    "color:#8a0000;padding:.5em 1em;border-bottom:2px solid #8a0000";
  const show = (news) => {
    box.textContent = news.errors;
    if (news.errors && !box.isConnected) document.body.prepend(box);
    if (!news.errors) box.remove();
  };
  fetch("STATUS").then((r) => r.json()).then(show);
  new EventSource("EVENTS").onmessage = (event) => {
    const news = JSON.parse(event.data);
    show(news);
    if (news.changed.some((name) => shown.includes(name) || name === "INDEX")) {
      location.reload();
    }
  };
})();
</script>""".replace("STATUS", STATUS)
    .replace("EVENTS", EVENTS)
    .replace("INDEX", INDEX)
)


@dataclass
class Hub:
    """What the last build did, told to every open page as it ends."""

    serial: int = 0  # builds told so far
    news: dict[str, Any] = field(default_factory=lambda: {"changed": [], "errors": ""})
    stopping: bool = False
    _told: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, changed: list[str], errors: str) -> None:
        """A build ended: `changed` are the names of the output files it made or removed."""
        with self._told:
            self.serial += 1
            self.news = {"changed": changed, "errors": errors}
            self._told.notify_all()

    def stop(self) -> None:
        """Tell every open event stream to end."""
        with self._told:
            self.stopping = True
            self._told.notify_all()

    def after(self, serial: int, seconds: float) -> tuple[int, dict[str, Any]] | None:
        """The news of a build after build `serial`, waiting up to `seconds` for one."""
        with self._told:
            self._told.wait_for(lambda: self.serial > serial or self.stopping, seconds)
            return (self.serial, self.news) if self.serial > serial else None


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """The output folder's files, each with its modification time and size."""
    found = {}
    for path in folder.rglob("*") if folder.is_dir() else ():
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            found[path.relative_to(folder).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


class _Handler(SimpleHTTPRequestHandler):
    """GET and HEAD of the output folder's files (none hidden, none through a link out of
    it), the pages with the script added, the events and the last build's status."""

    hub: Hub
    folder: Path

    def do_GET(self) -> None:
        """Send what the path names."""
        path = urllib.parse.urlsplit(self.path).path
        if path == EVENTS:
            self._events()
        elif path == STATUS:
            self._send(json.dumps(self.hub.news).encode(), "application/json")
        elif path.startswith(VIEW):
            self._view(urllib.parse.unquote(path.removeprefix(VIEW)))
        elif path == "/":
            index = self.folder / INDEX
            if index.is_file():  # its PDFs opened in our viewer, which reloads them
                self._page(_PDF_LINK.sub(rf'href="{VIEW}\1"', index.read_text("utf-8")))
            else:
                self._page(self._listing())
        elif self._inside(path) is None:
            self.send_error(HTTPStatus.NOT_FOUND)
        elif path.endswith(".html"):
            found = self._inside(path)
            assert found is not None
            self._page(found.read_text("utf-8"))
        else:
            super().do_GET()

    def send_head(self) -> Any:
        """A file of the output folder, or 404 (HEAD, and GET of a file that is not a page)."""
        if self._inside(urllib.parse.urlsplit(self.path).path) is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def _inside(self, path: str) -> Path | None:
        """The file of the output folder that `path` names, if it names one that may be sent."""
        parts = [part for part in urllib.parse.unquote(path).split("/") if part]
        if not parts or any(part.startswith(".") for part in parts):
            return None
        found = (self.folder / Path(*parts)).resolve()
        return found if found.is_file() and found.is_relative_to(self.folder) else None

    def _listing(self) -> str:
        """A page listing the PDFs, for an output folder without an index page."""
        names = sorted(name for name in _files(self.folder) if name.endswith(".pdf"))
        items = "".join(
            f'<li><a href="{VIEW}{urllib.parse.quote(name)}">{html.escape(name)}</a></li>'
            for name in names
        )
        said = f"<ul>{items}</ul>" if names else "<p>No PDF yet: the first build is under way.</p>"
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>PDFs</title></head><body><h1>PDFs</h1>{said}</body></html>"
        )

    def _view(self, name: str) -> None:
        """A page showing one PDF in a frame, reloaded when it is made again."""
        if self._inside(name) is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        source, shown = html.escape(urllib.parse.quote(name)), html.escape(name)
        self._page(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{shown}</title></head>"
            f'<body data-viewing="{shown}" style="margin:0">'
            f'<iframe src="/{source}" title="{shown}" '
            'style="border:0;width:100%;height:100vh;display:block"></iframe></body></html>'
        )

    def _page(self, text: str) -> None:
        """An HTML page, the script added before its end."""
        at = text.rfind("</body>")
        at = len(text) if at < 0 else at
        self._send((text[:at] + _SCRIPT + text[at:]).encode(), "text/html; charset=utf-8")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """The news of every build from now on, as server-sent events, until the page goes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        serial = self.hub.serial
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.hub.stopping:
                told = self.hub.after(serial, KEEP_ALIVE_S)
                if told is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    serial, news = told
                    self.wfile.write(f"data: {json.dumps(news)}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the page was closed or reloaded
            return

    def end_headers(self) -> None:
        """Every answer is for this visit only: a PDF made again is fetched again."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing: the terminal shows the builds, not every request."""


class Server:
    """The preview server of one output folder, running in a thread of its own."""

    def __init__(self, folder: Path, port: int, errors: TextIO) -> None:
        self.folder = folder.resolve()
        self.hub = Hub()
        handler = type("Handler", (_Handler,), {"hub": self.hub, "folder": self.folder})
        self.http = ThreadingHTTPServer((LOCALHOST, port), partial(handler, directory=str(folder)))
        self.http.daemon_threads = True  # an open event stream never holds up the end
        self._seen = _files(self.folder)
        self.said = Tee(errors)  # where a build prints its errors: kept until it ends
        self._thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the browser finds it."""
        return f"http://{LOCALHOST}:{self.http.server_address[1]}/"

    def built(self) -> None:
        """A build ended: tell the pages what it made again, and its mistakes."""
        now = _files(self.folder)
        names = now.keys() | self._seen.keys()
        changed = sorted(name for name in names if now.get(name) != self._seen.get(name))
        self._seen = now
        errors = self.said.getvalue()
        self.said.seek(0)
        self.said.truncate()
        self.hub.publish(changed, errors.strip())

    @contextmanager
    def running(self) -> Iterator[Server]:
        """Serve until the block ends, then close every connection."""
        self._thread.start()
        try:
            yield self
        finally:
            self.hub.stop()
            self.http.shutdown()
            self.http.server_close()


class Tee(io.StringIO):
    """A stream that keeps what it is given, and writes it to `shown` too: what the
    terminal shows of a build's errors is kept for the page."""

    def __init__(self, shown: TextIO) -> None:
        super().__init__()
        self.shown = shown

    def write(self, text: str) -> int:
        """Keep `text`, and show it."""
        self.shown.write(text)
        return super().write(text)

    def flush(self) -> None:
        """Flush the stream shown."""
        self.shown.flush()
