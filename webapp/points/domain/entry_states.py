"""Entry states and their transitions, as a table (DOMAIN.md §4).

recorded ──► approved ──► published ──► final
    │   └──► adjusted ──┘      (a correction entry carries the change)
    └► rejected

An entry is never edited: "adjusted" means a reviewer approved it together with a correction
entry (a signed delta of the same item). The points engine counts entries by these states; the
review capability decides them (webapp/review/domain.py) and publication claims them.
"""

from __future__ import annotations

RECORDED = "recorded"
APPROVED = "approved"
REJECTED = "rejected"
ADJUSTED = "adjusted"
PUBLISHED = "published"
FINAL = "final"

# Only checked entries count towards totals: "Entries are checked before they count."
COUNTED_STATUSES = frozenset({APPROVED, ADJUSTED, PUBLISHED, FINAL})
# Statuses a publication claims an entry in (published) and the ones it leaves alone.
PUBLISHABLE_STATUSES = frozenset({APPROVED, ADJUSTED})

# (state, action) → next state; anything absent is not allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (RECORDED, "approve"): APPROVED,
    (RECORDED, "reject"): REJECTED,
    (RECORDED, "adjust"): ADJUSTED,
    (APPROVED, "publish"): PUBLISHED,
    (ADJUSTED, "publish"): PUBLISHED,
    (PUBLISHED, "finalise"): FINAL,
}
DECISIONS = ("approve", "reject", "adjust")

# Flags an entry can carry into the review queue (the sync protocol's, and the web forms').
FLAGS = ("late", "retired_item", "future_time", "old_time", "unknown_version", "self_declared", "correction",
         "rules_changed", "photo_missing")


def next_status(status: str, action: str) -> str | None:
    """The state an action leads to, or None when the action is not allowed."""
    return TRANSITIONS.get((status, action))


def counts(status: str) -> bool:
    """Whether an entry in this state counts towards totals."""
    return status in COUNTED_STATUSES
