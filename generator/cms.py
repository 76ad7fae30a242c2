"""The editing form at /admin/: Sveltia CMS, vendored, configured from model.py.

Every field of the declaration becomes a field of the form, with the guide's
words (the field docs) as its hint, its required flag, its choices with their
meanings and its list bounds; nothing here lists a key by hand. The build and
the preview write the form beside the pages, after MkDocs: MkDocs never sees
it, so it is in no sitemap, no search index and no feed. Its page carries
`noindex` and a Content-Security-Policy that lets it load nothing but its own
files and, on GitHub, talk to GitHub's API.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from .model import AUTHORS_FILE, BRIEF, SOURCE_IN_LIST, STORY, SourceRef
from .schema import (
    SLUG_MAX, BlockText, Boolean, Choice, Contact, DateOrDateTime, DateTime, FieldSpec, FieldType, InlineText, Language, ListOf,
    PartialDateType, Record, Slug, Text, Url,
)
from .settings import Settings
from .yaml_engine import dump

ADMIN_DIR = "admin"  # the form's folder in the site; a reserved story slug
VENDORED = Path(__file__).parent / "admin"  # index.html and the pinned bundle (tools/vendor_cms.py)
FORM_FILES = ("index.html", "form.js", "yaml-format.js", "sveltia-cms.js", "icons.css", "material-symbols-outlined.woff2", "yaml")
# The briefs' YAML format (admin/yaml-format.js, registered by admin/form.js):
# a save writes the form's values into the file's own text.
FORMAT = "briefs-yaml"
SOURCES_COLLECTION, SOURCES_FILE, SOURCES_LIST = "sources", "sources", "sources"
AUTHORS_COLLECTION = "authors"
# What Markdown the format renders (text.py): inline syntax in inline text,
# paragraphs, lists and ### subheads as well in block text; never images.
INLINE_BUTTONS = ["bold", "italic", "code", "link"]
BLOCK_BUTTONS = [*INLINE_BUTTONS, "heading-three", "bulleted-list", "numbered-list"]
# The form's own preview pane is off: the preview is the site (`briefs edit`),
# and editor text is never drawn as HTML outside it.
EDITOR = {"preview": False}


def write_form(site_dir: Path, stories: list[tuple[str, str]], settings: Settings) -> None:
    """The form's page, bundle and generated configuration into site/admin/."""
    folder = site_dir / ADMIN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name in FORM_FILES:
        if (VENDORED / name).is_dir():
            shutil.copytree(VENDORED / name, folder / name, dirs_exist_ok=True)
        else:
            shutil.copyfile(VENDORED / name, folder / name)
    (folder / "config.yml").write_text(config_yaml(stories, settings), encoding="utf-8")


def config_yaml(stories: list[tuple[str, str]], settings: Settings) -> str:
    header = "# Generated from generator/model.py by the build: edit the declaration there, never this file.\n"
    return header + dump(cms_config(stories, settings))


def cms_config(stories: list[tuple[str, str]], settings: Settings) -> dict:
    """The CMS configuration: sources.yaml as a list, a collection to start
    a story, and one collection per story (`stories`: slug, title) holding
    its briefs and its story.yaml."""
    return {
        # No branch: the CMS asks GitHub for the repository's default branch.
        "backend": {"name": "github", "repo": repository(settings)},
        "publish_mode": "editorial_workflow",  # a new or changed brief is a pull request, checked by CI
        "media_folder": "briefs",  # required by the CMS; a brief has no images
        "slug": {"encoding": "ascii", "clean_accents": True, "timezone": "local", "maxlength": SLUG_MAX},
        "output": {"omit_empty_optional_fields": True, "yaml": {"quote": "none"}},
        "collections": [_sources_collection(), _authors_collection(), _stories_collection(),
                        *(_briefs_collection(s, t) for s, t in stories)],
    }


def repository(settings: Settings) -> str:
    """`owner/name` of the GitHub repository: extra.briefing.repository, else
    read from a GitHub Pages project address, https://owner.github.io/name/."""
    if settings.repository:
        return settings.repository
    parts = urlsplit(settings.site_url)
    owner = parts.hostname.removesuffix(".github.io") if parts.hostname and parts.hostname.endswith(".github.io") else ""
    name = parts.path.strip("/").split("/")[0]
    return f"{owner}/{name or owner + '.github.io'}" if owner else "owner/repository"


def _list_file_collection(name: str, label: str, icon: str, kind: ListOf, doc: str) -> dict:
    """A file of briefs/ whose root is a list (briefs/<name>.yaml), edited as a list."""
    path = f"briefs/{name}.yaml"
    return {
        "name": name, "label": label, "icon": icon,
        "files": [{
            "name": name, "label": path, "file": path, "format": "yaml", "editor": EDITOR,
            "fields": [{**_field(name, FieldSpec(kind, doc=doc)), "root": True}],
        }],
    }


def _sources_collection() -> dict:
    return _list_file_collection(SOURCES_COLLECTION, "Shared sources", "menu_book", ListOf(SOURCE_IN_LIST),
                                 "Sources every brief can cite by id.")


def _authors_collection() -> dict:
    return _list_file_collection(AUTHORS_COLLECTION, "Authors", "badge", AUTHORS_FILE,
                                 "The newsroom's authors: a byline equal to an author's name links to their page.")


def _stories_collection() -> dict:
    """Starting a story: its folder is named from the title, as a slug."""
    return {
        "name": "stories", "label": "Stories", "label_singular": "story", "icon": "folder",
        "description": "A new story folder under briefs/, named from the title; its briefs are then a collection of their own.",
        "folder": "briefs", "path": "{{slug}}/story", "extension": "yaml", "format": FORMAT,
        "editor": EDITOR, "fields": _fields(STORY),
    }


def _briefs_collection(story: str, title: str) -> dict:
    """One story's briefs, named as `briefs new` names them: today's date, then
    the title as a slug; the story's own story.yaml is its index file."""
    return {
        "name": f"story-{story}", "label": title, "label_singular": "brief", "icon": "article",
        "description": f"briefs/{story}/",
        "folder": f"briefs/{story}", "extension": "yaml", "format": FORMAT,
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
        "summary": "{{title}} ({{date}})",
        "sortable_fields": {"fields": ["date", "title"], "default": {"field": "date", "direction": "descending"}},
        "index_file": {"name": "story", "label": "The story (story.yaml)", "fields": _fields(STORY)},
        "editor": EDITOR, "fields": _fields(BRIEF),
    }


def _fields(record: Record) -> list[dict]:
    return [_field(name, spec) for name, spec in record.cls.FIELDS.items()]


def _field(name: str, spec: FieldSpec) -> dict:
    field = {"name": name, "label": _label(name), "required": spec.required, **_widget(spec.type)}
    hint = _hint(spec)
    if hint:
        field["hint"] = hint
    return field


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize().replace("dont", "don't").replace("Whats", "What's")


def _hint(spec: FieldSpec) -> str:
    """The guide's words for the field (a choice's meanings are its options' labels)."""
    return spec.doc


def _pattern(kind: FieldType, example: str) -> list[str]:
    """The type's own JSON Schema pattern (its string forms, each anchored, as
    alternatives), as the form's check."""
    schema = kind.json_schema()
    pattern = "|".join(s["pattern"] for s in schema.get("anyOf", [schema]) if s.get("type") == "string")
    return [pattern, f"Write it like {example}"]


def _widget(kind: FieldType) -> dict:
    """The CMS widget that edits a value of this field type."""
    if isinstance(kind, BlockText):
        return {"widget": "markdown", "modes": ["raw"], "buttons": BLOCK_BUTTONS, "editor_components": []}
    if isinstance(kind, InlineText):
        return {"widget": "markdown", "modes": ["raw"], "minimal": True, "buttons": INLINE_BUTTONS,
                "editor_components": []}
    if isinstance(kind, Choice):
        return {"widget": "select", "options": [{"label": f"{value}: {meaning}", "value": value}
                                                for value, meaning in kind.choices.items()]}
    if isinstance(kind, Slug):
        return {"widget": "string", "pattern": _pattern(kind, "rafah-crossing (a-z, 0-9, single hyphens)")}
    if isinstance(kind, Url):
        return {"widget": "string", "type": "url", "pattern": _pattern(kind, "https://www.reuters.com/")}
    if isinstance(kind, Contact):
        return {"widget": "string", "pattern": _pattern(kind, "mailto:nour@example.org or https://example.org/nour")}
    if isinstance(kind, Language):
        return {"widget": "string", "pattern": _pattern(kind, "en, fr or ar")}
    if isinstance(kind, (DateOrDateTime, DateTime)):
        # Text, checked as the validator checks it, so a date stays a date and a
        # date-time keeps the offset written (the CMS's picker would rewrite
        # `2024-05-07` as midnight in the browser's zone).
        example = "2024-05-07 or 2024-05-07T21:00+03:00" if isinstance(kind, DateOrDateTime) else "2024-05-07T21:00+03:00"
        return {"widget": "string", "pattern": _pattern(kind, example)}
    if isinstance(kind, PartialDateType):
        return {"widget": "string", "pattern": _pattern(kind, "2007, 2023-10 or 2023-10-07")}
    if isinstance(kind, Boolean):
        return {"widget": "boolean"}
    if isinstance(kind, SourceRef):
        return _source_choice(multiple=False)
    if isinstance(kind, ListOf):
        return _list(kind)
    if isinstance(kind, Record):
        return {"widget": "object", "fields": _fields(kind)}
    if isinstance(kind, Text):
        return {"widget": "string"}
    raise TypeError(f"no form widget for {type(kind).__name__}: add one in generator/cms.py")


def _source_choice(multiple: bool) -> dict:
    """A source id chosen among briefs/sources.yaml's, shown by name."""
    return {"widget": "relation", "collection": SOURCES_COLLECTION, "file": SOURCES_FILE,
            "value_field": f"{SOURCES_LIST}.*.id", "display_fields": [f"{SOURCES_LIST}.*.name"],
            "search_fields": [f"{SOURCES_LIST}.*.name", f"{SOURCES_LIST}.*.id"], "multiple": multiple}


def _list(kind: ListOf) -> dict:
    bounds = {key: value for key, value in (("min", kind.min_items), ("max", kind.max_items)) if value}
    if isinstance(kind.item, SourceRef):
        return {**_source_choice(multiple=True), **bounds}
    item = kind.item
    if isinstance(item, Record):
        summary = next((f"{{{{{name}}}}}" for name in ("text", "party", "name") if name in item.cls.FIELDS), "")
        return {"widget": "list", "fields": _fields(item), "summary": summary, "collapsed": "auto", **bounds}
    return {"widget": "list", "field": {"name": "item", "label": "Item", "required": True, **_widget(item)}, **bounds}

