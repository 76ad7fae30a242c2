"""A story for other sites: /<story>/embed/ is a light page of its own that
any site can frame, with no script and nothing from another origin, in the
story's language and direction, light and dark; the hub offers the
<iframe> to copy."""
from __future__ import annotations

import gzip
import html
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from conftest import QuietServer, SUB_PATH, built_site, copy_project, serve, write
from payloads import PAYLOAD

CLAIMS = "\n".join(f"""  - text: "Claim {n}: officials in the region said that the talks would go on for several more days, with mediators shuttling between delegations."
    status: {("reported", "claimed", "disputed", "confirmed", "debunked")[n % 5]}
    sources: [ap, {{name: Local Radio}}]""" for n in range(40)) + """
sources:
  - id: ap
    name: Associated Press
    short: AP
    url: "https://apnews.com/"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("embed"), with_briefs=False)
    write(root / "briefs/talks/story.yaml", "title: Truce talks\nsummary: Where the talks stand.\n")
    write(root / "briefs/talks/2024-05-06-first.yaml", "title: First round\ndate: 2024-05-06\nsummary: It starts.\n"
          "what_we_know:\n  - text: Old claim.\n    status: confirmed\n")
    write(root / "briefs/talks/2024-05-07-second.yaml", "title: Talks resume in Cairo\ndate: 2024-05-07T21:00:00+03:00\n"
          "updated: 2024-05-08T08:00:00+03:00\nsummary: They resume.\nwhat_we_know:\n" + CLAIMS + "\n")
    write(root / "briefs/hudna/story.yaml", "title: مفاوضات الهدنة\nsummary: أين وصلت المفاوضات.\nlang: ar\n")
    write(root / "briefs/hudna/2024-05-06-accord.yaml", "title: حماس توافق على المقترح المصري\ndate: 2024-05-06\n"
          "summary: وافقت الحركة.\nwhat_we_know:\n  - text: وافقت حماس على المقترح.\n    status: claimed\n"
          "    sources: [{name: الجزيرة, url: \"https://www.aljazeera.net/\"}]\n")
    write(root / "briefs/hostile/story.yaml", "title: " + '"' + PAYLOAD.replace('"', '\\"') + '"' + "\nsummary: Hostile.\n")
    write(root / "briefs/hostile/2024-05-06-x.yaml", "title: X\ndate: 2024-05-06\nsummary: X.\nwhat_we_know:\n  - text: X.\n    status: confirmed\n")
    return built_site(root)


def embed(site: Path, story: str) -> str:
    return (site / story / "embed/index.html").read_text(encoding="utf-8")


def test_the_embed_shows_the_story_its_newest_development_and_what_we_know_with_outlets(site):
    page = lxml.html.fromstring(embed(site, "talks"))
    assert page.xpath("//h1")[0].text_content() == "Talks resume in Cairo"
    text = " ".join(page.text_content().split())
    assert "Truce talks" in text and "Developing story" in text and "Updated May 8, 2024, 08:00 GMT+3" in text
    time = page.xpath("//p[@class='time']//time")[0]
    assert [e.tag for e in time.iterancestors("bdi")] == ["bdi"]  # isolated once, as its page's dates are
    items = page.xpath("//main//li")
    assert len(items) == 40 and "Old claim." not in text
    first = " ".join(items[0].text_content().split())
    assert first.startswith("Reported Claim 0:") and first.endswith("(AP, Local Radio)")
    assert items[0].xpath(".//a/@href") == ["https://apnews.com/"]
    assert page.xpath("//a[@href='https://example.github.io/briefs/talks/']")  # the hub
    assert page.xpath("//base/@target") == ["_top"]  # links leave the frame for the reader's tab
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]


def test_the_embed_needs_no_script_and_stays_small(site):
    text = embed(site, "talks")
    assert "<script" not in text
    assert not re.search(r"<[^>]+\son[a-z]+=", text)
    assert len(gzip.compress(text.encode())) < 30_000  # 40 claims, two sources each


def test_the_embed_is_in_the_storys_language_and_direction(site):
    page = lxml.html.fromstring(embed(site, "hudna"))
    assert page.get("lang") == "ar" and page.get("dir") == "rtl"


def test_the_hub_offers_the_iframe_to_copy_and_a_hostile_title_stays_text(site):
    for story in ("talks", "hostile"):
        hub = (site / story / "index.html").read_text(encoding="utf-8")
        code = lxml.html.fromstring(hub).xpath("//pre[contains(@class,'story-embed__code')]/code")[0].text_content()
        frame = lxml.html.fragment_fromstring(code)  # what a newsroom pastes, parsed as the host page would
        assert frame.tag == "iframe" and len(frame) == 0
        assert frame.get("src") == f"https://example.github.io/briefs/{story}/embed/"
        assert set(frame.attrib) == {"src", "title", "width", "height", "style", "loading"}
    assert frame.get("title") == PAYLOAD


class _HostPage(http.server.BaseHTTPRequestHandler):
    """Another site, on another origin, that frames the embed."""

    frame_url = ""

    def do_GET(self) -> None:
        body = f'<!doctype html><html lang="en"><title>Host</title><h1>A host site</h1><iframe src="{html.escape(self.frame_url)}" title="Truce talks" width="390" height="700"></iframe>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_embed_in_an_iframe_on_another_origin_loads_only_itself_and_passes_axe(site, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    server, url = serve(site)
    handler = type("Host", (_HostPage,), {"frame_url": url + "talks/embed/"})
    host = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=host.serve_forever, daemon=True).start()
    host_url = f"http://127.0.0.1:{host.server_address[1]}/"
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1000, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    tab = context.new_page()
    try:
        tab.goto(host_url, wait_until="networkidle")
        frame = tab.frame_locator("iframe")
        assert frame.locator("h1").inner_text() == "Talks resume in Cairo"
        origins = {urlsplit(u)._replace(path="", query="", fragment="").geturl() for u in requests}
        assert origins == {host_url.rstrip("/"), url.removesuffix(SUB_PATH)}, requests  # the host and the embed, nothing else
        assert [u for u in requests if u.startswith(url)] == [url + "talks/embed/"]  # one file: styles inline, no script
        embedded = next(f for f in tab.frames if f.url.endswith("/talks/embed/"))
        assert embedded.evaluate("document.scripts.length") == 0
        background = embedded.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(30, 32, 41)")
        reported = embedded.evaluate("getComputedStyle(document.querySelector('.label--reported')).color")
        assert reported == ("rgb(13, 71, 161)" if scheme == "light" else "rgb(144, 202, 249)")  # the status's colours
        results = Axe().run(embedded)
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        context.close()
        host.shutdown()
        server.shutdown()


def test_the_embed_reads_right_to_left_in_chromium(site, browser):
    server, url = serve(site)
    tab = browser.new_page()
    try:
        tab.goto(url + "hudna/embed/")
        assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
        label, claim = tab.locator("main li").first.bounding_box(), tab.locator("main li .label").first.bounding_box()
        assert claim["x"] + claim["width"] > label["x"] + label["width"] - 40  # the label starts at the right
    finally:
        tab.close()
        server.shutdown()
