"""The editing form at /admin/: configured from the declaration, kept apart
from the readers' site (no sitemap, search, feed or other page knows it),
its bundle the pinned one, and nothing loaded from another origin."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import MINIMAL_BRIEF, MINIMAL_STORY, ROOT, SHARED_SOURCES, copy_project, error_lines, run_briefs, serve, write
from generator.build import check_project
from generator.cms import FORMAT, cms_config
from generator.model import AUTHORS_FILE, BRIEF, SOURCES_FILE, STORY
from generator.schema import ListOf, Record
from generator.settings import load_settings
from generator.transliteration import letters_table

ADMIN = ROOT / "generator" / "admin"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small project built with `briefs build`: one story, one brief, shared sources."""
    root = copy_project(tmp_path_factory.mktemp("form"), with_briefs=False)
    write(root / "briefs/sources.yaml", SHARED_SOURCES)
    write(root / "briefs/test-story/story.yaml", MINIMAL_STORY)
    write(root / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF)
    result = run_briefs(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def _declared(record: Record, prefix: str = "") -> set[str]:
    """Every key path the declaration allows, lists' items marked `[]`."""
    paths = set()
    for name, spec in record.cls.FIELDS.items():
        path = prefix + name
        paths.add(path)
        kind = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(kind, Record):
            paths |= _declared(kind, path + ("[]." if isinstance(spec.type, ListOf) else "."))
    return paths


def _configured(fields: list[dict], prefix: str = "") -> set[str]:
    paths = set()
    for field in fields:
        path = prefix + field["name"]
        paths.add(path)
        if "fields" in field:
            paths |= _configured(field["fields"], path + ("[]." if field["widget"] == "list" else "."))
    return paths


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def test_the_configuration_has_every_field_of_the_declaration(built: Path):
    config = yaml.safe_load((built / "site/admin/config.yml").read_text(encoding="utf-8"))
    briefs = _collection(config, "story-test-story")
    assert _configured(briefs["fields"]) == _declared(BRIEF)
    assert _configured(briefs["index_file"]["fields"]) == _declared(STORY)
    assert _configured(_collection(config, "stories")["fields"]) == _declared(STORY)
    sources = _collection(config, "sources")["files"][0]
    assert sources["file"] == "briefs/sources.yaml"
    (root_list,) = sources["fields"]
    assert root_list["root"] is True and root_list["widget"] == "list"
    assert _configured(root_list["fields"]) == _declared(SOURCES_FILE.item)
    authors = _collection(config, "authors")["files"][0]
    assert authors["file"] == "briefs/authors.yaml"
    (root_list,) = authors["fields"]
    assert root_list["root"] is True and root_list["widget"] == "list"
    assert _configured(root_list["fields"]) == _declared(AUTHORS_FILE.item)  # every key of model.Author
    contact = _field(root_list["fields"], "contact")["pattern"][0]
    assert re.fullmatch(contact, "mailto:nour@example.org") and re.fullmatch(contact, "https://example.org/nour")
    assert not re.fullmatch(contact, "http://example.org/nour")


def _field(fields: list[dict], path: str) -> dict:
    name, _, rest = path.partition(".")
    field = next(f for f in fields if f["name"] == name)
    return _field(field["fields"], rest) if rest else field


def test_fields_carry_the_guides_words_requirements_and_choices(built: Path):
    config = yaml.safe_load((built / "site/admin/config.yml").read_text(encoding="utf-8"))
    fields = _collection(config, "story-test-story")["fields"]
    for name, spec in BRIEF.cls.FIELDS.items():
        field = _field(fields, name)
        assert field["required"] is spec.required, name
        assert spec.doc in field["hint"], name
    claims = _field(fields, "what_we_know")
    assert claims["min"] == 1 and claims["widget"] == "list"
    status = _field(fields, "what_we_know.status")
    assert [o["value"] for o in status["options"]] == ["confirmed", "reported", "claimed", "disputed", "debunked"]
    assert status["options"][4]["label"] == "debunked: shown to be false; kept for the record"
    sources = _field(fields, "what_we_know.sources")
    assert (sources["widget"], sources["collection"], sources["value_field"], sources["multiple"]) == (
        "relation", "sources", "sources.*.id", True)
    assert _field(fields, "positions.quotes.by")["required"] is True
    assert re.fullmatch(_field(fields, "date")["pattern"][0], "2024-05-07T21:00+03:00")  # as written, offset kept
    assert re.fullmatch(_field(fields, "date")["pattern"][0], "2024-05-07")
    assert not re.fullmatch(_field(fields, "updated")["pattern"][0], "2024-05-07")  # a date-time only
    assert "image" not in json.dumps(_field(fields, "context"))  # no images in a brief
    story_status = _field(_collection(config, "stories")["fields"], "status")
    assert [o["value"] for o in story_status["options"]] == ["developing", "concluded"]


def test_new_briefs_go_into_their_storys_folder_named_by_date_and_title(built: Path):
    config = yaml.safe_load((built / "site/admin/config.yml").read_text(encoding="utf-8"))
    briefs = _collection(config, "story-test-story")
    assert briefs["folder"] == "briefs/test-story"
    assert briefs["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    assert briefs["index_file"]["name"] == "story"  # story.yaml is the story, not a brief
    # Briefs and stories are saved in the briefs' YAML format, which form.js registers under that name.
    assert briefs["format"] == _collection(config, "stories")["format"] == FORMAT
    assert f"export const FORMAT = '{FORMAT}';" in (ADMIN / "yaml-format.js").read_text(encoding="utf-8")
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "timezone": "local", "maxlength": 80}


def test_github_backend_with_the_editorial_workflow(project: Path):
    config = cms_config([], load_settings(project))
    assert config["backend"] == {"name": "github", "repo": "example/briefs"}  # from site_url; the default branch
    assert config["publish_mode"] == "editorial_workflow"
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nextra:\n  briefing:\n    repository: newsroom/desk\n",
                        encoding="utf-8")
    assert cms_config([], load_settings(project))["backend"]["repo"] == "newsroom/desk"


def test_the_form_page_is_noindex_with_a_strict_policy(built: Path):
    html = (built / "site/admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-eval" not in policy and "unsafe-inline" not in directives["script-src"]
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="form.js">']  # it starts the CMS


def test_the_bundle_is_the_pinned_version():
    lock = json.loads((ADMIN / "package-lock.json").read_text(encoding="utf-8"))
    version = lock["packages"]["node_modules/@sveltia/cms"]["version"]
    assert json.loads((ADMIN / "package.json").read_text(encoding="utf-8"))["dependencies"]["@sveltia/cms"] == version
    assert f"version:`{version}`" in (ADMIN / "sveltia-cms.js").read_text(encoding="utf-8")
    yaml_version = lock["packages"]["node_modules/yaml"]["version"]  # the YAML library form.js uses
    assert json.loads((ADMIN / "package.json").read_text(encoding="utf-8"))["dependencies"]["yaml"] == yaml_version


def test_briefs_new_folds_letters_with_the_forms_own_table():
    """The letters table the bundle makes file names with is the vendored
    one `briefs new` uses (generator/transliteration.py), entry for entry."""
    bundle = (ADMIN / "sveltia-cms.js").read_text(encoding="utf-8")
    start = bundle.index("new Map([[`ß`,`ss`]")  # the table's first entry
    table = bundle[start:bundle.index("]])", start) + 1]
    bundled = {}
    for letter, ascii in re.findall(r"\[`((?:[^`\\]|\\.)*)`,`((?:[^`\\]|\\.)*)`\]", table):
        bundled[letter.replace("\\\\", "\\")] = ascii.replace("\\\\", "\\")
    assert len(bundled) > 1800
    assert bundled == letters_table()[0]


def test_the_form_is_outside_the_readers_site(built: Path):
    site = built / "site"
    for name in ["sveltia-cms.js", "form.js", "yaml-format.js", "yaml/dist/index.js", "icons.css",
                 "material-symbols-outlined.woff2"]:
        assert (site / "admin" / name).read_bytes() == (ADMIN / name).read_bytes()
    pages = [p for p in site.rglob("*.html") if p.parent.name != "admin"]
    assert len(pages) > 3
    for page in pages:
        loads = re.findall(r"<(?:script|link|iframe|img|object|embed)\b[^>]*>", page.read_text(encoding="utf-8"))
        assert not [tag for tag in loads if "sveltia" in tag.lower() or "admin/" in tag], page
    for listing in ["sitemap.xml", "news-sitemap.xml", "feed.xml", "feed.json", "briefs.json"]:
        if (site / listing).exists():
            assert "admin" not in (site / listing).read_text(encoding="utf-8"), listing
    index = site / "assets/pagefind"
    assert index.is_dir()
    assert not any("admin" in p.name for p in index.rglob("*"))
    assert run_briefs(built, "check").returncode == 0


def test_admin_is_a_reserved_story_name(project: Path):
    write(project / "briefs/admin/story.yaml", MINIMAL_STORY)
    assert error_lines(check_project, project) == [
        "briefs/admin:1:1: error: 'admin' is a name the site uses itself; choose another story folder name"]


def test_only_the_form_loads_the_cms_and_nothing_comes_from_elsewhere(built: Path, browser):
    server, url = serve(built / "site")
    loaded: list[tuple[str, str]] = []  # (page, URL answered)
    context = browser.new_context()
    page = context.new_page()
    current = {"page": ""}
    page.on("response", lambda response: loaded.append((current["page"], response.url)))
    try:
        for path in ["", "test-story/", "test-story/2024-05-07-first/", "guide/", "admin/"]:
            current["page"] = path
            page.goto(url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Work with Local Repository").wait_for()  # the form started
    finally:
        context.close()
        server.shutdown()
    outside = [(p, u) for p, u in loaded if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []  # the form's own attempts (fonts, update checks) are refused by its policy
    cms = {p for p, u in loaded if u.endswith("sveltia-cms.js")}
    assert cms == {"admin/"}
