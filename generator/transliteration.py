"""Any text folded to ASCII letters as the editing form folds a title.

The form (Sveltia CMS) names a new brief's file with the letters table of
@sindresorhus/transliterate bundled in its sveltia-cms.js (é → e, ß → ss,
ö → oe, ة → t). `briefs new` and the names the checks suggest use the same
table at the same version, vendored beside the bundle
(generator/admin/transliterate/, pinned and checked by tools/vendor_cms.py),
so both give a title the same file name. anyascii then transliterates what
the table has no letters for (Chinese, Hindi...), where the form drops them:
no letter is ever dropped here.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from anyascii import anyascii

TABLE = Path(__file__).parent / "admin" / "transliterate" / "replacements.js"
# One `['letter', 'ascii'],` line of the table; commented-out lines do not count.
ENTRY = re.compile(r"^\s*\['((?:[^'\\]|\\.)+)', '((?:[^'\\]|\\.)*)'\]", re.MULTILINE)


def _unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@functools.cache
def letters_table() -> tuple[dict[str, str], re.Pattern[str]]:
    """The table (a later line wins, as in the library's Map) and a pattern
    finding its letters, longest first (as the library matches them)."""
    letters = {_unescaped(letter): _unescaped(ascii) for letter, ascii in ENTRY.findall(TABLE.read_text(encoding="utf-8"))}
    return letters, re.compile("|".join(map(re.escape, sorted(letters, key=len, reverse=True))))


def to_ascii(text: str) -> str:
    letters, pattern = letters_table()
    return anyascii(pattern.sub(lambda found: letters[found[0]], unicodedata.normalize("NFC", text)))
