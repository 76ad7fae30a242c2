"""What changed between two briefs of a story, computed, never written.

Claims match by `id`, else by their text with whitespace folded; questions
match by text with whitespace folded, so a reworded question counts as one
answered (or dropped) and one new.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Brief, Claim


@dataclass(frozen=True)
class Listed:
    """A claim of the current brief that What changed names: `number` is its
    place in What we know (from 1), where the page shows it whole."""

    claim: Claim
    number: int


@dataclass(frozen=True)
class StatusChange:
    before: Claim
    after: Claim
    number: int  # the claim's place in What we know, from 1


@dataclass(frozen=True)
class Changes:
    new: tuple[Listed, ...]
    status_changed: tuple[StatusChange, ...]
    removed: tuple[Claim, ...]  # claims no longer listed
    questions_gone: tuple  # open questions answered or dropped

    def __bool__(self) -> bool:
        return bool(self.new or self.status_changed or self.removed or self.questions_gone)


def _folded(text) -> str:
    return " ".join(text.source.split())


def claim_key(claim: Claim) -> tuple[str, str]:
    return ("id", claim.id) if claim.id else ("text", _folded(claim.text))


def changes(previous: Brief | None, current: Brief) -> Changes | None:
    """What moved since `previous`; None for a story's first brief."""
    if previous is None:
        return None
    before = {claim_key(c): c for c in previous.what_we_know}
    after = {claim_key(c): (number, c) for number, c in enumerate(current.what_we_know, start=1)}
    still_open = {_folded(q) for q in current.what_we_dont_know}
    return Changes(
        new=tuple(Listed(c, number) for key, (number, c) in after.items() if key not in before),
        status_changed=tuple(StatusChange(before[key], c, number) for key, (number, c) in after.items()
                             if key in before and before[key].status != c.status),
        removed=tuple(c for key, c in before.items() if key not in after),
        questions_gone=tuple(q for q in previous.what_we_dont_know if _folded(q) not in still_open),
    )


@dataclass(frozen=True)
class TrailStep:
    status: str
    brief: Brief  # the first brief that gave the claim this status


@dataclass(frozen=True)
class ClaimRecord:
    """One claim across a story's briefs: its latest wording, every status it
    had in order, and the brief that stopped listing it (None while listed)."""

    claim: Claim
    steps: tuple[TrailStep, ...]
    dropped_by: Brief | None = None


def claim_records(briefs) -> list[ClaimRecord]:
    """Every claim of a story's briefs (in date order), matched as What
    changed matches them, in order of first appearance."""
    records: dict[tuple[str, str], ClaimRecord] = {}
    for brief in briefs:
        listed = {claim_key(c): c for c in brief.what_we_know}
        for key, claim in listed.items():
            known = records.get(key)
            steps = known.steps if known else ()
            if not steps or steps[-1].status != claim.status:
                steps += (TrailStep(claim.status, brief),)
            records[key] = ClaimRecord(claim, steps)
        for key, known in records.items():
            if key not in listed and known.dropped_by is None:
                records[key] = ClaimRecord(known.claim, known.steps, brief)
    return list(records.values())
