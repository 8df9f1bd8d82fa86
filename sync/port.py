"""What the apply logic needs from storage, as plain values and one abstract port.

The web layer implements `SyncPort` with its database; tests implement it in memory.
The port's writes belong to the caller's transaction: apply_batch never commits, so a
crash anywhere before the caller commits leaves nothing behind.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any


class StoreRace(Exception):
    """The store found, while writing, that another request stored the same thing first
    (a uuid or a household's inspection). The caller may roll back and apply the batch again."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """What was stored for a uuid: the payload's hash and the result answered then."""

    kind: str
    payload_sha256: str
    result: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    id: int
    code: str
    village_id: int
    member_ids: frozenset[int]
    may_score: bool  # the device's user may score this household (own grid, own village)


@dataclass(frozen=True, slots=True)
class ItemFacts:
    code: str
    kind: str  # base / bonus / deduction / freeze
    scope: str  # household / member
    inspection_period: str  # of its category: month / quarter / year
    default_met: bool = False
    id: int | None = None  # the store's key, opaque here
    points: Decimal | None = None  # as the rules write it: deductions are negative
    evidence: str = "optional"  # "required": a photo before approval

    @property
    def rule(self) -> tuple[str, str, str, Decimal | None]:
        """What scoring this item depends on: two versions with the same rule score it alike."""
        return self.kind, self.scope, self.inspection_period, self.points


@dataclass(frozen=True, slots=True)
class VersionFacts:
    id: int
    village_id: int
    items: Mapping[str, ItemFacts]
    scoring_deadline_day: int | None = None  # inspections of a period may be recorded until this day of the next month

    def base_items(self, kind: str) -> list[ItemFacts]:
        """Base items of the categories inspected per `kind` of period, in scheme order."""
        return [i for i in self.items.values() if i.kind == "base" and i.inspection_period == kind]

    @property
    def inspection_kinds(self) -> frozenset[str]:
        return frozenset(i.inspection_period for i in self.items.values() if i.kind == "base")


@dataclass(frozen=True, slots=True)
class EventRecord:
    uuid: uuid.UUID
    payload_sha256: str
    result: Mapping[str, Any]
    household_id: int
    village_id: int
    member_id: int | None
    version_id: int
    item: ItemFacts
    quantity: Decimal
    occurred_at: datetime  # aware, as the device claimed it
    occurred_on: date  # the village's local date of occurred_at
    note: str
    place: str
    flags: tuple[str, ...]
    photos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    uuid: uuid.UUID
    payload_sha256: str
    result: Mapping[str, Any]
    household_id: int
    village_id: int
    version_id: int
    period: str
    occurred_at: datetime
    occurred_on: date
    note: str
    place: str
    flags: tuple[str, ...]
    met: tuple[tuple[ItemFacts, bool], ...]  # every base item of the period kind
    photos: tuple[str, ...]
    item_photos: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class SyncPort(ABC):
    """Storage as the apply logic sees it. Reads may be cached for the length of one batch."""

    zone: tzinfo  # the villages' local time (Asia/Shanghai): the date an entry belongs to

    @abstractmethod
    def now(self) -> datetime:
        """The server's clock, timezone-aware."""

    @abstractmethod
    def receipts(self, uuids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Receipt]:
        """Stored receipts of these uuids (missing ones are simply absent)."""

    @abstractmethod
    def households(self, codes: Sequence[str]) -> Mapping[str, HouseholdFacts]:
        """Households by code (unknown codes are absent)."""

    @abstractmethod
    def version(self, version_id: int) -> VersionFacts | None:
        """A scheme version by id, whatever its village."""

    @abstractmethod
    def version_on(self, village_id: int, day: date) -> VersionFacts | None:
        """The village's version in force on a day (the earliest one for days before any)."""

    @abstractmethod
    def current_version(self, village_id: int) -> VersionFacts | None:
        """The village's version in force now."""

    @abstractmethod
    def inspected(self, household_id: int, period: str) -> bool:
        """Whether an inspection of this household and period is already stored."""

    @abstractmethod
    def period_is_closed(self, village_id: int, period: str) -> bool:
        """Whether the period's results are closed (entries arriving now are late)."""

    @abstractmethod
    def store_event(self, record: EventRecord) -> None:
        """Stage an entry, its receipt and its photo slots (written by flush at the latest)."""

    @abstractmethod
    def store_inspection(self, record: InspectionRecord) -> None:
        """Stage an inspection with its items, its receipt and its photo slots."""

    @abstractmethod
    def flush(self) -> None:
        """Write what was staged into the caller's transaction; raise StoreRace on a unique clash."""

    @abstractmethod
    def missing_photos(self, uuids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, list[str]]:
        """Per uuid, the photo hashes its items listed that have not been uploaded yet."""
