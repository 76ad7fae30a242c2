"""The validated model -> each story's embeddable page, /<story>/embed/.

Other sites frame it (<iframe>): it is its own light page, not the
theme's, one HTML file with its styles inline, no script, nothing from
another origin, right-to-left and dark aware. It is written into the
freshly built site beside the feeds, from the model through our
templates, so it is the same under any engine.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from .model import CLAIM_STATUSES, Project
from .page_language import PageLanguage
from .settings import SiteAddress
from .sharing import EMBED_PAGE, direction

# The statuses' colours as CSS custom properties, light then dark: constants
# of the format's declaration (model.CLAIM_STATUSES), not editor text.
STATUS_COLOURS = {scheme: Markup(" ".join(f"--{s.name}: {getattr(s, scheme)};" for s in CLAIM_STATUSES))
                  for scheme in ("light", "dark")}
STATUS_RULES = Markup("\n".join(f".label--{s.name} {{ color: var(--{s.name}); }}" for s in CLAIM_STATUSES))


def write_embeds(project: Project, site: Path, address: SiteAddress) -> None:
    """One embeddable page per published story."""
    languages: dict[str, PageLanguage] = {}
    for entry in project.stories:
        if not entry.briefs:
            continue
        lang = entry.story.lang or project.settings.language
        if lang not in languages:  # the story's words and dates, compiled once a language
            languages[lang] = PageLanguage(lang, project.settings, author_ids={})
        language = languages[lang]
        page = language.env.get_template("embed.html.j2").render(
            story=entry.story, newest=entry.briefs[-1], lang=lang, direction=direction(lang),
            colours=STATUS_COLOURS, status_rules=STATUS_RULES, statuses_meaning=language.words.group("status_meaning"),
            hub=f"{address.base}{entry.story.slug}/",
        )
        path = site / entry.story.slug / EMBED_PAGE / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
