"""Review decisions and the rules a reviewer works under (DOMAIN.md §4), as tables.

The entry states they move between live with the entries (webapp/points/domain/entry_states.py):
recorded ──► approved ──► published ──► final
    │   └──► adjusted ──┘      (a correction entry carries the change)
    └► rejected

An entry is never edited: "adjusted" means a reviewer approved it together with a
correction entry (a signed delta of the same item) that carries the change and its
reason. Objections are against a household's published result, not an entry; their
states are in publication.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.points.domain.entry_states import (  # noqa: F401 - the review rules speak of these states
    ADJUSTED,
    APPROVED,
    COUNTED_STATUSES,
    DECISIONS,
    FINAL,
    FLAGS,
    PUBLISHABLE_STATUSES,
    PUBLISHED,
    RECORDED,
    REJECTED,
    TRANSITIONS,
    counts,
    next_status,
)


class ReviewError(Refusal):
    """A review decision the rules do not allow; nothing is written."""


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """What the rules need to know about an entry (or inspection) under review."""

    status: str
    recorded_by_id: int | None
    # Codes of items that need a photo before approval, and the codes that have one
    # ("" stands for the entry itself: an event entry's photo).
    evidence_required: frozenset[str] = frozenset()
    evidence_present: frozenset[str] = frozenset()
    # The reviewers whose approval stands (an adjustment counts as its reviewer's approval of the
    # adjusted figures, and approvals given before the latest adjustment no longer stand).
    approved_by: frozenset[int] = field(default_factory=frozenset)
    approvals_needed: int = 1
    adjustment_pending: bool = False  # an adjustment waits for the approvals it still needs


def standing_approvals(decisions: list[tuple[int, str]]) -> tuple[frozenset[int], bool]:
    """From an entry's decisions in order ((reviewer id, decision)): the reviewers whose approval
    stands, and whether an adjustment is among them.

    An adjustment is its reviewer's approval of the entry as adjusted; it replaces what the earlier
    approvals approved, so they stop counting and the count starts again from the adjustment."""
    standing: set[int] = set()
    adjusted = False
    for reviewer_id, decision in decisions:
        if decision == "adjust":
            standing, adjusted = {reviewer_id}, True
        elif decision == "approve":
            standing.add(reviewer_id)
    return frozenset(standing), adjusted


def decide(facts: ReviewFacts, reviewer_id: int, action: str, reason: str = "") -> str:
    """The entry's status after a reviewer's decision; raises ReviewError when it is not allowed.

    approve: counts one approval; the entry is approved once it has the scheme's number of
    approvals from different reviewers (until then it stays recorded). After an adjustment it
    approves the entry as adjusted, and the entry ends adjusted.
    adjust: counts as this reviewer's approval of the adjusted entry, and only that one stands
    (earlier approvals were of other figures): with approvals_needed 2 it stays recorded until
    another reviewer approves it.
    reject / adjust: need a reason; adjust also needs the evidence an approval needs.
    """
    if action not in DECISIONS:
        raise ReviewError(N_("Unknown review decision: %(action)s"), action=action)
    target = next_status(facts.status, action)
    if target is None:
        raise ReviewError(N_("This entry has already been reviewed (%(status)s)."), status=facts.status)
    if facts.recorded_by_id is not None and facts.recorded_by_id == reviewer_id:
        raise ReviewError(N_("You cannot review an entry you recorded yourself."))
    if action in ("reject", "adjust") and not reason.strip():
        raise ReviewError(N_("Give a reason for this decision."))
    if action in ("approve", "adjust"):
        missing = sorted(facts.evidence_required - facts.evidence_present)
        if missing:
            raise ReviewError(N_("This item needs a photo as evidence before it can be approved (%(items)s)."),
                              items=", ".join(code or "—" for code in missing))
    needed = max(facts.approvals_needed, 1)
    if action == "approve":
        if reviewer_id in facts.approved_by:
            raise ReviewError(N_("You have already approved this entry; another reviewer must approve it too."))
        if len(facts.approved_by) + 1 < needed:
            return facts.status  # one more approval counted; still waiting for the others
        return ADJUSTED if facts.adjustment_pending else target
    if action == "adjust" and needed > 1:
        return facts.status  # this reviewer's approval of the adjusted entry; the others are still needed
    return target


def approvals_missing(facts: ReviewFacts) -> int:
    """How many more approvals the entry needs."""
    return max(max(facts.approvals_needed, 1) - len(facts.approved_by), 0)
