"""Ingesting a phone's outbox batch: the database side of sync/ (its SyncPort), and the service
the sync API and the no-JS form call. Never commits: the caller commits the whole batch once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext
from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError

import sync
from sync import (
    EventRecord,
    HouseholdFacts,
    InspectionRecord,
    ItemFacts,
    Receipt,
    StoreRace,
    SyncPort,
    VersionFacts,
)
from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.fieldwork.models import Device, SyncReceipt
from webapp.fieldwork.services.devices import scoring_scope, user_village_id
from webapp.people.models.geo import Village
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.photos.models import EntryPhoto
from webapp.points.models.entry import Entry, Inspection, InspectionItem, month_number
from webapp.points.models.scheme import Category, Item, SchemeVersion
from webapp.points.services.schemes import SchemeTimeline, timeline, version_rules
from webapp.publication.services.query import period_is_closed

ZONE = ZoneInfo("Asia/Shanghai")
# Bulk INSERTs send NULL for None instead of leaving the column out, so that every row has the same
# columns and a batch goes in as one multi-row INSERT (not one per run of rows with the same gaps).
ALL_COLUMNS = {"render_nulls": True}
_FACTS: dict[tuple[Any, ...], VersionFacts] = {}


class BatchRefused(Refusal):
    """The whole request is refused (400 not a batch, 413 too many items); nothing written."""

    def __init__(self, status: int, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.status = status


class SqlSyncPort(SyncPort):
    """sync/'s port on the app's database session, for one user's (and device's) batch."""

    def __init__(self, user: User, device: Device | None, now: datetime | None = None, zone: Any = ZONE) -> None:
        self.user = user
        self.device_label = str(device.public_id) if device is not None else ""
        self.device_id = device.id if device is not None else None
        self.zone = zone
        self.scope = scoring_scope(user.domain_grants())
        self._clock = now or datetime.now(UTC)
        self._versions: dict[int, VersionFacts | None] = {}
        self._timelines: dict[int, SchemeTimeline] = {}
        self._closed: dict[tuple[int, str], bool] = {}
        self._received = utcnow()
        self._events: list[tuple[EventRecord, dict[str, Any]]] = []
        self._inspections: list[tuple[InspectionRecord, dict[str, Any]]] = []

    def now(self) -> datetime:
        return self._clock

    def receipts(self, uuids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Receipt]:
        rows = db.session.execute(
            select(SyncReceipt.client_uuid, SyncReceipt.kind, SyncReceipt.payload_sha256, SyncReceipt.result)
            .where(SyncReceipt.client_uuid.in_(list(uuids)))
        )
        found = {key: Receipt(kind, digest, result or {}) for key, kind, digest, result in rows}
        rest = [key for key in uuids if key not in found]
        if rest:  # a uuid taken by an entry made some other way: a conflict, never a failed batch
            for model, kind in ((Entry, "event"), (Inspection, "inspection")):
                for key in db.session.scalars(select(model.client_uuid).where(model.client_uuid.in_(rest))):
                    found[key] = Receipt(kind, "", {})
        return found

    def households(self, codes: Sequence[str]) -> Mapping[str, HouseholdFacts]:
        rows = db.session.execute(  # a retired village's households are scored by nobody: outside every scope
            select(Household.id, Household.code, Household.village_id, Household.grid_id)
            .where(Household.code.in_(list(codes)))
            .where(Household.village_id.not_in(select(Village.id).where(Village.retired_on.is_not(None))))
        ).all()
        members: dict[int, set[int]] = defaultdict(set)
        ids = [row.id for row in rows if self.scope.allows(row.village_id, row.grid_id)]
        if ids:
            for member_id, household_id in db.session.execute(
                select(Member.id, Member.household_id).where(Member.household_id.in_(ids))
            ):
                members[household_id].add(member_id)
        return {row.code: HouseholdFacts(row.id, row.code, row.village_id, frozenset(members[row.id]),
                                         self.scope.allows(row.village_id, row.grid_id)) for row in rows}

    def version(self, version_id: int) -> VersionFacts | None:
        if version_id not in self._versions:
            sv = db.session.get(SchemeVersion, version_id)
            self._versions[version_id] = None if sv is None else self._facts(sv)
        return self._versions[version_id]

    @staticmethod
    def _facts(sv: SchemeVersion) -> VersionFacts:
        """A version's items, kept per process: a stored version never changes (the key includes
        when it was imported, so a reused id after a wiped database is never mistaken for it)."""
        key = (sv.id, sv.fingerprint, sv.imported_at)
        if key not in _FACTS:
            if len(_FACTS) >= 64:
                _FACTS.clear()
            _FACTS[key] = SqlSyncPort._load_facts(sv)
        return _FACTS[key]

    @staticmethod
    def _load_facts(sv: SchemeVersion) -> VersionFacts:
        rows = db.session.execute(
            select(Item.id, Item.code, Item.kind, Item.scope, Item.default_met, Item.points, Item.evidence,
                   Category.inspection_period)
            .join(Category, Category.id == Item.category_id)
            .where(Item.version_id == sv.id).order_by(Item.position)
        )
        items = {r.code: ItemFacts(r.code, r.kind, r.scope, r.inspection_period, r.default_met, r.id, r.points,
                                   r.evidence) for r in rows}
        return VersionFacts(sv.id, sv.scheme.village_id, items, version_rules(sv).policies.scoring_deadline_day)

    def _timeline(self, village_id: int) -> SchemeTimeline:
        if village_id not in self._timelines:
            self._timelines[village_id] = timeline(village_id)
        return self._timelines[village_id]

    def version_on(self, village_id: int, day: date) -> VersionFacts | None:
        line = self._timeline(village_id)
        sv = line.version_on(day) or (line.versions[0] if line else None)
        return self.version(sv.id) if sv is not None else None

    def current_version(self, village_id: int) -> VersionFacts | None:
        sv = self._timeline(village_id).current
        return self.version(sv.id) if sv is not None else None

    def inspected(self, household_id: int, period: str) -> bool:
        return bool(db.session.scalar(select(exists().where(
            Inspection.household_id == household_id, Inspection.period == period))))

    def period_is_closed(self, village_id: int, period: str) -> bool:
        # Asked for every item of a batch, mostly about the same month: one query per month.
        key = (village_id, period)
        if key not in self._closed:
            self._closed[key] = period_is_closed(village_id, period)
        return self._closed[key]

    def _common(self, record: EventRecord | InspectionRecord) -> dict[str, Any]:
        return {
            "client_uuid": record.uuid, "village_id": record.village_id, "household_id": record.household_id,
            "scheme_version_id": record.version_id, "occurred_at": record.occurred_at.astimezone(UTC).replace(tzinfo=None),
            "received_at": self._received, "recorded_by_id": self.user.id, "device": self.device_label, "status": "recorded",
            "note": record.note,
        }

    def store_event(self, record: EventRecord) -> None:
        self._events.append((record, dict(
            self._common(record), member_id=record.member_id, item_id=record.item.id, quantity=record.quantity,
            occurred_on=record.occurred_on, occurred_month=month_number(record.occurred_on), place=record.place,
            flags=list(record.flags),
        )))

    def store_inspection(self, record: InspectionRecord) -> None:
        self._inspections.append((record, dict(self._common(record), period=record.period, revision=0,
                                               flags=list(record.flags))))

    def flush(self) -> None:
        """The whole batch in a few bulk INSERTs (ids come back by RETURNING, in order)."""
        events, inspections = self._events, self._inspections
        self._events, self._inspections = [], []
        if not events and not inspections:
            return
        try:
            entry_ids = _insert_returning(Entry, [row for _, row in events])
            inspection_ids = _insert_returning(Inspection, [row for _, row in inspections])
            if inspections:
                db.session.execute(insert(InspectionItem), execution_options=ALL_COLUMNS, params=[
                    {"inspection_id": iid, "item_id": item.id, "met": met}
                    for iid, (rec, _) in zip(inspection_ids, inspections) for item, met in rec.met
                ])
            stored = [(rec, eid, None) for (rec, _), eid in zip(events, entry_ids)]
            stored += [(rec, None, iid) for (rec, _), iid in zip(inspections, inspection_ids)]
            db.session.execute(insert(SyncReceipt), execution_options=ALL_COLUMNS, params=[
                {"client_uuid": rec.uuid, "kind": "event" if eid else "inspection", "payload_sha256": rec.payload_sha256,
                 "device_id": self.device_id, "entry_id": eid, "inspection_id": iid, "received_at": self._received,
                 "result": dict(rec.result)} for rec, eid, iid in stored
            ])
            slots = [(rec, eid, iid, sha, code) for rec, eid, iid in stored for sha, codes in _photo_slots(rec).items()
                     for code in codes]
            if slots:  # empty until the phone uploads the bytes, even if the server has them: naming a
                # hash proves nothing, and the answer (missing_photos) must not tell whether it exists
                db.session.execute(insert(EntryPhoto), execution_options=ALL_COLUMNS, params=[
                    {"client_uuid": rec.uuid, "entry_id": eid, "inspection_id": iid, "item_code": code,
                     "upload_sha256": sha, "photo_id": None} for rec, eid, iid, sha, code in slots
                ])
        except IntegrityError as clash:
            raise StoreRace(str(clash.orig)) from clash

    def missing_photos(self, uuids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, list[str]]:
        missing: dict[uuid.UUID, list[str]] = defaultdict(list)
        for key, sha in db.session.execute(
            select(EntryPhoto.client_uuid, EntryPhoto.upload_sha256).distinct()
            .where(EntryPhoto.client_uuid.in_(list(uuids)), EntryPhoto.photo_id.is_(None))
            .order_by(EntryPhoto.client_uuid, EntryPhoto.upload_sha256)
        ):
            missing[key].append(sha)
        return missing


def _insert_returning(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk INSERT, returning the new ids in the order of the rows (matched by client_uuid: asking
    for RETURNING in parameter order would make SQLite insert row by row)."""
    if not rows:
        return []
    ids = dict(db.session.execute(insert(model).returning(model.client_uuid, model.id), rows,
                               execution_options=ALL_COLUMNS).all())
    return [ids[row["client_uuid"]] for row in rows]


def _photo_slots(rec: EventRecord | InspectionRecord) -> dict[str, list[str]]:
    """sha → the item codes it was listed under ("" for the entry itself)."""
    slots: dict[str, list[str]] = defaultdict(list)
    for sha in rec.photos:
        slots[sha].append("")
    for code, shas in getattr(rec, "item_photos", {}).items():
        for sha in shas:
            slots[sha].append(code)
    return slots


def _translate(msgid: str, **params: Any) -> str:
    return gettext(msgid, **params)


def ingest_batch(user: User, device: Device | None, payload: Any, now: datetime | None = None) -> dict[str, Any]:
    """Apply one batch for a user (from a device, or from the no-JS form with device=None) and
    return the response body. Raises BatchRefused before writing anything for a bad request.
    `now` (aware) stands in for the server's clock in tests."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise BatchRefused(400, N_("This is not a sync batch."))
    if payload.get("protocol") != sync.PROTOCOL_VERSION:
        raise BatchRefused(400, N_("This app speaks another version of the sync protocol. Please reload it."))
    items = payload["items"]
    if len(items) > sync.MAX_ITEMS:
        raise BatchRefused(413, N_("At most %(max)s items per batch."), max=sync.MAX_ITEMS)
    label = str(device.public_id) if device is not None else ""
    event = record(user.id, "sync.batch", "device", device.id if device is not None else None,
                   village_id=user_village_id(user), device=label, items=len(items))
    db.session.flush()  # opens the transaction before the savepoint (SQLite needs one for SAVEPOINT to nest)
    for attempt in (1, 2):
        try:
            with db.session.begin_nested():
                results = sync.apply_batch(items, SqlSyncPort(user, device, now))
            break
        except StoreRace:
            if attempt == 2:  # a second clash is no race: let it surface
                raise
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.status] += 1
    event.detail = {"items": len(items), **counts}
    return {"protocol": sync.PROTOCOL_VERSION, "results": [r.as_json(_translate) for r in results]}
