"""The Nu Html Checker finds no error in our markup, only the theme's own."""
from __future__ import annotations

import json
import subprocess

from audit_tools import BRIEF, GUIDE, HOME, HUB, TAGS, VNU_JAR, require
from pages import page_path

# Errors in Material's own markup, which we do not override; matched by exact message.
THEME_ERRORS = {
    # main.html: the drawer and search toggles are checkboxes with autocomplete="off"
    # (kept so Firefox does not restore their state on back).
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
    "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, "
    "“tel”, “text”, “time”, “url”, or “week”.",
    # partials/toc.html: the table of contents' title is a label for the "__toc" toggle,
    # which partials/nav-item.html renders only for a page listed in the navigation.
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden "
    "form control.",
}


def test_no_markup_error_of_ours(example_site):
    pages = [page_path(example_site, p) for p in (HOME, HUB, BRIEF, GUIDE, TAGS)]
    for page in pages:
        assert page.exists(), page
    # One JVM for all pages; vnu exits 1 when it reports any error, so read its JSON.
    result = subprocess.run(
        ["java", "-jar", str(require(VNU_JAR)), "--format", "json", "--errors-only",
         *map(str, pages)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    ours = [
        f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '')!r}"
        for m in messages if m["message"] not in THEME_ERRORS
    ]
    assert not ours, "\n".join(ours)
