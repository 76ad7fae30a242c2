"""Tags across the project: one tag for spellings that differ only in case
or spacing ("Gaza", "gaza"), each with a page of its own under tags/.

A tag's page URL keeps letters and digits of any script ("économie",
"غزة"); every other character separates words ("S&P 500" -> "s-p-500").
Two tags that come out alike get distinct slugs, decided by the tags
themselves, never by the order files were read in.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

SLUG_LENGTH = 60  # characters; a letter is up to 4 bytes, and a file name at most 255
FALLBACK_SLUG = "tag"  # for a tag with no letter or digit at all ("🔥", "++")
RESERVED_SLUGS = frozenset(["index"])  # tags/index.md is the list of tags


def tag_key(text: str) -> str:
    """What makes two spellings one tag: case and runs of spaces do not count."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return unicodedata.normalize("NFC", " ".join(folded.split()))


def natural_slug(key: str) -> str:
    """Letters (with their marks) and digits of any script, other runs as one hyphen."""
    words, word = [], []
    for char in key:
        if unicodedata.category(char)[0] in "LMN":
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    slug = "-".join(words)[:SLUG_LENGTH].strip("-")
    return slug or FALLBACK_SLUG


@dataclass(frozen=True)
class Tag:
    name: str  # the spelling most briefs use
    slug: str  # its page is tags/<slug>/
    count: int  # briefs carrying it

    @property
    def url(self) -> str:
        """The page's URL path under tags/, letters of any script percent-encoded."""
        return quote(self.slug, safe="") + "/"


def assign_slugs(keys) -> dict[str, str]:
    """A distinct slug for each tag key: in the keys' sorted order, the first
    of a slug gets it plain, the others the lowest free `-2`, `-3`..."""
    ordered = sorted(set(keys))
    taken = set(RESERVED_SLUGS)
    slugs: dict[str, str] = {}
    for key in ordered:
        natural = natural_slug(key)
        if natural not in taken:
            slugs[key] = natural
            taken.add(natural)
    for key in ordered:
        if key not in slugs:
            base, n = natural_slug(key), 2
            while f"{base}-{n}" in taken:
                n += 1
            slugs[key] = f"{base}-{n}"
            taken.add(slugs[key])
    return slugs


class TagIndex:
    """Every tag of the briefs with what carries it."""

    def __init__(self, tagged):
        """`tagged`: (tags as written, item) for each brief."""
        spellings: dict[str, Counter] = {}
        self.items: dict[str, list] = {}
        for tags, item in tagged:
            for key, spelling in unique_tags(tags).items():
                spellings.setdefault(key, Counter())[" ".join(spelling.split())] += 1
                self.items.setdefault(key, []).append(item)
        slugs = assign_slugs(spellings)
        self.tags = {
            key: Tag(min(counts, key=lambda s: (-counts[s], s)), slugs[key], sum(counts.values()))
            for key, counts in spellings.items()
        }

    def of(self, tags) -> list[Tag]:
        """Tags as written on a brief or story, as the site's tags, each once."""
        return [self.tags[key] for key in unique_tags(tags) if key in self.tags]

    def alphabetical(self) -> list[tuple[Tag, list]]:
        """Each tag with its items, by name."""
        keys = sorted(self.tags, key=lambda key: (key, self.tags[key].slug))
        return [(self.tags[key], self.items[key]) for key in keys]


def unique_tags(tags) -> dict[str, str]:
    """{key: the first spelling} of tags, in their order."""
    unique: dict[str, str] = {}
    for tag in tags:
        unique.setdefault(tag_key(tag), tag)
    return unique
