"""The list system (清单制) as plain data: list kinds, the version procedure, time limits,
the service desk's states as a transition table, overdue matters and the monthly summary.

Everything here is pure: the services turn rows into these values and back.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from webapp.core.messages import N_
from webapp.core.refusal import Refusal


@dataclass(frozen=True, slots=True)
class ListKind:
    code: str
    name: str  # an English msgid; the Chinese official name comes from the translation
    zh: str  # the official Chinese name, used in files that towns exchange
    short: str  # the list's default code in addresses (/v/YF/lists/FW)


# In the order the seeds introduce them [004][000].
LIST_KINDS: tuple[ListKind, ...] = (
    ListKind("responsibility", N_("Main responsibilities list"), "主体责任清单", "ZT"),
    ListKind("admission", N_("List of matters assisting the government (admission list)"), "准入事项清单", "ZR"),
    ListKind("negative", N_("Negative list (may not be assigned to the village)"), "负面事项清单", "FM"),
    ListKind("disclosure", N_("Three-affairs disclosure list"), "三务公开清单", "SW"),
    ListKind("service", N_("List of services for villagers"), "服务群众事项清单", "FW"),
    ListKind("autonomy", N_("List of self-governance matters"), "依法自治事项清单", "ZZ"),
    ListKind("certificate", N_("List of certificates the village may issue"), "依法出具证明事项清单", "ZM"),
)
KIND_CODES = tuple(k.code for k in LIST_KINDS)
# Files may name a kind by code or by its Chinese name (including the admission list's other name).
KIND_ALIASES = {k.zh: k.code for k in LIST_KINDS} | {"依法协助政府工作事项清单": "admission", "工作负面事项清单": "negative"}


KINDS = {k.code: k for k in LIST_KINDS}


# The fields of an item, in the order files and pages show them (steps are a list of their own).
ITEM_FIELDS = ("code", "name", "category", "responsible", "time_limit_days", "basis", "conditions", "materials",
               "supervisor", "supervision", "guide")
STEP_FIELDS = ("actor", "action", "days")


def normalize_kind(value: str) -> str | None:
    """A kind code from a code or a Chinese name; None when it names no kind."""
    value = (value or "").strip()
    return value if value in KIND_CODES else KIND_ALIASES.get(value)


# --- versions: drafted, then adopted at a meeting, then in force from a date ---------------------

DRAFT, ADOPTED = "draft", "adopted"


class ListRuleError(Refusal):
    """A step of the list procedure that the rules do not allow."""


@dataclass(frozen=True, slots=True)
class VersionRef:
    number: int
    status: str
    effective_from: date | None


def version_in_force(versions: Iterable[VersionRef], on: date) -> VersionRef | None:
    """The adopted version in force on a day: the latest effective date not after it (then the highest number)."""
    live = [v for v in versions if v.status == ADOPTED and v.effective_from and v.effective_from <= on]
    return max(live, key=lambda v: (v.effective_from, v.number), default=None)


def check_adoption(meeting_on: date | None, decision: str, effective_from: date | None, item_count: int) -> None:
    """A draft may be adopted only with the meeting's date, the decision, a start date on or after the meeting, and items."""
    if meeting_on is None:
        raise ListRuleError(N_("Give the date of the meeting that adopted the list."))
    if not decision.strip():
        raise ListRuleError(N_("Write down the meeting's decision."))
    if effective_from is None:
        raise ListRuleError(N_("Give the date from which the list is in force."))
    if effective_from < meeting_on:
        raise ListRuleError(N_("A list cannot be in force before the meeting that adopted it."))
    if item_count == 0:
        raise ListRuleError(N_("An empty list cannot be adopted."))


def item_time_limit(explicit_days: int | None, step_days: Sequence[int | None]) -> int | None:
    """An item's time limit in days: the explicit limit, else the sum of its steps' limits, else none."""
    if explicit_days is not None:
        return explicit_days
    known = [d for d in step_days if d is not None]
    return sum(known) if known else None


def content_fingerprint(content: Any) -> str:
    """SHA-256 of a version's content in canonical JSON: printed on the wall so anyone can check it."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class VersionDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_items(old: Mapping[str, Any], new: Mapping[str, Any]) -> VersionDiff:
    """Which item codes a new version added, removed or changed, compared with the old one."""
    return VersionDiff(
        added=tuple(c for c in new if c not in old),
        removed=tuple(c for c in old if c not in new),
        changed=tuple(c for c in new if c in old and old[c] != new[c]),
    )


# --- the service desk (帮办代办): a transition table, not nested ifs ----------------------------------

RECEIVED, IN_PROGRESS, DONE, RETURNED = "received", "in_progress", "done", "returned"
MATTER_STATES = (RECEIVED, IN_PROGRESS, DONE, RETURNED)
OPEN_STATES = frozenset({RECEIVED, IN_PROGRESS})
START, FINISH, RETURN, REOPEN = "start", "finish", "return", "reopen"
MATTER_ACTIONS = (START, FINISH, RETURN, REOPEN)

TRANSITIONS: dict[tuple[str, str], str] = {
    (RECEIVED, START): IN_PROGRESS,
    (RECEIVED, FINISH): DONE,  # a certificate may be issued on the spot
    (RECEIVED, RETURN): RETURNED,
    (IN_PROGRESS, FINISH): DONE,
    (IN_PROGRESS, RETURN): RETURNED,
    (RETURNED, REOPEN): RECEIVED,  # the villager came back with what was missing
}
NEEDS_REASON = frozenset({RETURN})
# The kinds of list whose items a villager may ask the desk to handle.
DESK_KINDS = ("service", "certificate")


def next_state(state: str, action: str, reason: str = "") -> str:
    """The state a matter moves to; refuses what the table does not list, and a return without a reason."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise ListRuleError(N_("This matter cannot do that now."))
    if action in NEEDS_REASON and not reason.strip():
        raise ListRuleError(N_("Say why the matter is returned."))
    return target


def actions_from(state: str) -> tuple[str, ...]:
    """The actions the table allows from a state, in a stable order for buttons."""
    return tuple(a for a in MATTER_ACTIONS if (state, a) in TRANSITIONS)


def due_date(received_on: date, limit_days: int | None) -> date | None:
    """The due date: the received day plus the time limit in calendar days (none without a limit)."""
    return None if limit_days is None else received_on + timedelta(days=limit_days)


def days_overdue(state: str, due_on: date | None, today: date) -> int:
    """How many days an open matter is past its due date (0 when on time, closed or without a limit)."""
    if state not in OPEN_STATES or due_on is None or due_on >= today:
        return 0
    return (today - due_on).days


@dataclass(frozen=True, slots=True)
class MatterFacts:
    item: str
    state: str
    received_on: date
    due_on: date | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class MonthSummary:
    received: int
    done: int
    done_on_time: int
    returned: int
    open_at_end: int
    overdue_at_end: int
    by_item: tuple[tuple[str, int], ...]  # matters received, per item, most first


def month_summary(matters: Iterable[MatterFacts], first: date, last: date) -> MonthSummary:
    """Figures of one month: received, closed (on time or not), returned, still open and overdue at its end."""
    received = done = on_time = returned = open_end = overdue_end = 0
    per_item: Counter[str] = Counter()
    for m in matters:
        if first <= m.received_on <= last:
            received += 1
            per_item[m.item] += 1
        closed_in_month = m.closed_on is not None and first <= m.closed_on <= last
        if closed_in_month and m.state == DONE:
            done += 1
            on_time += m.due_on is None or m.closed_on <= m.due_on
        if closed_in_month and m.state == RETURNED:
            returned += 1
        if m.received_on <= last and (m.closed_on is None or m.closed_on > last):
            open_end += 1
            overdue_end += m.due_on is not None and m.due_on < last
    return MonthSummary(received, done, on_time, returned, open_end, overdue_end,
                        tuple(sorted(per_item.items(), key=lambda kv: (-kv[1], kv[0]))))


DISCLOSURE_CATEGORIES = (
    ("party", N_("Party affairs")),
    ("village", N_("Village affairs")),
    ("finance", N_("Finances")),
)
