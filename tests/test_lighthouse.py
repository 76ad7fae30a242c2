"""Lighthouse, mobile profile, on pages served with gzip under /briefs/: every
category but performance scores at least 0.98. Performance is a timing, so it is
printed (see docs/benchmarks.md), not asserted."""
from __future__ import annotations

import gzip
import http.server
import json
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from audit_tools import BRIEF, GUIDE, HOME, HUB, LIGHTHOUSE, require
from conftest import CHROMIUM, QuietServer, _SubPathHandler

ASSERTED = ("accessibility", "best-practices", "seo")
PAGES = {"home": HOME, "hub": HUB, "brief": BRIEF, "guide": GUIDE}


class _GzipHandler(_SubPathHandler):
    """The sub-path server, answering with gzip like GitHub Pages does."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            # robots.txt among them: a 404 lets crawlers index everything.
            self.send_error(404)
            return None
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: a file-like object do_GET copies to the client."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def _lighthouse(url: str) -> dict:
    result = subprocess.run(
        [str(require(LIGHTHOUSE)), url, "--output=json", "--output-path=stdout", "--quiet",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def reports(example_site):
    """One Lighthouse run per page, two at a time (one per core)."""
    from functools import partial
    server = QuietServer(("127.0.0.1", 0), partial(_GzipHandler, directory=str(example_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/briefs/"
    try:
        with ThreadPoolExecutor(2) as pool:
            runs = pool.map(lambda path: _lighthouse(root + path), PAGES.values())
            reports = dict(zip(PAGES, runs))
    finally:
        server.shutdown()
    for name, report in reports.items():
        scores = {c: report["categories"][c]["score"] for c in (*ASSERTED, "performance")}
        print(f"lighthouse {name}: {scores}")
    return reports


def _failing_audits(report: dict, category: str) -> list[str]:
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]]["score"] or 0) < 1
    ]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("category", ASSERTED)
def test_scores_at_least_98(reports, page, category):
    score = reports[page]["categories"][category]["score"]
    assert score >= 0.98, f"{page} {category} {score}: " + "; ".join(
        _failing_audits(reports[page], category))


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_requests_nothing_outside_loopback(reports, page):
    requests = reports[page]["audits"]["network-requests"]["details"]["items"]
    hosts = {urlsplit(r["url"]).hostname for r in requests if r["url"].startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
