"""The procedure that changes a list: draft, adopt at a meeting, in force from a date.

An adopted version is frozen: every change goes through `editable()`, which refuses it, and
a change starts as a new draft that copies the latest adopted version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.lists.domain.lists import (
    ADOPTED,
    DRAFT,
    ITEM_FIELDS,
    STEP_FIELDS,
    ListRuleError,
    VersionDiff,
    check_adoption,
    content_fingerprint,
    diff_items,
    item_time_limit,
)
from webapp.lists.models import DutyList, FlowStep, ListItem, ListVersion
from webapp.lists.services.catalog import in_force
from webapp.people.services.audit import record


def item_content(item: ListItem) -> dict[str, Any]:
    """An item as plain data (what files carry and what the fingerprint covers)."""
    data = {f: getattr(item, f) for f in ITEM_FIELDS}
    data["steps"] = [{f: getattr(s, f) for f in STEP_FIELDS} for s in item.steps]
    return data


def version_content(version: ListVersion) -> list[dict[str, Any]]:
    return [item_content(i) for i in version.items]


def time_limit(item: ListItem) -> int | None:
    """The item's time limit in days: explicit, else the sum of its steps' days."""
    return item_time_limit(item.time_limit_days, [s.days for s in item.steps])


def editable(version: ListVersion) -> ListVersion:
    """The version, if it is still a draft; an adopted version never changes."""
    if version.status != DRAFT:
        raise Refusal(N_("This version was adopted and can no longer change. Start a new draft to change the list."))
    return version


def open_draft(duty_list: DutyList) -> ListVersion | None:
    return next((v for v in duty_list.versions if v.status == DRAFT), None)


def latest_adopted(duty_list: DutyList) -> ListVersion | None:
    return next((v for v in reversed(duty_list.versions) if v.status == ADOPTED), None)


def start_draft(duty_list: DutyList, actor_id: int | None = None, note: str = "",
                source: ListVersion | None = None) -> ListVersion:
    """A new draft, copying `source` (by default the latest adopted version); one open draft at a time."""
    if open_draft(duty_list) is not None:
        raise Refusal(N_("This list already has a draft: change it, or adopt it first."))
    source = source or latest_adopted(duty_list)
    number = max((v.number for v in duty_list.versions), default=0) + 1
    content = version_content(source) if source else []
    draft = ListVersion(number=number, status=DRAFT, change_note=note.strip()[:300], created_by_id=actor_id)
    duty_list.versions.append(draft)
    for position, data in enumerate(content, 1):
        _new_item(draft, data, position)
    db.session.flush()
    record(actor_id, "list.draft", "list_version", draft.id, village_id=duty_list.village_id,
           list=duty_list.code, number=number)
    return draft


def _new_item(version: ListVersion, data: dict[str, Any], position: int) -> ListItem:
    item = ListItem(position=position)
    _fill(item, data)
    version.items.append(item)
    return item


def _fill(item: ListItem, data: dict[str, Any]) -> None:
    for f in ITEM_FIELDS:
        default = None if f == "time_limit_days" else ""
        setattr(item, f, data.get(f, default) if data.get(f) is not None else default)
    item.steps = [FlowStep(position=n, actor=s.get("actor") or "", action=s["action"], days=s.get("days"))
                  for n, s in enumerate(data.get("steps") or [], 1)]


def save_item(version: ListVersion, data: dict[str, Any], item: ListItem | None = None,
              actor_id: int | None = None) -> ListItem:
    """Add an item to a draft, or change one of its items (validated data: see schemas.lists)."""
    editable(version)
    if item is not None and item.version_id != version.id:
        raise Refusal(N_("Not found."))
    code = data["code"]
    if any(other.code == code and other is not item for other in version.items):
        raise Refusal(N_("Another item of this list already has code %(code)s."), code=code)
    if item is None:
        item = _new_item(version, data, max((i.position for i in version.items), default=0) + 1)
    else:
        _fill(item, data)
    db.session.flush()
    record(actor_id, "list.item", "list_item", item.id, village_id=version.duty_list.village_id, code=code)
    return item


def delete_item(item: ListItem, actor_id: int | None = None) -> None:
    """Remove an item from a draft."""
    version = editable(item.version)
    record(actor_id, "list.item.delete", "list_item", item.id, village_id=version.duty_list.village_id,
           code=item.code)
    version.items.remove(item)
    db.session.flush()


def move_item(item: ListItem, delta: int) -> None:
    """Move an item of a draft up (-1) or down (+1)."""
    version = editable(item.version)
    items = list(version.items)
    index = items.index(item)
    other = index + delta
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items, 1):
            row.position = position
        db.session.flush()
        db.session.expire(version, ["items"])


def replace_items(version: ListVersion, items: list[dict[str, Any]]) -> None:
    """Make a draft's items exactly these (an import into a draft)."""
    editable(version)
    version.items.clear()
    db.session.flush()  # the old codes go before the new rows arrive (codes are unique per version)
    for position, data in enumerate(items, 1):
        _new_item(version, data, position)
    db.session.flush()


def adopt(version: ListVersion, meeting_on: date | None, decision: str, effective_from: date | None,
          actor_id: int | None = None) -> ListVersion:
    """Adopt a draft: the meeting's date and decision, in force from a date; then it is frozen."""
    editable(version)
    try:
        check_adoption(meeting_on, decision, effective_from, len(version.items))
    except ListRuleError as error:
        raise Refusal(error.msgid, **error.params) from None
    version.status = ADOPTED
    version.meeting_on, version.decision, version.effective_from = meeting_on, decision.strip(), effective_from
    version.adopted_at, version.adopted_by_id = utcnow(), actor_id
    version.fingerprint = content_fingerprint(version_content(version))
    db.session.flush()
    record(actor_id, "list.adopt", "list_version", version.id, village_id=version.duty_list.village_id,
           list=version.duty_list.code, number=version.number, effective_from=effective_from.isoformat(),
           fingerprint=version.fingerprint)
    return version


@dataclass(frozen=True, slots=True)
class HistoryRow:
    version: ListVersion
    state: str  # draft | upcoming | in_force | superseded
    diff: VersionDiff | None  # against the adopted version before it


def history(duty_list: DutyList, today: date) -> list[HistoryRow]:
    """Every version, newest first, with its state today and what it changed."""
    current = in_force(duty_list, today)
    rows, previous = [], None
    for version in duty_list.versions:
        content = {i.code: item_content(i) for i in version.items}
        diff = diff_items(previous, content) if previous is not None else None
        if version.status == DRAFT:
            state = "draft"
        elif current is not None and version.id == current.id and version.effective_from <= today:
            state = "in_force"
        elif version.effective_from > today:
            state = "upcoming"
        else:
            state = "superseded"
        rows.append(HistoryRow(version, state, diff))
        if version.status == ADOPTED:
            previous = content
    return list(reversed(rows))
