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
    path = root / "mkdocs.yml"
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_SettingsLoader) or {}
    except (OSError, yaml.YAMLError) as bad:
        raise ContentErrors([Problem("mkdocs.yml", 1, 1, f"cannot read the site settings: {bad}")]) from None
    theme = config.get("theme") or {}
    briefing = (config.get("extra") or {}).get("briefing") or {}
    zone = str(briefing.get("timezone", "UTC"))
    try:
        timezone = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContentErrors([Problem("mkdocs.yml", 1, 1, f"extra.briefing.timezone: unknown time zone '{zone}'; use a name like Europe/Paris or UTC")]) from None
    return Settings(
        site_name=str(config.get("site_name", "Briefs")),
        site_url=str(config.get("site_url") or ""),
        language=str(theme.get("language", "en")) if isinstance(theme, dict) else "en",
        timezone=timezone,
        latest_count=int(briefing.get("latest", 30)),
        nav_stories=int(briefing.get("nav_stories", 10)),
        publisher=str(briefing.get("publisher") or config.get("site_name", "Briefs")),
    )
