"""Our partials under overrides/partials stay true to the Material installed.

Each is either a copy of Material's partial with small edits, made from the
original whose hash is kept here (a Material upgrade that changes the
original fails until the copy takes the change in), or our own file in the
place of Material's, with what Material's original gives that ours must keep
asserted against the installed original."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import material
import pytest

from conftest import ROOT
from generator.settings import TEXT_SETTINGS

MATERIAL = Path(material.__file__).parent / "templates"
MATERIAL_PARTIALS = MATERIAL / "partials"
OURS = ROOT / "overrides/partials"

# overrides/partials/<name>: sha256 of the Material original it was copied from.
COPIED_FROM = {
    "nav.html": "af33f6e032f632eb055c365eb5f1a975bf8456152fa768e69a1aad6d470b843f",
    "copyright.html": "bc86bca3bf75070fe5d72e2a3463bdddf87c10f4d6459c945fe81c5d384e35ea",
    "header.html": "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
    "language.html": "3a44516f305006ac794f51a45ad7b532cf270916d8e92e8c42784e58b2eff0a3",
    "content.html": "ce33929c85af129f6e2f3b0aed47159e9c4a519482d1938bae15f5ff4a3cfae5",
    "source.html": "6847616d67be4920d39c278c2799bf20222bbc02ee2a8393aca85e3eaa518752",
}
# Copies whose one change is that every text setting they print is escaped.
ESCAPED_COPIES = ("content.html", "source.html")
# base.html, whose site_meta and htmltitle blocks overrides/main.html copies.
BASE_COPIED_FROM = "8536d352b0093623df9e0032894f321cbe264b15a9b48cdd962583772455dadb"
# Settings a page shows as text (TEXT_SETTINGS): MkDocs' Jinja does not escape, so each use is `| e`.
UNESCAPED = re.compile(r"\{\{[^}]*config\.(?:" + "|".join(TEXT_SETTINGS) + r")\b(?![^}]*\|\s*e\b)[^}]*\}\}")
# overrides/partials/<name>: our own file in the place of Material's, and the
# sha256 of the Material original it replaces (read when it changes).
REPLACES = {
    "search.html": "bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def body(template: str) -> str:
    """A template without its leading {#- ... -#} comment."""
    return template[template.index("-#}\n") + 4:]


def test_every_partial_of_ours_is_a_known_copy_or_replacement():
    assert sorted(p.name for p in OURS.iterdir()) == sorted({*COPIED_FROM, *REPLACES})


@pytest.mark.parametrize("name", COPIED_FROM)
def test_material_original_is_the_one_our_copy_was_made_from(name):
    assert (OURS / name).exists()
    assert sha256(MATERIAL_PARTIALS / name) == COPIED_FROM[name], (
        f"Material's partials/{name} changed since overrides/partials/{name} was made from it: "
        f"bring its change into our copy, then put the new hash here")


@pytest.mark.parametrize("name", REPLACES)
def test_material_original_is_the_one_ours_replaces(name):
    assert sha256(MATERIAL_PARTIALS / name) == REPLACES[name], (
        f"Material's partials/{name} changed: read its change, bring what applies into our "
        f"overrides/partials/{name} (classes, accessibility), then put the new hash here")


def test_the_header_is_materials_own_but_for_the_search_box():
    original = (MATERIAL_PARTIALS / "header.html").read_text(encoding="utf-8")
    ours = (OURS / "header.html").read_text(encoding="utf-8")
    start = original.index('    {% if "material/search" in config.plugins %}')
    end = original.index("    {% if config.repo_url %}")
    assert body(ours) == escaped(body(original).replace(original[start:end], '    {% include "partials/search.html" %}\n'))


def escaped(template: str) -> str:
    """Material's template with every text setting escaped."""
    def escape(found: re.Match) -> str:
        printed = found.group()
        if "d(config.site_name, true)" in printed:  # the name as the default of another value
            return printed.replace("d(config.site_name, true)}}", "d(config.site_name | e, true) }}")
        return printed.replace(" }}", " | e }}")

    return UNESCAPED.sub(escape, template)


@pytest.mark.parametrize("name", ESCAPED_COPIES)
def test_an_escaping_copy_is_materials_own_but_for_the_escaped_settings(name):
    original = (MATERIAL_PARTIALS / name).read_text(encoding="utf-8")
    assert body((OURS / name).read_text(encoding="utf-8")) == escaped(body(original))


def test_main_copies_the_blocks_of_materials_base_but_for_escaped_settings():
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert sha256(MATERIAL / "base.html") == BASE_COPIED_FROM, (
        "Material's base.html changed since overrides/main.html copied its site_meta and htmltitle blocks: "
        "bring its change into our copy, then put the new hash here")
    main = (ROOT / "overrides/main.html").read_text(encoding="utf-8")
    for block in ("site_meta", "htmltitle"):
        theirs = re.search(rf"(?s)\{{% block {block} %\}}(.*?)\{{% endblock %\}}", base).group(1)
        ours = re.search(rf"(?s)\{{% block {block} %\}}(.*?)\{{% endblock %\}}", main).group(1)
        dedented = re.sub(r"(?m)^    ", "", theirs).replace("| d(lang.t('language')) }}", "| d(lang.t('language')) | e }}")
        dedented = re.sub(r"\{% if page\.meta and page\.meta\.author %\}\s*<meta[^>]*>\s*\{% elif config\.site_author %\}",
                          "{% if config.site_author %}", dedented)  # the generator sets no page author
        assert ours.strip() == escaped(dedented).strip(), block


# Material's templates that print a text setting as it is, and why each
# does not reach a page unescaped.
NEVER_RENDERED = {"redirect.html": "only for a page whose front matter names it; the generator writes all front matter, naming none"}


def test_every_text_setting_reaches_pages_escaped():
    """Each of our templates escapes every text setting it prints, and every
    Material template that prints one as it is has our copy in its place
    (base.html: the blocks main.html overrides)."""
    for template in (ROOT / "overrides").rglob("*.html"):
        assert not UNESCAPED.findall(template.read_text(encoding="utf-8")), template
    main = (ROOT / "overrides/main.html").read_text(encoding="utf-8")
    for template in MATERIAL.rglob("*.html"):
        name = template.relative_to(MATERIAL).as_posix()
        text = template.read_text(encoding="utf-8")
        if not UNESCAPED.search(text) or name in NEVER_RENDERED or (ROOT / "overrides" / name).exists():
            continue
        assert name == "base.html", f"Material's {name} prints a setting unescaped: copy it into overrides/ with | e"
        for found in UNESCAPED.finditer(text):
            block = re.findall(r"\{% block (\w+) %\}", text[: found.start()])[-1]
            assert f"{{% block {block} %}}" in main, f"base.html's {block} block prints {found.group()}: override it in main.html"


def test_the_language_partial_is_materials_own_but_for_the_page_language_and_direction():
    original = (MATERIAL_PARTIALS / "language.html").read_text(encoding="utf-8")
    ours = (OURS / "language.html").read_text(encoding="utf-8")
    materials_macro = "{% macro t(key) %}{{ lang.t(key) or fallback.t(key) or key }}{% endmacro %}"
    assert materials_macro in original
    imports = body(original)[: body(original).index(materials_macro)]
    # the page's language (the site's on a page without one), then English, as Material's
    assert "config.theme.language" in imports and imports.replace("config.theme.language", "page_words.theme") in body(ours)
    assert "{{ lang.t(key) or fallback.t(key) or key }}" in ours  # every other word as Material's


def classes(template: str) -> set[str]:
    return {name for value in re.findall(r'class="([^"]*)"', template) for name in value.split()
            if name.startswith("md-search")}


def test_our_search_box_keeps_materials_classes_and_toggle_and_not_its_search_component():
    """Our search box (Pagefind, generator/search.py) sits where Material's
    did and looks like it: it keeps every class Material's stylesheet styles
    the box by, and the labels that open and close it through Material's
    `__search` toggle. It leaves out `data-md-component="search"`, which
    makes Material's script start its own search and fetch the whole index,
    and the suggestion field of that search."""
    original = (MATERIAL_PARTIALS / "search.html").read_text(encoding="utf-8")
    ours = (OURS / "search.html").read_text(encoding="utf-8")
    left_out = {"md-search__suggest"}
    assert classes(original) - left_out <= classes(ours)
    stylesheet = next((MATERIAL / "assets/stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    assert all(f".{name}" in stylesheet for name in classes(ours)), "a class ours uses is no longer styled by Material"
    assert 'for="__search"' in original and ours.count('for="__search"') == original.count('for="__search"')
    assert 'id="__search"' in (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' in original and "data-md-component" not in ours


def test_no_theme_template_holds_text_whose_indentation_shows():
    # generator/mkdocs_plugins.UnindentedTemplates removes the indentation of every template line.
    for folder in (MATERIAL, ROOT / "overrides"):
        for template in folder.rglob("*.html"):
            assert not re.search(r"<(pre|textarea|listing|xmp)\b", template.read_text(), re.IGNORECASE), template


def test_pages_carry_no_template_indentation_and_code_keeps_its_own(example_site: Path):
    for page in (example_site / "index.html", *example_site.glob("gaza-truce-talks/*/index.html")):
        indented = re.findall(r"(?m)^[ \t]+\S.*", page.read_text())
        assert indented == [], page
    guide = (example_site / "guide/index.html").read_text()
    assert "\n  sources.yaml " in guide  # a code block of the editor guide, as written
