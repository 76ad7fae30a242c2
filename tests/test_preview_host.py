"""The preview answers only at its own address: a page of another site
whose name is pointed at 127.0.0.1 (DNS rebinding) gets 400 for every
request, the live-reload one included, and reads no draft."""
from __future__ import annotations

import contextlib
import http.client
import socket
import time

import psutil
import pytest

from conftest import MINIMAL_BRIEF, free_port, start_briefs, stop, write

PATIENCE = 60  # seconds for the first build: generous, this is not a speed test
DRAFT = "briefs/test-story/2024-05-08-secret.yaml"
DRAFT_PAGE = "/test-story/2024-05-08-secret/"


def get(port: int, path: str, host: str | None) -> tuple[int, str]:
    """A GET to 127.0.0.1:port with this Host header (None: an HTTP/1.0 request without one)."""
    with contextlib.closing(socket.create_connection(("127.0.0.1", port), timeout=20)) as connection:
        head = f"GET {path} HTTP/1.0\r\n" if host is None else f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
        connection.sendall((head + "\r\n").encode("latin-1"))
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, response.read().decode("utf-8", errors="replace")


@contextlib.contextmanager
def preview(project, address: str, port: int):
    write(project / DRAFT, MINIMAL_BRIEF.replace("2024-05-07", "2024-05-08").replace("Something is known.", "A secret draft.")
          + "draft: true\n")
    server = start_briefs(project, "serve", "-a", address)
    output: dict[str, str] = {}
    try:
        deadline = time.monotonic() + PATIENCE
        while True:
            assert server.poll() is None, server.communicate()
            with contextlib.suppress(OSError, http.client.HTTPException):
                if "A secret draft." in get(port, DRAFT_PAGE, f"127.0.0.1:{port}")[1]:
                    break
            assert time.monotonic() < deadline, "the preview never showed the draft"
            time.sleep(0.3)
        yield output
    finally:
        output["stdout"], output["stderr"] = stop(server)


def test_only_the_previews_own_address_is_answered(project):
    port = free_port()
    with preview(project, f"127.0.0.1:{port}", port):
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
            status, page = get(port, DRAFT_PAGE, host)
            assert status == 200 and "A secret draft." in page, host
        assert get(port, "/livereload/0/0", f"localhost:{port}")[0] == 200  # a newer site than epoch 0: answered at once
        for host in (f"rebound.example:{port}", "rebound.example", f"127.0.0.1:{port + 1}", f"127.0.0.1.rebound.example:{port}",
                     f"localhost.:{port}", "", None):
            for path in (DRAFT_PAGE, "/", "/livereload/0/0", "/livereload.js", "/search/pagefind.js"):
                status, page = get(port, path, host)
                assert status == 400 and "secret" not in page, (host, path, status)


def test_a_preview_bound_to_every_address_answers_at_the_machines_names_and_says_so(project):
    port = free_port()
    with preview(project, f"0.0.0.0:{port}", port) as output:
        addresses = {a.address for found in psutil.net_if_addrs().values() for a in found if a.family == socket.AF_INET}
        for host in {socket.gethostname(), "0.0.0.0", "127.0.0.1", "localhost", *addresses}:
            status, page = get(port, DRAFT_PAGE, f"{host}:{port}")
            assert status == 200 and "A secret draft." in page, host
        assert get(port, DRAFT_PAGE, f"rebound.example:{port}")[0] == 400
    assert f"reachable from the network, at http://{socket.gethostname()}:{port}/" in output["stdout"]


@pytest.mark.parametrize("address, wildcard", [("127.0.0.1", False), ("localhost", False), ("0.0.0.0", True), ("::", True)])
def test_only_a_wildcard_address_adds_the_machines_names(address, wildcard):
    from generator.serve import own_hosts

    hosts = own_hosts(address, 8000)
    assert (f"{socket.gethostname().lower()}:8000" in hosts) == wildcard
    assert {"127.0.0.1:8000", "localhost:8000"} <= hosts
    assert not any(host.startswith("rebound") for host in hosts)
