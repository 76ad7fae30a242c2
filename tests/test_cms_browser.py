"""The editing form in Chromium, in the CMS's local mode, served by `briefs edit`.

The folder picker cannot be driven by a test, so the page's
`showDirectoryPicker` is replaced by one that hands the CMS an
origin-private folder (OPFS) filled with a fixture project. Every file the
form writes is read back from that folder, must pass `briefs check`, and,
copied into the project `briefs edit` serves, shows in its preview."""
from __future__ import annotations

import datetime as dt
import difflib
import http.client
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import MINIMAL_STORY, ROOT, SHARED_SOURCES, copy_project, free_port, run_briefs, serve, start_briefs, stop, write

# Written by hand, as an editor would: comments, quotes, a flow list, blank lines.
BRIEF = """
# yaml-language-server: $schema=../../schemas/brief.schema.json
title: "Talks resume"
date: 2024-05-07
summary: Delegations are back in Cairo.

what_we_know:
  # What the delegations said.
  - id: talks-resumed
    text: Talks resumed in Cairo.
    status: confirmed

  - text: A draft is on the table.
    status: reported
    sources: [reuters]  # Reuters only, so far

context: |
  The talks stopped in *March*.
"""
BRIEF_FILE = "briefs/test-story/2024-05-07-talks-resume.yaml"
# Sources the form offers no choice for: the brief's own, and an inline one.
OWN_SOURCES_FILE = "briefs/test-story/2024-05-06-talks-planned.yaml"
OWN_SOURCES = """
title: Talks planned
date: 2024-05-06
summary: Delegations are expected in Cairo.
what_we_know:
  - text: A draft is on the table.
    status: reported
    sources: [reuters, desk-notes, {name: Le Monde, url: "https://www.lemonde.fr/"}]
positions:
  - party: Egypt
    stance: Hosts the talks.
    quotes:
      - text: The doors are open.
        by: A spokesman
        source: {name: Al-Qahera News, url: "https://alqaheranews.net/"}
timeline:
  - date: 2024-05
    text: Talks stopped.
    source: {name: Le Monde, url: "https://www.lemonde.fr/"}
sources:
  - id: desk-notes
    name: The desk's notes
"""
FIXTURE_FILES = ("briefs/test-story/story.yaml", BRIEF_FILE, OWN_SOURCES_FILE)

# The picker's stand-in: the project's files (and a .git, which the CMS looks
# for) into the origin-private folder, which is returned as the picked folder.
PICKER = """
window.showDirectoryPicker = async () => {
  const root = await navigator.storage.getDirectory();
  for (const [path, text] of Object.entries(%s)) {
    const parts = path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
    const writable = await (await folder.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(text);
    await writable.close();
  }
  return root;
};
window.readPicked = async () => {
  const files = {};
  const walk = async (folder, prefix) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else {
        try { files[prefix + name] = await (await handle.getFile()).text(); }
        catch (error) { if (error.name !== 'NotFoundError') throw error; }  // being written: read next time
      }
    }
  };
  await walk(await navigator.storage.getDirectory(), '');
  return files;
};
// Resolves to [path, text] of the first file for which `wanted(path, text)`
// holds, looking at the folder again until it does; rejects after a minute,
// even if a look at the folder never ends (page.evaluate has no timeout).
window.waitWritten = wanted => new Promise((resolve, reject) => {
  let seen = [], ended = false;
  const giveUp = setTimeout(() => { ended = true; reject(new Error(`not written; the folder holds ${seen}`)); }, 60000);
  const again = () => { if (!ended) setTimeout(look, 100); };  // the next look at the folder, not a wait for time to pass
  const look = () => readPicked().then(files => {
    seen = Object.keys(files);
    const found = Object.entries(files).find(([path, text]) => wanted(path, text));
    if (!found) return again();
    ended = true;
    clearTimeout(giveUp);
    resolve(found);
  }, again);  // a read that failed (a file changing under it) is tried again
  look();
});
"""


@pytest.fixture
def editing(tmp_path: Path):
    """A project and `briefs edit --no-browser` serving its preview and form."""
    root = copy_project(tmp_path / "project", with_briefs=False)
    write(root / "briefs/sources.yaml", SHARED_SOURCES)
    write(root / "briefs/test-story/story.yaml", MINIMAL_STORY)
    write(root / BRIEF_FILE, BRIEF)
    write(root / OWN_SOURCES_FILE, OWN_SOURCES)
    port = free_port()
    server = start_briefs(root, "edit", "--no-browser", "-a", f"127.0.0.1:{port}")
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(url + "admin/config.yml", "story-test-story", server)
        yield root, url, server
    finally:
        stop(server)


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, server: subprocess.Popen, patience: float = 90) -> str:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()
        page = _fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    pytest.fail(f"{text!r} never showed on {url}")


@pytest.fixture
def form(editing, browser):
    """The form, signed in to the local folder (a copy of the project's briefs)."""
    root, url, server = editing
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in (root / "briefs").rglob("*.yaml")}
    files[".git/HEAD"] = "ref: refs/heads/main\n"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC")
    page = context.new_page()
    page.add_init_script(PICKER % json.dumps(files))
    page.goto(url + "admin/")
    page.get_by_role("button", name="Work with Local Repository").click()
    page.get_by_text("Test story", exact=True).first.click()
    page.get_by_text("Talks resume").first.wait_for()  # the story's briefs are read
    yield page, root, url, server
    context.close()


# Scrolls to the last field drawn in the same top-level field (else the last
# drawn at all) and says whether `path` is drawn yet; run until it is.
REVEAL = """path => {
    const top = path.split('.')[0];
    const drawn = [...document.querySelectorAll('[data-key-path]')];
    const near = drawn.filter(element => element.dataset.keyPath.split('.')[0] === top);
    (near.length ? near : drawn).at(-1)?.scrollIntoView();  // nothing drawn yet: look again
    return document.querySelector(`[data-key-path="${path}"]`);
}"""


def reveal(page, path: str) -> None:
    """Scroll down until the form has drawn the field (it draws fields as they come into view)."""
    page.wait_for_function(REVEAL, arg=path)


def field(page, path: str):
    return page.locator(f'[data-key-path="{path}"]')


def box(page, path: str):
    return field(page, path).locator(':is(input, textarea, [contenteditable="true"]):visible').first


def type_into(page, path: str, text: str) -> None:
    box(page, path).fill(text)


def new_entry(page) -> None:
    """A new entry's form, ready for typing. The CMS's "Create New Entry"
    opens a menu popup, a modal dialog (empty here), until it has drawn the
    form: while it is open the rest of the page is inert, and text typed
    into the form's first field reached no field (about 1 run in 4, when
    the tests typed at once)."""
    page.get_by_role("button", name="Create New Entry").click()
    page.wait_for_function("() => !document.querySelector('dialog[open].modal') && document.querySelector('[data-key-path=\"title\"]')")


def choose(page, path: str, status: str) -> None:
    """A status clicked as an editor clicks it. A click before the CMS
    listens for the radio group's clicks counts once it does (form.js):
    the radio shows as chosen a moment later."""
    radio = field(page, path).get_by_role("radio", name=re.compile(f"^{status}:"))
    radio.click()
    expect(radio).to_be_checked()


def add_item(page, list_label: str) -> None:
    page.get_by_role("button", name=re.compile(rf"^Add\W*{re.escape(list_label)}\W*$")).click()


def save(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()


def picked(page, path: str, before: str | None = None) -> str:
    """The file at `path` in the picked folder, once it exists (and differs from `before`)."""
    return page.evaluate("([path, before]) => waitWritten((p, text) => p === path && text !== before)", [path, before])[1]


def check_and_preview(root: Path, path: str, text: str, url: str, page_path: str, shown: str, server) -> dict:
    """The written file, put where the form's folder is: `briefs check` passes and the preview shows it."""
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    result = run_briefs(root, "check")
    assert result.returncode == 0, result.stderr
    _wait_for(url + page_path, shown, server)
    return yaml.safe_load(text)


def test_a_new_brief_with_claims_a_question_and_a_shared_source(form, tmp_path: Path):
    page, root, url, server = form
    new_entry(page)
    type_into(page, "title", "Éruption à Łódź: Straße")
    type_into(page, "date", "2024-05-08T21:00+03:00")
    type_into(page, "summary", "The *second* day of talks.")
    add_item(page, "What we know")
    type_into(page, "what_we_know.0.text", "Both delegations arrived.")
    choose(page, "what_we_know.0.status", "confirmed")
    add_item(page, "What we know")
    type_into(page, "what_we_know.1.text", "Hamas accepted the draft, its officials said.")
    choose(page, "what_we_know.1.status", "claimed")
    field(page, "what_we_know.1.sources").get_by_role("checkbox", name="Reuters").check()
    add_item(page, "What we don't know")
    type_into(page, "what_we_dont_know.0", "Whether Israel will accept it.")
    field(page, "what_we_know").evaluate("element => element.scrollIntoView({block: 'start'})")
    # The form's screenshots for docs-assets/ when asked (BRIEFS_RETAKE_SCREENSHOTS=1); a test run leaves the repository as it was.
    shots = ROOT / "docs-assets" if os.environ.get("BRIEFS_RETAKE_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(shots / "form-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    field(page, "what_we_know.1.text").evaluate("element => element.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(shots / "form-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    save(page)

    # Folded to ASCII as the contract says (é → e, ł → l, ß → ss), dated today.
    expected = f"briefs/test-story/{dt.datetime.now(dt.timezone.utc).date().isoformat()}-eruption-a-lodz-strasse.yaml"
    text = picked(page, expected)
    written = [name for name in page.evaluate("readPicked()") if name.startswith("briefs/test-story/")
               and name not in FIXTURE_FILES and not Path(name).name.startswith(".")]
    assert written == [expected]
    brief = check_and_preview(root, expected, text, url,
                              f"test-story/{Path(expected).stem}/", "Hamas accepted the draft", server)
    assert brief["title"] == "Éruption à Łódź: Straße"
    assert brief["date"] == "2024-05-08T21:00+03:00"  # the offset as written
    assert brief["summary"] == "The *second* day of talks."
    assert [(c["text"], c["status"], c.get("sources")) for c in brief["what_we_know"]] == [
        ("Both delegations arrived.", "confirmed", None),
        ("Hamas accepted the draft, its officials said.", "claimed", ["reuters"])]
    assert brief["what_we_dont_know"] == ["Whether Israel will accept it."]


def test_a_new_story(form):
    page, root, url, server = form
    page.get_by_text("Stories", exact=True).first.click()
    new_entry(page)
    type_into(page, "title", "Élections à Montréal")
    type_into(page, "summary", "Who runs the city.")
    save(page)
    written = picked(page, "briefs/elections-a-montreal/story.yaml")  # the folder named from the title
    # A choice left at the format's default is not written (status: developing).
    assert yaml.safe_load(written) == {"title": "Élections à Montréal", "summary": "Who runs the city."}
    (root / "briefs/elections-a-montreal").mkdir()
    (root / "briefs/elections-a-montreal/story.yaml").write_text(written, encoding="utf-8")
    result = run_briefs(root, "check")
    assert result.returncode == 0, result.stderr


def test_changing_a_status_and_adding_a_correction_changes_only_those_lines(form):
    page, root, url, server = form
    page.get_by_text("Talks resume", exact=False).first.click()
    save_button = page.get_by_role("button", name="Save", exact=True)
    assert not save_button.is_enabled()  # an unchanged entry cannot be saved: nothing is rewritten
    page.get_by_role("button", name="Expand All").first.click()
    reveal(page, "what_we_know.1.id")  # the claim drawn whole, its sources' field too
    choose(page, "what_we_know.1.status", "disputed")
    reveal(page, "corrections")
    add_item(page, "Corrections")
    type_into(page, "corrections.0.date", "2024-05-08")
    type_into(page, "corrections.0.text", "An earlier version named the wrong city.")
    save(page)
    text = picked(page, BRIEF_FILE, before=BRIEF.lstrip("\n"))
    check_and_preview(root, BRIEF_FILE, text, url, "test-story/2024-05-07-talks-resume/",
                      "An earlier version named the wrong city.", server)
    # The status's line and the correction's, nothing else: comments, quotes,
    # the flow list, key order and blank lines as the editor wrote them.
    assert text == BRIEF.lstrip("\n").replace("status: reported", "status: disputed") + (
        "corrections:\n"
        "  - date: 2024-05-08\n"
        "    text: An earlier version named the wrong city.\n")


# Clicks a claim's status the moment its radio group is drawn, before the
# CMS listens for the group's clicks (100 ms later): the click an editor
# makes as a field comes into view.
CLICK_AS_DRAWN = """([path, label]) => { window.clickedAsDrawn = new Promise((resolve, reject) => {
    const look = () => {
        const radio = [...document.querySelectorAll(`[data-key-path="${path}"] [role="radio"]`)]
            .find(r => document.getElementById(r.getAttribute('aria-labelledby'))?.textContent.startsWith(label));
        radio?.click();
        return radio;
    };
    const observer = new MutationObserver(() => look() && (observer.disconnect(), resolve(true)));
    observer.observe(document.body, {childList: true, subtree: true});
    setTimeout(() => (observer.disconnect(), reject(new Error(`${path}: no ${label} radio was drawn`))), 60000);
}); }"""


def test_a_status_clicked_as_soon_as_it_is_drawn_is_saved(form):
    page, root, url, server = form
    page.evaluate(CLICK_AS_DRAWN, ["what_we_know.1.status", "disputed:"])
    page.get_by_text("Talks resume", exact=False).first.click()
    page.get_by_role("button", name="Expand All").first.click()
    reveal(page, "what_we_know.1.id")
    page.evaluate("clickedAsDrawn")  # it was clicked
    expect(field(page, "what_we_know.1.status").get_by_role("radio", name=re.compile("^disputed:"))).to_be_checked()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_enabled()  # the form has the change
    save(page)
    text = picked(page, BRIEF_FILE, before=BRIEF.lstrip("\n"))
    assert _changed_lines(BRIEF.lstrip("\n"), text) == ["-    status: reported", "+    status: disputed"]


def test_a_form_missing_a_required_field_refuses_to_save_and_says_why(form):
    page, root, url, server = form
    new_entry(page)
    type_into(page, "title", "Only a title")
    save(page)
    for required in ("summary", "date", "what_we_know"):
        field(page, required).get_by_text("This field is required.").wait_for()
    assert [name for name in page.evaluate("readPicked()") if "only-a-title" in name] == []


# The form and `briefs new` fold letters with the same table (generator/transliteration.py).
@pytest.mark.parametrize("title", ["Éruption à Reykjavík", "Łódź", "Straße", "Wahlen in Köln", "اتفاق الهدنة في القاهرة"])
def test_the_form_names_a_new_brief_as_briefs_new_does(form, tmp_path: Path, title: str):
    page, root, url, server = form
    new_entry(page)
    type_into(page, "title", title)
    type_into(page, "date", "2024-05-08")
    type_into(page, "summary", "A summary.")
    add_item(page, "What we know")
    type_into(page, "what_we_know.0.text", "A claim.")
    choose(page, "what_we_know.0.status", "confirmed")
    known = list(page.evaluate("readPicked()"))
    save(page)
    # The new brief, not the CMS's temporary files (.sveltia-tmp-…) on the way.
    written, _ = page.evaluate("known => waitWritten(path => !known.includes(path) && /^briefs\\/[^.][^/]*\\/[^./][^/]*\\.yaml$/.test(path))", known)
    named = copy_project(tmp_path / "named", with_briefs=False)
    write(named / "briefs/test-story/story.yaml", MINIMAL_STORY)
    made = run_briefs(named, "new", "test-story", title)
    assert made.returncode == 0, made.stderr
    assert written == made.stdout.split()[-1]


def test_briefs_edit_answers_only_its_own_host(editing):
    root, url, server = editing
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    for host, status in [(f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200),
                         (f"attacker.example:{port}", 400), (f"127.0.0.1.nip.io:{port}", 400)]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/admin/config.yml", headers={"Host": host})
        assert connection.getresponse().status == status, host
        connection.close()
    assert f"The editing form: {url}admin/" in _output_so_far(server)


def _output_so_far(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGINT)
    out, err = server.communicate(timeout=20)
    return out + err


def test_a_save_keeps_sources_the_form_does_not_offer(form):
    """The brief's own source ids and inline sources are no choices in the
    form (a claim's, a quote's, an event's); saving the brief keeps them:
    changing its title changes that line only."""
    page, root, url, server = form
    page.get_by_text("Talks planned", exact=False).first.click()
    type_into(page, "title", "Talks planned in Cairo")
    save(page)
    text = picked(page, OWN_SOURCES_FILE, before=OWN_SOURCES.lstrip("\n"))
    check_and_preview(root, OWN_SOURCES_FILE, text, url, "test-story/2024-05-06-talks-planned/",
                      "Talks planned in Cairo", server)
    assert _changed_lines(OWN_SOURCES.lstrip("\n"), text) == ["-title: Talks planned", "+title: Talks planned in Cairo"]


# The briefs' YAML format (generator/admin/yaml-format.js) on its own: the
# text a save writes for values the form hands it.
HAND_WRITTEN = """# yaml-language-server: $schema=../../schemas/brief.schema.json
title: "Truce talks"   # as the desk named them
date: 2024-05-07
summary: Delegations are back in Cairo.

what_we_know:
  - text: Talks resumed.
    status: confirmed
    sources: [reuters, ap]

  # The draft.
  - text: A draft is on the table.
    status: reported
    id: draft

context: |
  The talks stopped in *March*.
"""


@pytest.fixture
def yaml_format(browser):
    """toFile(values, text): what a save writes, from the values the form
    holds for an entry read from `text` (or a new entry, for null)."""
    server, url = serve(ROOT / "generator" / "admin")
    page = browser.new_page()
    page.goto(url + "yaml-format.js")
    page.evaluate("url => import(url).then(format => { window.format = format; })", url + "yaml-format.js")

    def to_file(values: dict, text: str | None = HAND_WRITTEN) -> str:
        return page.evaluate("""([values, text]) => {
            const read = text === null ? {} : format.fromFile(text.trim());
            const original = Object.fromEntries(Object.entries(read).filter(([key]) => key.startsWith('__')));
            return format.toFile({...values, ...original});
        }""", [values, text]).strip() + "\n"  # the CMS trims it and ends it with a line break

    yield to_file
    page.close()
    server.shutdown()


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_a_save_of_unchanged_values_writes_the_file_as_it_was(yaml_format):
    values = yaml.safe_load(HAND_WRITTEN)
    values["date"] = "2024-05-07"  # YAML 1.2, as the form reads it: a date is text
    assert yaml_format(values) == HAND_WRITTEN
    # What the form adds or drops on its own is no change: draft's default, a text's last line break.
    assert yaml_format({**values, "draft": False, "context": values["context"].rstrip("\n")}) == HAND_WRITTEN


def test_a_save_changes_only_the_lines_of_what_changed(yaml_format):
    values = yaml.safe_load(HAND_WRITTEN)
    values["date"] = "2024-05-07"
    values["what_we_know"][1]["status"] = "disputed"
    assert _changed_lines(HAND_WRITTEN, yaml_format(values)) == ["-    status: reported", "+    status: disputed"]
    values["what_we_know"][0]["sources"].append("afp")  # a flow list stays one
    assert _changed_lines(HAND_WRITTEN, yaml_format(values))[:2] == [
        "-    sources: [reuters, ap]", "+    sources: [reuters, ap, afp]"]
    del values["what_we_know"][0]  # a claim removed: its lines go, the comment of the next one stays
    assert _changed_lines(HAND_WRITTEN, yaml_format(values)) == [
        "-  - text: Talks resumed.", "-    status: confirmed", "-    sources: [reuters, ap]", "-",
        "-    status: reported", "+    status: disputed"]
    values["title"] = "Truce talks resume"  # a quoted value stays quoted, its comment stays
    assert 'title: "Truce talks resume" # as the desk named them' in yaml_format(values)


def test_a_new_file_is_written_whole(yaml_format):
    assert yaml_format({"title": "Élections", "summary": "Who runs the city.", "what_we_know": [
        {"text": "A claim.", "status": "confirmed", "sources": ["reuters"]}]}, None) == (
        "title: Élections\nsummary: Who runs the city.\nwhat_we_know:\n"
        "  - text: A claim.\n    status: confirmed\n    sources:\n      - reuters\n")


def test_an_author_added_in_the_form(form):
    """briefs/authors.yaml, edited as a list (generated from model.Author): a
    first author is written to a new file that `briefs check` passes."""
    page, root, url, server = form
    page.get_by_text("Authors", exact=True).first.click()
    page.get_by_text("briefs/authors.yaml", exact=True).first.click()
    add_item(page, "Authors")
    type_into(page, "authors.0.id", "nour-khalil")
    type_into(page, "authors.0.name", "Nour Khalil")
    type_into(page, "authors.0.contact", "mailto:nour@example.org")
    save(page)
    text = picked(page, "briefs/authors.yaml")
    assert yaml.safe_load(text) == [{"id": "nour-khalil", "name": "Nour Khalil", "contact": "mailto:nour@example.org"}]
    (root / "briefs/authors.yaml").write_text(text, encoding="utf-8")
    result = run_briefs(root, "check")
    assert result.returncode == 0, result.stderr


def test_an_inline_source_stays_unless_a_shared_one_is_chosen(yaml_format):
    """The form cannot show a quote's or an event's inline source and hands
    it back absent: it stays; a shared source chosen in its place replaces it."""
    text = 'title: Talks\ntimeline:\n  - date: 2024-05\n    text: Talks stopped.\n    source: {name: Le Monde, url: "https://www.lemonde.fr/"}\n'
    event = {"date": "2024-05", "text": "Talks stopped."}
    assert yaml_format({"title": "Talks", "timeline": [event]}, text) == text
    assert yaml_format({"title": "Talks", "timeline": [{**event, "source": "reuters"}]}, text) == text.replace(
        '{name: Le Monde, url: "https://www.lemonde.fr/"}', "reuters")
