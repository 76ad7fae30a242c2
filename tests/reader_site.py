"""A newsroom's site as readers meet it, generated (never the repository's
briefs/): a long English story of `developments` developments, each with
`events` background events, eight changes from one to the next (three
claims added, three dropped, one status changed, one question answered)
and sources with and without a `short` name; a French and an Arabic story;
two small English stories, one concluded. The home page shows `latest`
cards, so two stories are listed without one."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from conftest import copy_project, write

LONG = "runway-collision"
FRENCH = "greve-des-ports"
ARABIC = "mafawadat-al-miyah"
LATEST = 3  # cards on the home page
SITE_NAME = "The Riverside Post"

SOURCES = """
- {id: ap, name: Associated Press, short: AP, url: "https://apnews.example/runway", kind: wire agency}
- {id: ntsb, name: National Transportation Safety Board, short: NTSB, kind: official statement, note: "The US agency that investigates air crashes."}
- {id: reuters, name: Reuters, url: "https://reuters.example/runway", kind: wire agency}
- {id: afp, name: Agence France-Presse, short: AFP, kind: wire agency}
"""

STATUSES = ["confirmed", "reported", "claimed", "disputed", "debunked"]
PLACES = ["Washington", "Arlington", "Reagan National Airport"]


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def long_brief(number: int, events: int) -> str:
    """Development `number` (from 0) of the long story."""
    day = dt.datetime(2024, 1, 1, 8, 0) + dt.timedelta(days=number)
    published = day.strftime("%Y-%m-%dT%H:%M:%S-04:00")
    updated = (day + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S-04:00")
    claims = [
        {"id": "runway-closed", "text": "The airport's main runway stays closed while investigators work.",
         "status": "confirmed", "sources": ["ntsb"]},
        {"id": "tower-staffing", "text": "The control tower had one controller handling two positions at the time of the collision.",
         "status": "reported" if number % 2 else "disputed", "sources": ["ap", "reuters"]},
    ]
    for letter, status in zip("abc", STATUSES[1:4]):
        claims.append({
            "id": f"d{number}-{letter}",
            "text": f"Development {number} finding {letter}: investigators say the recorders of both aircraft were "
                    f"recovered intact from the river and sent to the laboratory in Washington for a first reading.",
            "status": status, "sources": ["ap", "ntsb", {"name": "Local Radio"}] if letter == "a" else ["afp"],
        })
    questions = [f"Question {number}: when will the final report of the investigation be published?",
                 "Who will pay for the repairs to the runway?"]
    timeline = [{"date": f"{1980 + (number * events + k) // 12:04d}-{(number * events + k) % 12 + 1:02d}",
                 "text": f"Background event {number}.{k}: an earlier incident on the same approach is recorded.",
                 "source": "reuters"} for k in range(events)]
    brief = {
        "title": f"Investigators give update {number + 1} on the runway collision",
        "date": published, **({"updated": updated} if number % 2 else {}),
        "location": PLACES[number % len(PLACES)], "authors": ["Dana Reyes", "Sam Okafor"],
        "summary": f"Update {number + 1}: investigators describe what they found so far; the runway stays closed.",
        "what_we_know": claims, "what_we_dont_know": questions, "timeline": timeline,
        "positions": [{"party": "Airline", "stance": "It says it cooperates fully.",
                       "quotes": [{"text": "We are working with investigators.", "by": "A spokesperson", "source": "ap"}]}],
    }
    return json.dumps(brief, ensure_ascii=False, indent=1)  # JSON is YAML


FRENCH_STORY = """
title: Grève dans les ports
summary: Les dockers ont cessé le travail dans les grands ports ; le gouvernement reçoit les syndicats.
lang: fr
tags: [grève, transports]
"""
FRENCH_BRIEFS = {
    "2024-02-10-debut": """
title: Les dockers cessent le travail au Havre et à Marseille
date: 2024-02-10T07:30:00+01:00
location: Le Havre
authors: [Claire Martin]
summary: Les dockers ont cessé le travail à l'aube ; aucun navire n'est déchargé.
what_we_know:
  - {id: arret, text: Aucun navire n'est déchargé au Havre depuis l'aube., status: confirmed, sources: [afp]}
  - {id: duree, text: La grève doit durer trois jours., status: reported, sources: [afp]}
what_we_dont_know: [Le gouvernement recevra-t-il les syndicats ?]
""",
    "2024-02-11-reunion": """
title: Le gouvernement reçoit les syndicats des dockers
date: 2024-02-11T09:00:00+01:00
updated: 2024-02-11T18:45:00+01:00
location: Paris
authors: [Claire Martin]
summary: Le ministre des transports reçoit les syndicats ; la grève continue.
what_we_know:
  - {id: arret, text: Aucun navire n'est déchargé au Havre depuis l'aube., status: confirmed, sources: [afp]}
  - {id: duree, text: La grève doit durer trois jours., status: disputed, sources: [afp, reuters]}
  - {text: Le ministre reçoit les syndicats à 15 heures., status: confirmed}
""",
}

ARABIC_STORY = """
title: مفاوضات المياه
summary: تستأنف الدول الثلاث مفاوضاتها حول تقاسم مياه النهر.
lang: ar
tags: [مياه]
"""
ARABIC_BRIEFS = {
    "2024-02-12-istinaf": """
title: استئناف المفاوضات حول سد النهر
date: 2024-02-12T10:00:00+02:00
location: القاهرة
authors: [ليلى حسن]
summary: استأنف الوزراء مفاوضاتهم في القاهرة بعد توقف دام عامين.
what_we_know:
  - {id: liqa, text: اجتمع وزراء الدول الثلاث في القاهرة., status: confirmed, sources: [afp]}
  - {id: ittifaq, text: اتفق الوزراء على جدول زمني للمحادثات., status: reported, sources: [reuters]}
what_we_dont_know: [هل ستوقع الدول اتفاقا ملزما؟]
""",
    "2024-02-13-jadwal": """
title: الوزراء يتفقون على جدول المحادثات
date: 2024-02-13T16:20:00+02:00
updated: 2024-02-13T21:00:00+02:00
location: القاهرة
authors: [ليلى حسن]
summary: اتفق الوزراء على عقد ثلاث جولات قبل الصيف.
what_we_know:
  - {id: liqa, text: اجتمع وزراء الدول الثلاث في القاهرة., status: confirmed, sources: [afp]}
  - {id: ittifaq, text: اتفق الوزراء على جدول زمني للمحادثات., status: confirmed, sources: [reuters, afp]}
""",
}

SMALL = {
    "harbour-fire": ("Harbour warehouse fire", "developing", "2024-02-09T22:00:00Z"),
    "rail-strike": ("Rail strike", "concluded", "2023-11-03T12:00:00Z"),
}


def make_reader_site(root: Path, developments: int = 40, events: int = 6) -> Path:
    """The project under `root`; build it with run_briefs(root, "build")."""
    copy_project(root, with_briefs=False)
    settings = root / "mkdocs.yml"
    text = re.sub(r"(?m)^(\s*latest:).*$", rf"\1 {LATEST}", settings.read_text(encoding="utf-8"))
    settings.write_text(re.sub(r"(?m)^site_name:.*$", f"site_name: {SITE_NAME}", text), encoding="utf-8")
    write(root / "briefs/sources.yaml", SOURCES)
    write(root / f"briefs/{LONG}/story.yaml", "title: Runway collision inquiry\nsummary: Investigators piece together how two aircraft collided on the runway.\n"
                                              "tags: [aviation, safety]\n")
    for number in range(developments):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=number)
        write(root / f"briefs/{LONG}/{day.isoformat()}-update-{number + 1}.yaml", long_brief(number, events))
    for slug, story, briefs in ((FRENCH, FRENCH_STORY, FRENCH_BRIEFS), (ARABIC, ARABIC_STORY, ARABIC_BRIEFS)):
        write(root / f"briefs/{slug}/story.yaml", story)
        for name, text in briefs.items():
            write(root / f"briefs/{slug}/{name}.yaml", text)
    for slug, (title, status, when) in SMALL.items():
        write(root / f"briefs/{slug}/story.yaml", f"title: {title}\nsummary: Where the {title.lower()} stands.\nstatus: {status}\n")
        write(root / f"briefs/{slug}/{when[:10]}-news.yaml",
              f"title: {title}, the latest\ndate: {when}\nsummary: What happened.\n"
              f"what_we_know:\n  - {{text: Something is known., status: reported, sources: [ap]}}\n")
    return root


def long_brief_path(number: int) -> str:
    """The URL path, under the site, of development `number` (from 1) of the long story."""
    return f"{LONG}/{(dt.date(2024, 1, 1) + dt.timedelta(days=number - 1)).isoformat()}-update-{number}/"
