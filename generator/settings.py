"""Site settings the generator needs from mkdocs.yml (site_name, site_url,
theme.language, extra.briefing), read without running MkDocs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
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
    publisher: str = ""  # the newsroom, in structured data; site_name unless set


def load_settings(root: Path) -> Settings:
    config = _read(root / "mkdocs.yml")
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    briefing = extra.get("briefing") or {}
    if not isinstance(briefing, dict):
        raise _error("extra.briefing: expected a mapping of keys (timezone, latest, nav_stories, publisher)")
    zone = str(briefing.get("timezone", "UTC"))
    try:
        timezone = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _error(f"extra.briefing.timezone: unknown time zone '{zone}'; use a name like Europe/Paris or UTC") from None
    return Settings(
        site_name=str(config.get("site_name", "Briefs")),
        site_url=str(config.get("site_url") or ""),
        language=str(theme.get("language", "en")),
        timezone=timezone,
        latest_count=_count(briefing, "latest", 30),
        nav_stories=_count(briefing, "nav_stories", 10),
        publisher=str(briefing.get("publisher") or config.get("site_name", "Briefs")),
    )


def _read(path: Path) -> dict:
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_SettingsLoader) or {}
    except OSError as bad:
        raise _error(f"cannot read the site settings: {bad.strerror}") from None
    except yaml.MarkedYAMLError as bad:
        mark = bad.problem_mark or bad.context_mark
        raise _error(f"YAML syntax: {bad.problem or 'invalid YAML'}", mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as bad:
        raise _error(f"YAML syntax: {bad}") from None
    if not isinstance(config, dict):
        raise _error("the site settings must be a mapping of keys (site_name, theme, ...)")
    return config


def _count(briefing: dict, key: str, default: int) -> int:
    value = briefing.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _error(f"extra.briefing.{key}: expected a whole number of 1 or more, found '{value}'")
    return value


def _error(message: str, line: int = 1, column: int = 1) -> ContentErrors:
    return ContentErrors([Problem("mkdocs.yml", line, column, message)])
