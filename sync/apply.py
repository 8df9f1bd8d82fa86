"""Applying a batch of outbox items: idempotent by uuid, answered item by item.

- a uuid already stored with the same payload hash → "duplicate" with the stored result;
  with another hash → "conflict", nothing changed. A uuid repeated inside the batch is
  judged against its first occurrence the same way.
- a wrong item → "rejected" with a code and a reason; it never blocks the others.
- everything else → "accepted", stored through the port, with review flags.
- an item recorded on a form whose rules have changed since (for that item) is stored by the rules in
  force on the recorded day, flagged "rules_changed", and answered with the points stored
  (sync/changes.py).

Nothing here commits: the caller's transaction holds the whole batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError

from .canonical import canonical_json, text_sha256
from .changes import event_rules, inspection_rules, points_text
from .messages import REASONS
from .periods import inspection_window, month_key, period_kind
from .port import EventRecord, HouseholdFacts, InspectionRecord, Receipt, SyncPort, VersionFacts
from .schemas import EventItemSchema, InspectionItemSchema

MAX_QUANTITY = Decimal(100)
FUTURE_SLACK = timedelta(days=1)
EARLIEST, LATEST = 2000, 2100  # years a device clock may claim
_SCHEMAS = {"event": EventItemSchema(), "inspection": InspectionItemSchema()}


@dataclass(slots=True)
class ItemResult:
    """The answer for one item. `msgid`/`params` are the untranslated reason of a refusal."""

    uuid: str | None
    status: str
    code: str = ""
    msgid: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    entry_status: str = ""
    flags: list[str] = field(default_factory=list)
    missing_photos: list[str] = field(default_factory=list)
    key: uuid.UUID | None = None
    changed: dict[str, str] = field(default_factory=dict)  # with rules_changed: "points" (and "item")

    def as_json(self, translate: Any = None) -> dict[str, Any]:
        """The protocol's JSON; `translate(msgid, **params)` renders reasons (English without it)."""
        out: dict[str, Any] = {"uuid": self.uuid, "status": self.status}
        if self.status in ("accepted", "duplicate"):
            out.update(entry_status=self.entry_status, flags=list(self.flags), missing_photos=list(self.missing_photos),
                       **self.changed)
        else:
            render = translate or (lambda msgid, **params: msgid % params if params else msgid)
            out.update(reason=render(self.msgid, **self.params), code=self.code)
        return out


class Rejected(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def apply_batch(items: Sequence[Any], port: SyncPort) -> list[ItemResult]:
    """Apply the items in order and answer each one; see the module docstring."""
    return _Batch(port).run(items)


class _Batch:
    def __init__(self, port: SyncPort) -> None:
        self.port = port
        self.now = port.now()
        self.seen: dict[uuid.UUID, tuple[str, ItemResult]] = {}  # first occurrences in this batch
        self.inspected: set[tuple[int, str]] = set()
        self.versions: dict[tuple[str, Any], VersionFacts | None] = {}

    def run(self, items: Sequence[Any]) -> list[ItemResult]:
        loaded = [_load(raw) for raw in items]
        keys = list(dict.fromkeys(data["uuid"] for _, data, _ in loaded if data))
        self.receipts: Mapping[uuid.UUID, Receipt] = self.port.receipts(keys) if keys else {}
        codes = list(dict.fromkeys(data["household"] for _, data, _ in loaded if data))
        self.households: Mapping[str, HouseholdFacts] = self.port.households(codes) if codes else {}
        results = [self.one(raw, data, errors) for raw, data, errors in loaded]
        self.port.flush()
        kept = [r.key for r in results if r.key and r.status in ("accepted", "duplicate")]
        missing = self.port.missing_photos(kept) if kept else {}
        for r in results:
            if r.key and r.status in ("accepted", "duplicate"):
                r.missing_photos = list(missing.get(r.key, ()))
        return results

    def one(self, raw: Any, data: dict[str, Any] | None, errors: str) -> ItemResult:
        raw_uuid = raw.get("uuid") if isinstance(raw, dict) and isinstance(raw.get("uuid"), str) else None
        if data is None:
            return _refusal(raw_uuid, "invalid", fields=errors)
        key, digest = data["uuid"], data["_sha256"]
        earlier = self.seen.get(key)
        if earlier is not None:
            return self._again(raw_uuid, key, digest, earlier[0], earlier[1])
        stored = self.receipts.get(key)
        if stored is not None:
            result = ItemResult(raw_uuid, "accepted", entry_status=str(stored.result.get("entry_status", "")),
                                flags=list(stored.result.get("flags", ())), key=key,
                                changed={k: str(stored.result[k]) for k in ("points", "item") if k in stored.result})
            return self._again(raw_uuid, key, digest, stored.payload_sha256, result)
        try:
            flags, changed = self.event(data, digest) if data["type"] == "event" else self.inspection(data, digest)
            result = ItemResult(raw_uuid, "accepted", entry_status="recorded", flags=flags, key=key, changed=changed)
        except Rejected as refusal:
            result = _refusal(raw_uuid, refusal.code, **refusal.params)
        self.seen[key] = (digest, result)
        return result

    @staticmethod
    def _again(raw_uuid: str | None, key: uuid.UUID, digest: str, first: str, result: ItemResult) -> ItemResult:
        if digest != first:
            return _refusal(raw_uuid, "conflict", status="conflict")
        if result.status in ("accepted", "duplicate"):
            return ItemResult(raw_uuid, "duplicate", entry_status=result.entry_status, flags=list(result.flags), key=key,
                              changed=dict(result.changed))
        return ItemResult(raw_uuid, result.status, result.code, result.msgid, dict(result.params))

    # -- checks shared by both kinds ------------------------------------------------------------

    def _household(self, data: dict[str, Any]) -> HouseholdFacts:
        hh = self.households.get(data["household"])
        if hh is None or not hh.may_score:  # unknown and not-yours look the same from outside
            raise Rejected("outside_grid")
        return hh

    def _version(self, data: dict[str, Any], hh: HouseholdFacts, local_day: Any) -> tuple[VersionFacts, list[str]]:
        claimed = data.get("scheme_version_id")
        version = self._cached(("id", claimed), lambda: self.port.version(claimed)) if claimed else None
        if version is not None and version.village_id == hh.village_id:
            return version, []
        version = self._on(hh.village_id, local_day)
        if version is None:
            raise Rejected("no_rules")
        return version, ["unknown_version"]

    def _on(self, village_id: int, day: date) -> VersionFacts | None:
        return self._cached(("on", (village_id, day)), lambda: self.port.version_on(village_id, day))

    def _current(self, village_id: int) -> VersionFacts | None:
        return self._cached(("now", village_id), lambda: self.port.current_version(village_id))

    def _cached(self, key: tuple[str, Any], load: Any) -> VersionFacts | None:
        if key not in self.versions:
            self.versions[key] = load()
        return self.versions[key]

    def _times(self, data: dict[str, Any]) -> tuple[Any, list[str]]:
        occurred = data["occurred_at"]
        if not EARLIEST <= occurred.year <= LATEST:  # also keeps astimezone() clear of year 1 and 9999
            raise Rejected("bad_time")
        local_day = occurred.astimezone(self.port.zone).date()
        flags = ["future_time"] if occurred > self.now + FUTURE_SLACK else []
        if local_day < _previous_month_start(self.now.astimezone(self.port.zone).date()):
            flags.append("old_time")
        return local_day, flags

    # -- events and inspections -----------------------------------------------------------------

    def event(self, data: dict[str, Any], digest: str) -> tuple[list[str], dict[str, str]]:
        hh = self._household(data)
        local_day, time_flags = self._times(data)
        version, flags = self._version(data, hh, local_day)
        item = version.items.get(data["item"])
        if item is None:
            raise Rejected("unknown_item", item=data["item"])
        if item.kind == "base":
            raise Rejected("inspection_item", item=item.code)
        member_id = data.get("member_id")
        if member_id is not None and member_id not in hh.member_ids:
            raise Rejected("unknown_member")
        if item.scope == "member" and member_id is None:
            raise Rejected("member_required", item=item.code)
        quantity = Decimal(1) if data.get("quantity") is None else data["quantity"]
        if not (0 < quantity <= MAX_QUANTITY) or quantity != quantity.quantize(Decimal("0.01")):
            raise Rejected("bad_quantity")
        version, item, changed = event_rules(version, item, self._on(hh.village_id, local_day), member_id)
        flags += changed
        if item.evidence == "required" and not data["photos"]:
            flags.append("photo_missing")
        current = self._current(hh.village_id)
        if current is None or item.code not in current.items:
            flags.append("retired_item")
        if self.port.period_is_closed(hh.village_id, month_key(local_day)):
            flags.append("late")
        flags += time_flags
        answer = {"points": points_text((item.points or 0) * quantity), "item": item.code} if changed else {}
        self.port.store_event(EventRecord(
            uuid=data["uuid"], payload_sha256=digest, result=_stored(flags, answer), household_id=hh.id,
            village_id=hh.village_id, member_id=member_id, version_id=version.id, item=item,
            quantity=quantity, occurred_at=data["occurred_at"], occurred_on=local_day, note=data["note"],
            place=data["place"], flags=tuple(flags), photos=tuple(dict.fromkeys(data["photos"])),
        ))
        return flags, answer

    def inspection(self, data: dict[str, Any], digest: str) -> tuple[list[str], dict[str, str]]:
        hh = self._household(data)
        local_day, time_flags = self._times(data)
        version, flags = self._version(data, hh, local_day)
        period = data["period"]
        kind = period_kind(period)
        if kind is None or kind not in version.inspection_kinds or not EARLIEST <= int(period[:4]) <= LATEST:
            raise Rejected("wrong_period", period=str(period))
        first, last = inspection_window(period, version.scoring_deadline_day)  # by the recorded day, not today's
        if not first <= local_day <= last:
            raise Rejected("period_not_begun" if local_day < first else "period_over", period=period,
                           day=local_day.isoformat(), deadline=last.isoformat())
        base = {i.code: i for i in version.base_items(kind)}
        for code in list(data["items"]) + list(data["item_photos"]):
            if code not in base:
                raise Rejected("unknown_item", item=code)
        if (hh.id, period) in self.inspected or self.port.inspected(hh.id, period):
            raise Rejected("already_inspected", period=period)
        version, base, changed = inspection_rules(version, base, self._on(hh.village_id, local_day), kind)
        flags += changed
        met = tuple((item, bool(data["items"].get(code, item.default_met))) for code, item in base.items())
        if not data["photos"] and any(item.evidence == "required" and not ok and not data["item_photos"].get(item.code)
                                      for item, ok in met):
            flags.append("photo_missing")  # a shortfall without its proof (a met item's is asked at review)
        current = self._current(hh.village_id)
        if current is None or any(code not in current.items for code in base):
            flags.append("retired_item")
        if self.port.period_is_closed(hh.village_id, period):
            flags.append("late")
        flags += time_flags
        self.inspected.add((hh.id, period))
        answer = {"points": points_text(sum((i.points or 0 for i, ok in met if ok), Decimal(0)))} if changed else {}
        self.port.store_inspection(InspectionRecord(
            uuid=data["uuid"], payload_sha256=digest, result=_stored(flags, answer), household_id=hh.id,
            village_id=hh.village_id, version_id=version.id, period=period, occurred_at=data["occurred_at"],
            occurred_on=local_day, note=data["note"], place=data["place"], flags=tuple(flags),
            met=met, photos=tuple(dict.fromkeys(data["photos"])),
            item_photos={code: tuple(dict.fromkeys(shas)) for code, shas in data["item_photos"].items() if shas},
        ))
        return flags, answer


def _previous_month_start(today: date) -> date:
    """The first day of last month: anything earlier is `old_time` (a wrong phone date, or a slip)."""
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def _stored(flags: list[str], answer: dict[str, str]) -> dict[str, Any]:
    """What a receipt keeps: the answer a replay gets again."""
    return {"status": "accepted", "entry_status": "recorded", "flags": list(flags), **answer}


def _refusal(raw_uuid: str | None, code: str, status: str = "rejected", **params: Any) -> ItemResult:
    return ItemResult(raw_uuid, status, code=code, msgid=REASONS[code], params=params)


def _load(raw: Any) -> tuple[Any, dict[str, Any] | None, str]:
    """(raw, validated data or None, the names of the bad fields)."""
    if not isinstance(raw, dict):
        return raw, None, "item"
    kind = raw.get("type")
    schema = _SCHEMAS.get(kind) if isinstance(kind, str) else None  # a list or a dict is no type either
    if schema is None:
        return raw, None, "type"
    try:
        data = schema.load(raw)
        text = canonical_json(raw)
        if "\\u0000" in text:  # NUL: no database stores it in text
            return raw, None, "item"
        data["_sha256"] = text_sha256(text)
    except ValidationError as error:
        bad = error.messages if isinstance(error.messages, dict) else {"item": error.messages}
        return raw, None, ", ".join(sorted(str(k) for k in bad))
    except ValueError:  # NaN or Infinity somewhere: not JSON the protocol can hash
        return raw, None, "item"
    return raw, data, ""
