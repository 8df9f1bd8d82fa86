"""Entry states and the transitions between them (DOMAIN.md §4), as a table.

recorded ──► approved ──► published ──► final
    │            │             │
    └► rejected  └► adjusted   └► objected ──► upheld / dismissed
"""

from __future__ import annotations

RECORDED = "recorded"
APPROVED = "approved"
REJECTED = "rejected"
ADJUSTED = "adjusted"
PUBLISHED = "published"
FINAL = "final"
OBJECTED = "objected"

# Only checked entries count towards totals: "Entries are checked before they count."
COUNTED_STATUSES = frozenset({APPROVED, PUBLISHED, FINAL, OBJECTED})

# (state, action) → next state; anything absent is not allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (RECORDED, "approve"): APPROVED,
    (RECORDED, "reject"): REJECTED,
    (RECORDED, "adjust"): ADJUSTED,
    (APPROVED, "publish"): PUBLISHED,
    (PUBLISHED, "finalise"): FINAL,
    (PUBLISHED, "object"): OBJECTED,
    (OBJECTED, "uphold"): FINAL,
    (OBJECTED, "dismiss"): FINAL,
}


def next_status(status: str, action: str) -> str | None:
    """The state an action leads to, or None when the action is not allowed."""
    return TRANSITIONS.get((status, action))


def counts(status: str) -> bool:
    """Whether an entry in this state counts towards totals."""
    return status in COUNTED_STATUSES
