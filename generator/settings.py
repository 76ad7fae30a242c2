"""Site settings the generator needs from mkdocs.yml (site_name, site_url,
theme.language, extra.briefing), read without running MkDocs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .problems import ContentErrors, Problem


class _SettingsLoader(yaml.SafeLoader):
    """mkdocs.yml may hold !!python/name and !ENV tags meant for MkDocs."""


_SettingsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str
    language: str
    timezone: ZoneInfo
    latest_count: int = 30  # developments on the home page
    nav_stories: int = 10  # stories in the navigation; the home page lists all
    publisher: str = ""  # the newsroom, in structured data and the footer; site_name unless set
    corrections_policy: str = ""  # the newsroom's corrections policy, linked from the footer
    contact: str = ""  # how to reach the newsroom (https, mailto or a page of the site), in the footer


def load_settings(root: Path) -> Settings:
    path = root / "mkdocs.yml"
    config = _read(path)
    theme, extra = _mapping(config.get("theme")), _mapping(config.get("extra"))
    briefing = extra.get("briefing") or {}
    if not isinstance(briefing, dict):
        raise _error("extra.briefing: expected a mapping of keys (timezone, latest, nav_stories, publisher, corrections_policy, contact)")
    zone = str(briefing.get("timezone", "UTC"))
    try:
        timezone = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _briefing_error(path, "timezone", f"unknown time zone '{zone}'; use a name like Europe/Paris or UTC") from None
    return Settings(
        site_name=str(config.get("site_name", "Briefs")),
        site_url=str(config.get("site_url") or ""),
        language=str(theme.get("language", "en")),
        timezone=timezone,
        latest_count=_count(path, briefing, "latest", 30),
        nav_stories=_count(path, briefing, "nav_stories", 10),
        publisher=str(briefing.get("publisher") or config.get("site_name", "Briefs")),
        corrections_policy=_address(path, briefing, "corrections_policy"),
        contact=_address(path, briefing, "contact"),
    )


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _read(path: Path) -> dict:
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_SettingsLoader) or {}
    except OSError as bad:
        raise _error(f"cannot read the site settings: {bad.strerror}") from None
    except yaml.MarkedYAMLError as bad:
        mark = bad.problem_mark or bad.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _error(f"YAML syntax: {bad.problem or 'invalid YAML'}", line, column) from None
    except yaml.YAMLError as bad:
        raise _error(f"YAML syntax: {bad}") from None
    if not isinstance(config, dict):
        raise _error("the site settings must be a mapping of keys (site_name, theme, ...)")
    return config


def _count(path: Path, briefing: dict, key: str, default: int) -> int:
    value = briefing.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _briefing_error(path, key, f"expected a whole number of 1 or more, found '{value}'")
    return value


def _address(path: Path, briefing: dict, key: str) -> str:
    """A link the footer shows: an https or http address, a mailto: address,
    or a page of the site written relative to it (about/corrections/)."""
    value = briefing.get(key)
    if value is None:
        return ""
    text = value if isinstance(value, str) else ""
    parts = urlsplit(text) if text.isprintable() and text.strip() == text and " " not in text else None
    if parts is None or not text:
        valid = False
    elif parts.scheme in ("http", "https"):
        valid = bool(parts.netloc)
    elif parts.scheme == "mailto":
        valid = "@" in parts.path
    else:
        valid = not parts.scheme and not parts.netloc and not text.startswith(("/", "\\"))
    if not valid:
        raise _briefing_error(path, key, f"'{value}' is not a link; write an address like https://example.org/{key.replace('_', '-')}/, "
                                         "mailto:desk@example.org or a page of the site like about/")
    return text


def _briefing_error(path: Path, key: str, message: str) -> ContentErrors:
    """A mistake in extra.briefing.<key>, at the place of its value."""
    line, column = _place(path, ("extra", "briefing", key))
    return _error(f"extra.briefing.{key}: {message}", line, column)


def _place(path: Path, keys: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the value at `keys` (or of the nearest mapping
    that holds it), read again only when an error needs them."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_SettingsLoader)
    for key in keys:
        found = [v for k, v in node.value if k.value == key] if isinstance(node, yaml.MappingNode) else []
        if not found:
            break
        node = found[-1]
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def _error(message: str, line: int = 1, column: int = 1) -> ContentErrors:
    return ContentErrors([Problem("mkdocs.yml", line, column, message)])
