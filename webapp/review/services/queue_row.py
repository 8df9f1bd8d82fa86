"""A row of the review queue: an entry or an inspection with what a reviewer needs to decide it.

queue_rows.py loads them a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from webapp.points.domain.entry_states import RECORDED


@dataclass(frozen=True)
class Finding:
    """One base item of an inspection: met or not, and its photos."""

    code: str
    name: str
    points: Decimal
    met: bool
    default_met: bool  # how the form starts: a usual standard (met) or one earned only when done
    photo_ids: tuple[int, ...] = ()

    @property
    def notable(self) -> bool:
        """A shortfall, or a standard earned beyond the usual: what the reviewer must look at."""
        return self.met != self.default_met


class Change(NamedTuple):
    """A base item an adjustment changed: its code and whether it is met now."""

    code: str
    met: bool


@dataclass
class QueueRow:
    kind: str  # "entry" or "inspection"
    id: int
    status: str
    received_at: datetime
    village_name: str
    household_code: str
    head_name: str
    group_name: str
    grid_name: str
    scorer_name: str
    device: str
    note: str
    flags: tuple[str, ...]
    recorded_by_me: bool
    occurred_on: date | None = None  # an entry's day
    period: str = ""  # an inspection's period
    revision: int = 0
    item_code: str = ""
    item_name: str = ""
    item_points: Decimal | None = None
    member_name: str = ""
    quantity: Decimal | None = None
    place: str = ""
    findings: list[Finding] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)
    photos_waiting: int = 0  # photos the phone said it has, not uploaded yet
    missing_evidence: tuple[str, ...] = ()
    approvals: int = 0
    approvals_needed: int = 1
    approved_by_me: bool = False
    pending_publication: bool = False  # its period is closed: it will be in the next publication
    month_points: Decimal | None = None  # the household's counted points this month
    reason: str = ""  # the latest reason given for a rejection or an adjustment
    corrected_quantity: Decimal | None = None  # an adjusted entry: the quantity it should be
    changed: list[Change] = field(default_factory=list)  # an adjusted inspection's changed items
    # An adjustment still waiting for approvals (approvals_needed > 1): who made it, and what it proposes.
    adjusted_by: str = ""
    proposed_quantity: Decimal | None = None
    proposed_changes: list[Change] = field(default_factory=list)
    read_only: bool = False  # shown to a 包村干部, who reads the queue and decides nothing

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.id}"

    @property
    def open(self) -> bool:
        """Still waiting for a decision of this reviewer."""
        return self.status == RECORDED and not self.recorded_by_me and not self.read_only

    @property
    def may_approve(self) -> bool:
        return self.open and not self.approved_by_me and not self.missing_evidence

    @property
    def waiting_for(self) -> int:
        return max(self.approvals_needed - self.approvals, 0)

    @property
    def recorder(self) -> str:
        """Who recorded it: the person's name; the device's label only when no person is known."""
        return self.scorer_name or self.device

    @property
    def entry_points(self) -> Decimal | None:
        """An entry's points before caps: the item's points × quantity."""
        if self.item_points is None or self.quantity is None:
            return None
        return self.item_points * self.quantity
