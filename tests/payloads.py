"""Hostile text an editor might paste, or a compromised account commit.

Every vector the site must show as text: raw HTML and script, attribute
breakouts, Markdown extension syntax (attr_list, md_in_html, snippets,
emoji), template syntax, entities. Each one, if it worked, would set
window.PWNED, call alert(), or pull a file from the build machine.
"""
from __future__ import annotations

VECTORS = [
    "<script>window.PWNED=1</script>",
    '<img src=x onerror="window.PWNED=1;alert(1)">',
    '"><svg onload=alert(1)>',
    "'><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>window.PWNED=1</script>",
    '{: onclick="window.PWNED=1" }',
    "word{: onmouseover=alert(1) }",
    '<div markdown="1">block html</div>',
    '--8<-- "/etc/passwd"',
    "{{ 7 * 7 }} {% raw %} {# note #}",
    "&lt;b&gt; &amp; &#60;i&#62; S&P 500",
    ":smile: ==mark== $x$ |table|",
    "javascript:alert(1)",
]

# One value holding every vector, so each lands in every field.
PAYLOAD = " ".join(VECTORS)

# A file outside briefs/ that snippets or a template include would read.
OUTSIDE_FILE_MARKER = "root:x:0:0"

# Link targets every link field must refuse, with the scheme the error names.
BAD_LINKS = [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    (" javascript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("jav&#x61;script:alert(1)", "javascript"),
    ("&#106;avascript:alert(1)", "javascript"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("VBScript:msgbox(1)", "vbscript"),
]


def hostile_story() -> dict:
    return {"title": PAYLOAD, "summary": PAYLOAD, "tags": [PAYLOAD]}


def hostile_brief() -> dict:
    """A valid brief with the payload in every text field."""
    source = {"name": PAYLOAD, "url": "https://example.org/a?q=%22%3E%3Cscript%3E"}
    return {
        "title": PAYLOAD,
        "question": PAYLOAD,
        "date": "2024-05-07",
        "location": PAYLOAD,
        "authors": [PAYLOAD],
        "summary": PAYLOAD,
        "what_we_know": [
            {"text": PAYLOAD, "status": "reported", "sources": ["local"]},
            {"text": PAYLOAD + " inline", "status": "claimed", "sources": [source]},
        ],
        "what_we_dont_know": [PAYLOAD],
        "positions": [{
            "party": PAYLOAD,
            "stance": PAYLOAD,
            "quotes": [{"text": PAYLOAD, "by": PAYLOAD, "role": PAYLOAD, "source": "local"}],
        }],
        "timeline": [{"date": "2023", "text": PAYLOAD, "source": "local"}],
        "context": PAYLOAD + "\n\n" + PAYLOAD,
        "whats_next": [PAYLOAD],
        "sources": [{"id": "local", "name": PAYLOAD, "url": "https://example.org/", "kind": PAYLOAD, "note": PAYLOAD}],
        "corrections": [{"date": "2024-05-08", "text": PAYLOAD}],
        "tags": [PAYLOAD],
    }
