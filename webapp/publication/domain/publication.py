"""Publication of a period's results: states, the notice window, and the snapshot's hash (DOMAIN.md §7).

closed ──publish──► notice ──finalise──► final
A closed period's ranking is frozen; publishing fixes the public snapshot and its hash and
opens the public notice (公示); after the window, with every objection answered, the
results become final. Objections: open ──► upheld | dismissed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from webapp.core.messages import N_
from webapp.core.periods import Period, periods_containing
from webapp.core.refusal import Refusal
from webapp.points.domain.scheme import SchemeRules

CLOSED, NOTICE, FINAL = "closed", "notice", "final"
PUBLICATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (CLOSED, "publish"): NOTICE,
    (NOTICE, "finalise"): FINAL,
}
OPEN, UPHELD, DISMISSED = "open", "upheld", "dismissed"
OBJECTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, "uphold"): UPHELD,
    (OPEN, "dismiss"): DISMISSED,
}
# When a scheme names no notice period: a week, long enough for a villager working away to hear of it.
DEFAULT_NOTICE_DAYS = 7
SHORT_HASH_LENGTH = 12


class PublicationError(Refusal):
    """A step of closing, publishing or objecting that the rules do not allow."""


def transition(table: Mapping[tuple[str, str], str], state: str, action: str) -> str:
    """The next state, or PublicationError when the action is not allowed in this state."""
    target = table.get((state, action))
    if target is None:
        raise PublicationError(N_("This cannot be done now (state: %(state)s)."), state=state)
    return target


def publication_kinds(rules: SchemeRules) -> tuple[str, ...]:
    """The kinds of period a village closes under a scheme: its ranking cadence (or its shortest
    inspection period), and always the year for the annual evaluation."""
    cadence = rules.policies.raw.get("ranking_cadence")
    if cadence not in ("month", "quarter"):
        periods = set(rules.inspection_kinds) or {rules.inspection_period}
        cadence = "month" if "month" in periods else "quarter" if "quarter" in periods else None
    return (cadence, "year") if cadence else ("year",)


def check_can_close(period: Period, today: date, kinds: tuple[str, ...]) -> None:
    """A period closes once it has ended, and only if the scheme publishes periods of its kind."""
    if period.kind not in kinds:
        raise PublicationError(N_("This village's rules do not publish results by %(kind)s."), kind=period.kind)
    if today < period.end:
        raise PublicationError(N_("%(period)s has not ended yet; it can be closed from %(day)s."),
                               period=period.key, day=period.end.isoformat())


def notice_window(published_on: date, days: int) -> tuple[date, date]:
    """The first and last day of the public notice: `days` days, the day of publication included."""
    days = max(int(days), 1)
    return published_on, published_on + timedelta(days=days - 1)


def notice_open(today: date, starts_on: date | None, ends_on: date | None) -> bool:
    """Whether objections may be filed today."""
    return starts_on is not None and ends_on is not None and starts_on <= today <= ends_on


def check_can_finalise(today: date, ends_on: date | None, open_objections: int) -> None:
    """Results become final after the notice window, once every objection has an answer."""
    if ends_on is None or today <= ends_on:
        raise PublicationError(N_("The public notice runs until %(day)s; results become final after it."),
                               day=ends_on.isoformat() if ends_on else "—")
    if open_objections:
        raise PublicationError(N_("%(count)s objections still wait for an answer."), count=open_objections)


def closing_keys(period_key: str) -> frozenset[str]:
    """Keys of the publications that, once closed, make an item of this period late.

    A month's entries count in that month; an inspection counts in the month its period ends
    (a Q1 inspection in March), so each is late once its month, quarter or year is closed."""
    period = Period.parse(period_key)
    return frozenset(p.key for p in periods_containing(period.year, period.last_month))


def canonical_json(snapshot: Mapping[str, Any]) -> str:
    """The one text of a snapshot that its hash is taken over: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_hash(text: str) -> str:
    """SHA-256 of the canonical snapshot text (hex); `sha256sum` of the downloaded file gives the same."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_hash(full: str) -> str:
    """The part of the hash printed on posters, in groups of four to read aloud: 3f2a 9c1b 77de."""
    head = full[:SHORT_HASH_LENGTH]
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def matches(full: str, typed: str) -> bool:
    """Whether what someone typed (or scanned) from a poster is the start of the full hash."""
    cleaned = "".join(typed.split()).lower()
    return len(cleaned) >= 8 and full.lower().startswith(cleaned)
