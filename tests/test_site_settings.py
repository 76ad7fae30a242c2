"""Settings are content too: every setting of mkdocs.yml the build uses is
checked by `briefs check` at its line and column, so that a check that
passes is a build that publishes, and no value of the file is a traceback."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import error_lines, run_briefs
from generator.build import check_project
from generator.settings import load_settings

URL_HINT = "write the site's address like https://example.github.io/briefs/"


def set_setting(project: Path, key: str, written: str | None) -> tuple[int, str]:
    """mkdocs.yml with `key: written` (a top-level key, or theme's language) in place of
    the fixture's, or added, or removed (None): the line it is on, and the whole text."""
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    indent = "  " if key == "language" else ""
    pattern = re.compile(rf"(?m)^{indent}{key}:.*\n")
    line = f"{indent}{key}: {written}\n" if written is not None else ""
    if pattern.search(text):
        text = pattern.sub(lambda _: line, text, count=1)
    else:
        text += line
    settings.write_text(text, encoding="utf-8")
    return (text[: text.index(line)].count("\n") + 1 if line else 1), text


BAD = [
    # (key, value as written, column, the error's words after "key: ")
    ("language", "tlh", 13, "'tlh' is not a language Material for MkDocs has words for; did you mean 'tl'?"),
    ("language", "xx", 13, "'xx' is not a language Material for MkDocs has words for; write a language like en, fr or pt-BR"),
    ("language", "'a\"b'", 13, "'a\"b' is not a language Material for MkDocs has words for; write a language like en, fr or pt-BR"),
    ("language", "en-GB", 13, "'en-GB' is not a language Material for MkDocs has words for; did you mean 'en'?"),
    ("language", "sh", 13, "'sh' is not a language the locale data (Babel) knows, which dates are written with"),
    ("site_url", "javascript:alert(1)", 11, f"'javascript:alert(1)' is not an absolute http or https address with a host; {URL_HINT}"),
    ("site_url", "javascript://example.org/%0Aalert(1)", 11,
     f"'javascript://example.org/%0Aalert(1)' is not an absolute http or https address with a host; {URL_HINT}"),
    ("site_url", "ftp://example.org/", 11, f"'ftp://example.org/' is not an absolute http or https address with a host; {URL_HINT}"),
    ("site_url", "example.org/briefs/", 11, f"'example.org/briefs/' is not an absolute http or https address with a host; {URL_HINT}"),
    ("site_url", "https:///briefs/", 11, f"'https:///briefs/' is not an absolute http or https address with a host; {URL_HINT}"),
    ("site_url", "'https://example.org/\"onmouseover=\"alert(1)'", 11,
     f"'https://example.org/\"onmouseover=\"alert…' holds '\"', which an address cannot; {URL_HINT}"),
    ("site_url", "https://example.org/<b>/", 11, f"'https://example.org/<b>/' holds '<', which an address cannot; {URL_HINT}"),
    ("site_url", "'https://example.org/a b/'", 11, f"'https://example.org/a b/' holds a space, which an address cannot; {URL_HINT}"),
    ("site_url", '"https://example.org/\\u202egnp.exe/"', 11,
     f"'https://example.org/\\u202egnp.exe/' holds U+202E, which an address cannot; {URL_HINT}"),
    ("site_url", "https://example.org:99999/", 11, f"'https://example.org:99999/' has a port that is not one; {URL_HINT}"),
    ("site_url", "https://www.example.org@evil.example/", 11,
     f"'https://www.example.org@evil.example/' has a user name before its host (before '@'); {URL_HINT}"),
    ("site_url", "https://example.org/?page=", 11, f"'https://example.org/?page=' has a query or fragment ('?' or '#'), which no page can be below; {URL_HINT}"),
    ("site_url", "[https://example.org/]", 11, f"expected text, found a list; {URL_HINT}"),
    ("site_name", "1984", 12, "this is read as a number; put the text in quotes"),
    ("site_name", "yes", 12, "this is read as true (so are yes, no, on and off); put the text in quotes"),
    ("site_name", "2024-05-07", 12, "this is read as a date; put the text in quotes"),
    ("site_name", "[Briefs]", 12, "expected text, found a list; put the text in quotes"),
    ("site_name", "'  '", 12, "the text is empty"),
    ("site_name", '"The \\x1b[31mDaily"', 12, "U+001B is not text (a control character or noncharacter); delete it"),
    ("site_name", "", 1, "the site's name is missing; write it like site_name: Gaza truce briefing"),
    ("site_name", None, 1, "the site's name is missing; write it like site_name: Gaza truce briefing"),
    ("site_description", "{text: a}", 19, "expected text, found a mapping of keys; put the text in quotes"),
    ("copyright", "2024", 12, "this is read as a number; put the text in quotes"),
    ("site_author", '"\\uFFFE"', 14, "U+FFFE is not text (a control character or noncharacter); delete it"),
]


@pytest.mark.parametrize("key, written, column, words", BAD, ids=[f"{b[0]} {b[1]}" for b in BAD])
def test_a_setting_the_build_uses_is_checked_at_its_place(project: Path, key: str, written: str | None, column: int, words: str):
    line, _ = set_setting(project, key, written)
    if key == "site_name" and written == "":  # at the key, the value being empty
        column = 1
    path = "theme.language" if key == "language" else key
    assert error_lines(check_project, project) == [f"mkdocs.yml:{line}:{column}: error: {path}: {words}"]


GOOD = [
    ("language", "pt-BR"), ("language", "zh-Hant"), ("language", "ar"),
    ("site_url", "https://пример.рф/новости/"), ("site_url", "HTTP://EXAMPLE.ORG:8080/a%20b/"), ("site_url", None),
    ("site_name", "'The \"Daily\" <Brief> & Co'"), ("copyright", "'© 2024 <Newsroom> & \"Friends\"'"),
]


@pytest.mark.parametrize("key, written", GOOD, ids=[f"{g[0]} {g[1]}" for g in GOOD])
def test_settings_an_editor_may_write_pass(project: Path, key: str, written: str | None):
    set_setting(project, key, written)
    assert error_lines(check_project, project) == []


def test_a_language_of_the_newsrooms_own_theme_is_known(project: Path):
    line, _ = set_setting(project, "language", "tlh")
    (project / "overrides/partials/languages").mkdir(parents=True)
    (project / "overrides/partials/languages/tlh.html").write_text("{% macro t(key) %}{% endmacro %}\n", encoding="utf-8")
    assert error_lines(check_project, project) == [  # Material's words are there; the dates' are not
        f"mkdocs.yml:{line}:13: error: theme.language: 'tlh' is not a language the locale data (Babel) knows, which dates are written with; "
        "did you mean 'tl'?"]


UNREADABLE = [
    ("9" * 5001, 14, "a number 5,001 characters long is not a setting; if it is text, put it in quotes"),
    ("1" + ":1" * 100_000, 14, "a number 200,001 characters long is not a setting; if it is text, put it in quotes"),
    ("2024-02-30", 14, "'2024-02-30' cannot be read (day is out of range for month); if it is text, put it in quotes"),
    ("[" * 30 + "]" * 30, 14 + 23, "the settings are nested more than 24 levels deep"),  # the file's mapping is the first level
]


@pytest.mark.parametrize("value, column, words", UNREADABLE, ids=["5,001 digits", "base 60", "no such date", "nested"])
def test_a_value_mkdocs_could_not_read_anywhere_in_the_file_is_an_error_line(project: Path, value: str, column: int, words: str):
    line, _ = set_setting(project, "extra_value", value)
    assert error_lines(check_project, project) == [f"mkdocs.yml:{line}:{column}: error: {words}"]


def test_a_5001_digit_number_is_an_error_line_from_the_command_too(project: Path):
    line, _ = set_setting(project, "extra_value", "9" * 5001)
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"mkdocs.yml:{line}:14: error: a number 5,001 characters long" in result.stderr
    assert not (project / "site").exists()


def test_settings_from_another_file_are_an_error(project: Path):
    line, _ = set_setting(project, "INHERIT", "../base.yml")
    assert error_lines(check_project, project) == [
        f"mkdocs.yml:{line}:10: error: INHERIT: briefs reads its settings from mkdocs.yml alone, as `briefs check` must see "
        "what the build uses; write the inherited settings here"]


def test_every_settings_mistake_is_reported_in_one_run(project: Path):
    set_setting(project, "site_url", "javascript:alert(1)")
    set_setting(project, "language", "xx")
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("    latest: 30", "    latest: many"), encoding="utf-8")
    assert [line.split(": error: ")[1].split(":")[0] for line in error_lines(check_project, project)] == [
        "site_url", "theme.language", "extra.briefing.latest"]


def test_the_checked_values_are_the_ones_the_build_uses(project: Path):
    set_setting(project, "site_name", "'The \"Daily\" <Brief> & Co'")
    set_setting(project, "site_url", "https://example.org/news/")
    set_setting(project, "language", "pt-BR")
    settings = load_settings(project)
    assert (settings.site_name, settings.site_url, settings.language) == ('The "Daily" <Brief> & Co', "https://example.org/news/", "pt-BR")


OVERSIZED = b"site_name: Briefs\nextra_pad: " + b"x" * (1024 * 1024) + b"\n"


@pytest.mark.parametrize("content, words", [
    ("site_name: caf\xe9\n".encode("latin-1"), "the site settings are not UTF-8; save mkdocs.yml as UTF-8"),
    (OVERSIZED, f"the file is {len(OVERSIZED):,} bytes; the limit is 1 MiB (1,048,576 bytes)"),
], ids=["not UTF-8", "over 1 MiB"])
def test_a_settings_file_no_loader_should_read_is_an_error_line(project: Path, content: bytes, words: str):
    (project / "mkdocs.yml").write_bytes(content)
    assert error_lines(check_project, project) == [f"mkdocs.yml:1:1: error: {words}"]


def set_nested(project: Path, path: str, written: str) -> int:
    """mkdocs.yml with `theme.x`, `extra.x` or a top-level key set to `written`: the line it is on."""
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    parent, _, key = path.rpartition(".")
    line = f"  {key}: {written}\n" if parent else f"{key}: {written}\n"
    anchor = {"theme": "theme:\n", "extra": "extra:\n", "": None}[parent]
    text = text.replace(anchor, anchor + line, 1) if anchor else text + line
    settings.write_text(text, encoding="utf-8")
    return text[: text.index(line)].count("\n") + 1


ADDRESS_HINT = "write a file of the site like assets/logo.png, or an https:// address"
ADDRESSES = [
    # (setting, value as written, column, the error's words after "setting: ")
    ("theme.logo", "'x\" onerror=\"alert(1)'", 9, f"'x\" onerror=\"alert(1)' holds '\"', which an address cannot; {ADDRESS_HINT}"),
    ("theme.favicon", "javascript:alert(1)", 12, f"'javascript:alert(1)' is not a file of the site or an http or https address; {ADDRESS_HINT}"),
    ("extra.homepage", "https://example.org/<x>", 13, f"'https://example.org/<x>' holds '<', which an address cannot; {ADDRESS_HINT}"),
    ("repo_url", "example.org/newsroom", 11, f"'example.org/newsroom' is not an absolute http or https address with a host; {ADDRESS_HINT}"),
    ("edit_uri", "'edit/main/\"><script>'", 11, f"'edit/main/\"><script>' holds '\"', which an address cannot; {ADDRESS_HINT}"),
    ("repo_name", "[a]", 12, "expected text, found a list; put the text in quotes"),
]


@pytest.mark.parametrize("setting, written, column, words", ADDRESSES, ids=[a[0] for a in ADDRESSES])
def test_an_address_setting_material_prints_as_it_is_is_checked(project: Path, setting: str, written: str, column: int, words: str):
    line = set_nested(project, setting, written)
    assert error_lines(check_project, project) == [f"mkdocs.yml:{line}:{column}: error: {setting}: {words}"]


def test_each_stylesheet_and_script_is_an_address(project: Path):
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^extra_css:\n", "extra_css:\n  - 'assets/a\" onload=\"alert(1).css'\n", text)
    settings.write_text(text + "extra_javascript:\n  - assets/site.js\n  - {path: 'javascript:alert(1)', defer: true}\n", encoding="utf-8")
    lines = settings.read_text(encoding="utf-8").splitlines()
    css, script = lines.index("  - 'assets/a\" onload=\"alert(1).css'") + 1, len(lines)
    assert error_lines(check_project, project) == [
        f"mkdocs.yml:{css}:5: error: extra_css[0]: 'assets/a\" onload=\"alert(1).css' holds '\"', which an address cannot; {ADDRESS_HINT}",
        f"mkdocs.yml:{script}:5: error: extra_javascript[1]: 'javascript:alert(1)' is not a file of the site or an http or https address; {ADDRESS_HINT}",
    ]


def test_the_generators_own_names_under_extra_are_refused(project: Path):
    line = set_nested(project, "extra.briefs_errors", "{title: '<script>alert(1)</script>', lines: []}")
    assert error_lines(check_project, project) == [
        f"mkdocs.yml:{line}:18: error: extra.briefs_errors: names starting with briefs_ are the generator's own, set as it builds; remove this one"]


def test_addresses_a_newsroom_may_write_pass(project: Path):
    set_nested(project, "theme.logo", "assets/logo.png")
    set_nested(project, "theme.favicon", "https://example.org/favicon.ico")
    set_nested(project, "repo_url", "https://github.com/newsroom/briefs")
    set_nested(project, "repo_name", "'newsroom/briefs <main>'")
    set_nested(project, "edit_uri", "edit/main/briefs/")
    assert error_lines(check_project, project) == []


@pytest.mark.parametrize("written, column, words", [
    ("{menu: material/nonexistent}", 16, "theme.icon.menu: 'material/nonexistent' is not an icon"),
    ("{repo: ../../../etc/passwd}", 16, "theme.icon.repo: '../../../etc/passwd' is not an icon"),
    ("{admonition: {note: 'material/x\" onload=\"y'}}", 29, "theme.icon.admonition.note: 'material/x\" onload=\"y' is not an icon"),
], ids=["unknown", "outside", "quote"])
def test_an_icon_the_build_could_not_find_is_an_error(project: Path, written: str, column: int, words: str):
    line = set_nested(project, "theme.icon", written)
    assert error_lines(check_project, project) == [
        f"mkdocs.yml:{line}:{column}: error: {words} of Material's (.icons/) or of the theme's own; write one like material/menu"]


def test_icons_material_or_the_theme_has_pass(project: Path):
    (project / "overrides/.icons/newsroom").mkdir(parents=True)
    (project / "overrides/.icons/newsroom/mark.svg").write_text("<svg/>", encoding="utf-8")
    set_nested(project, "theme.icon", "{menu: material/menu, logo: newsroom/mark, admonition: {note: fontawesome/solid/note-sticky}}")
    assert error_lines(check_project, project) == []
