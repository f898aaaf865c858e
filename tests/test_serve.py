"""`serve` as a teacher uses it: open the page, save a lesson, see the new PDF; a broken save
shows its mistake on the page; Ctrl-C stops it; nothing but this machine can reach it."""

from __future__ import annotations

import http.client
import json
import queue
import re
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_samples
from pdf_reader import Pdf, normalize
from test_watch import ONLY, Watcher, save

LESSON = "production-vs-operations"
EVENT_S = 120  # how long a rebuild may take to be told, on a busy machine


class Events:
    """The server's event stream, read in a thread: each build's news as it comes."""

    def __init__(self, url: str) -> None:
        self.stream = urllib.request.urlopen(url + "_events", timeout=EVENT_S)
        self.news: queue.Queue[dict[str, object]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.stream:
                if line.startswith(b"data: "):
                    self.news.put(json.loads(line[6:]))
        except OSError:
            return  # the server stopped

    def next(self) -> dict[str, object]:
        return self.news.get(timeout=EVENT_S)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Watcher, str]]:
    """`serve` on a copy of the samples, on a port the system chose; its address."""
    copy_samples(tmp_path / "content")
    server = Watcher(tmp_path, command=("serve", "content", *ONLY, "-o", "output", "--port", "0"))
    try:
        said = server.wait_for("serving http://")[-1]
        url = re.search(r"http://\S+/", said)
        assert url is not None
        server.wait_for("watching")
        yield server, url[0]
    finally:
        server.kill()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_a_save_is_told_to_the_page_and_its_pdf_is_the_new_one(
    served: tuple[Watcher, str], tmp_path: Path
) -> None:
    server, url = served
    status, page = _get(url)
    assert status == 200 and b"EventSource" in page
    assert f'href="/_view/{LESSON}-handout.pdf"'.encode() in page
    status, viewer = _get(f"{url}_view/{LESSON}-handout.pdf")
    assert status == 200 and f'src="/{LESSON}-handout.pdf"'.encode() in viewer
    events = Events(url)
    lesson = tmp_path / "content" / f"{LESSON}.yaml"
    save(lesson, lesson.read_text("utf-8").replace("In conclusion,", "To sum up,", 1))
    news = events.next()
    assert f"{LESSON}-handout.pdf" in news["changed"] and news["errors"] == ""
    status, data = _get(f"{url}{LESSON}-handout.pdf")
    (tmp_path / "fetched.pdf").write_bytes(data)
    assert status == 200 and normalize("To sum up") in Pdf(tmp_path / "fetched.pdf").text()
    save(lesson, lesson.read_text("utf-8").replace("title:", "titel:", 1))
    news = events.next()
    assert news["changed"] == []  # the last good PDF stays
    errors = str(news["errors"])
    assert re.search(rf"{LESSON}\.yaml:\d+:\d+: error: ", errors), errors
    status, said = _get(url + "_status")
    assert json.loads(said)["errors"] == errors
    assert server.stop() == 0
    server.wait_for("stopped watching", 5)


def test_it_serves_only_the_output_folder_and_only_to_this_machine(
    served: tuple[Watcher, str], tmp_path: Path
) -> None:
    server, url = served
    port = int(url.rsplit(":", 1)[1].strip("/"))
    for path in (
        "/../content/course.yaml",
        "/%2e%2e/content/course.yaml",
        "/.handouts-manifest.json",
        "/nothing.pdf",
        "/_view/../content/course.yaml",
    ):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path)  # sent as written: no client tidies it
        assert connection.getresponse().status == 404, path
        connection.close()
    listening = _listening(port)
    assert listening == {"127.0.0.1"}, listening
    assert server.stop() == 0


def _listening(port: int) -> set[str]:
    """The local addresses listening on `port` (Linux's /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                if len(address) == 8:
                    found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
                else:
                    found.add(address)
    return found
