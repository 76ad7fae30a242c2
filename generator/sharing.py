"""What search engines and social networks read from a page: schema.org
JSON-LD and Open Graph / Twitter card meta, built from the validated model
for the render stage.

The JSON-LD leaves here as JSON that cannot end its <script> element;
meta values are plain text, escaped where the front matter is written
(generator/page_meta.py).
"""
from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Literal
from urllib.parse import urljoin

from babel import Locale, UnknownLocaleError

from .model import WORK_TYPES, Author, Brief, Story, last_revised, moment
from .page_meta import MetaTag, ShareMeta
from .settings import Settings, SiteAddress

# Characters that could end a <script> element or start markup inside it,
# and line separators old JavaScript parsers refuse in strings: as JSON
# escapes they mean the same.
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}
ARTICLE_TYPES = {w.name: w.schema_type for w in WORK_TYPES}
EMBED_PAGE = "embed"  # /<story>/embed/: a brief may not take this name (validate.RESERVED_BRIEF_SLUGS)
CARDS_DIR = "assets/cards"  # social cards in the site (generator/cards.py draws them)
CARD_SIZE = (1200, 630)


def script_json(data) -> str:
    """JSON that is safe as the text of a <script> element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


def card_path(story: str, brief: str | None = None) -> str:
    """Where a brief's or a story hub's social card is in the site."""
    return f"{CARDS_DIR}/{story}/{brief}.png" if brief else f"{CARDS_DIR}/{story}.png"


def direction(lang: str) -> Literal["ltr", "rtl"]:
    """'rtl' for Arabic, Hebrew, Persian, Urdu ...; else 'ltr'."""
    try:
        return "rtl" if Locale.parse(lang.replace("-", "_")).text_direction == "rtl" else "ltr"
    except (ValueError, UnknownLocaleError):
        return "ltr"


class Sharing:
    """Structured data and share meta for one site's pages."""

    def __init__(self, settings: Settings, authors: Sequence[Author] = ()):
        self.settings = settings
        self.base = SiteAddress.published(settings).base  # a page's canonical address, even in the preview
        self.organization = self._organization()
        self.publisher = {"@type": "NewsMediaOrganization", "@id": self.organization["@id"], "name": settings.publisher, "url": self.base}
        self.authors = {author.name: author for author in authors}

    def _organization(self) -> dict:
        """The newsroom as news platforms read its trust signals: its
        policies (where the settings link them) and its logo."""
        settings = self.settings
        links = {
            "publishingPrinciples": settings.principles,
            "correctionsPolicy": settings.corrections_policy,
            "verificationFactCheckingPolicy": "guide/#statuses",  # the guide's "The five statuses": how we label claims
            "ownershipFundingInfo": settings.ownership,
        }
        return {
            "@type": "NewsMediaOrganization", "@id": self.base + "#publisher", "name": settings.publisher, "url": self.base,
            **({"logo": {"@type": "ImageObject", "url": self._absolute(settings.logo)}} if settings.logo else {}),
            **{key: self._absolute(link) for key, link in links.items() if link and not link.startswith("mailto:")},
        }

    def _absolute(self, link: str) -> str:
        return urljoin(self.base, link)

    def home(self) -> ShareMeta:
        """The home page: the newsroom itself, for platforms that weigh it."""
        site = {"@type": "WebSite", "name": self.settings.site_name, "url": self.base, "publisher": {"@id": self.organization["@id"]}}
        return self._head([self.organization, site], [])

    def author(self, author: Author) -> ShareMeta:
        """An author's page: a ProfilePage about a Person."""
        url = self.url("authors", author.id)
        page = {"@type": "ProfilePage", "url": url, "mainEntity": self._person(author)}
        return self._head([page], [])

    def _person(self, author: Author) -> dict:
        return {
            "@type": "Person", "name": author.name, "url": self.url("authors", author.id),
            **({"jobTitle": author.role} if author.role else {}),
            **({"description": author.bio.plain} if author.bio else {}),
            **({"sameAs": list(author.links)} if author.links else {}),
            "worksFor": {"@id": self.organization["@id"]},
        }

    def _byline(self, name: str) -> dict:
        author = self.authors.get(name)
        return self._person(author) if author else {"@type": "Person", "name": name}

    def url(self, *slugs: str) -> str:
        return self.base + "".join(f"{slug}/" for slug in slugs)

    def embed_snippet(self, story: Story) -> str:
        """The <iframe> another site pastes to show the story (generator/embed.py
        writes the page it frames), as HTML: the hub shows it as text to copy."""
        return (f'<iframe src="{html.escape(self.url(story.slug, EMBED_PAGE))}" title="{html.escape(story.title)}" '
                'width="100%" height="640" style="border:0" loading="lazy"></iframe>')

    def brief(self, story: Story, brief: Brief, lang: str) -> ShareMeta:
        url = self.url(story.slug, brief.slug)
        published = moment(brief.date, self.settings.timezone).isoformat()
        modified = last_revised(brief, self.settings.timezone).isoformat()
        tags = list(dict.fromkeys([*story.tags, *brief.tags]))
        authors = [self._byline(name) for name in brief.authors] or [self.publisher]
        article = {
            "@type": ARTICLE_TYPES[brief.work_type],
            "genre": brief.work_type,
            "headline": brief.title,
            "description": brief.summary.plain,
            "datePublished": published,
            "dateModified": modified,
            "author": authors,
            "publisher": self.publisher,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "inLanguage": lang,
            "isPartOf": {"@type": "CreativeWorkSeries", "name": story.title, "url": self.url(story.slug)},
            **({"keywords": tags} if tags else {}),
            **({"backstory": brief.context.plain} if brief.context else {}),
            **({"correction": [self._correction(c) for c in brief.corrections]} if brief.corrections else {}),
        }
        crumbs = self._breadcrumbs([(self.settings.site_name, self.url()), (story.title, self.url(story.slug)), (brief.title, url)])
        meta = self._meta(brief.title, brief.summary.plain, url, "article")
        meta += self._card(card_path(story.slug, brief.slug), f"{story.title}: {brief.title}")
        meta += [("article:published_time", published), ("article:modified_time", modified)]
        meta += [("article:tag", tag) for tag in tags]
        return self._head([article, crumbs], meta)

    def story(self, story: Story, briefs: Sequence[Brief]) -> ShareMeta:
        url = self.url(story.slug)
        developments = {
            "@type": "ItemList",
            "name": story.title,
            "url": url,
            "numberOfItems": len(briefs),
            "itemListElement": [
                {"@type": "ListItem", "position": i, "url": self.url(story.slug, brief.slug), "name": brief.title}
                for i, brief in enumerate(briefs, start=1)
            ],
        }
        crumbs = self._breadcrumbs([(self.settings.site_name, self.url()), (story.title, url)])
        meta = self._meta(story.title, story.summary.plain, url, "website")
        meta += self._card(card_path(story.slug), story.title)
        return self._head([developments, crumbs], meta)

    def _correction(self, correction) -> dict:
        return {"@type": "CorrectionComment", "text": correction.text.plain,
                "datePublished": moment(correction.date, self.settings.timezone).isoformat()}

    @staticmethod
    def _breadcrumbs(trail: list[tuple[str, str]]) -> dict:
        return {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": i, "name": name, "item": url}
                for i, (name, url) in enumerate(trail, start=1)
            ],
        }

    def _meta(self, title: str, description: str, url: str, kind: str) -> list[tuple[str, str]]:
        return [
            ("og:type", kind), ("og:site_name", self.settings.site_name), ("og:title", title),
            ("og:description", description), ("og:url", url),
            ("twitter:card", "summary_large_image"), ("twitter:title", title), ("twitter:description", description),
        ]

    def _card(self, path: str, alt: str) -> list[tuple[str, str]]:
        """The page's social card; its text is the picture's alt."""
        width, height = CARD_SIZE
        return [
            ("og:image", self.base + path), ("og:image:type", "image/png"),
            ("og:image:width", str(width)), ("og:image:height", str(height)), ("og:image:alt", alt),
            ("twitter:image:alt", alt),
        ]

    @staticmethod
    def _head(graph: list[dict], meta: list[tuple[str, str]]) -> ShareMeta:
        return ShareMeta(
            jsonld=script_json({"@context": "https://schema.org", "@graph": graph}),
            tags=tuple(MetaTag("name" if key.startswith("twitter:") else "property", key, content) for key, content in meta),
        )
