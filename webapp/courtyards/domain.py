"""Courtyard star ratings' rules (美丽庭院星级户), as plain values.

A rating gives a household 0, 1, 3 or 5 stars; 1, 3 and 5 need a photo of the courtyard. It is
reviewed like an inspection (webapp/review/domain.py): recorded ──► approved, or ──► rejected with a
reason, by someone other than whoever recorded it. A rating is never edited: a correction is a new
rating, and a household's stars for a year are its latest approved rating in that year's rounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.review.domain import ReviewFacts, decide

STARS = (0, 1, 3, 5)
STARRED = (1, 3, 5)  # the levels a village's evaluation counts (星级户)
RECORDED, APPROVED, REJECTED = "recorded", "approved", "rejected"
STATUSES = (RECORDED, APPROVED, REJECTED)
OPEN, CLOSED = "open", "closed"
SHARE_PLACES = Decimal("0.0001")


def check_rating(stars: int, has_photo: bool) -> None:
    """Refuse stars outside 0/1/3/5, and 1/3/5 stars without a photo."""
    if stars not in STARS:
        raise Refusal(N_("Courtyard stars are 0, 1, 3 or 5, not %(stars)s."), stars=stars)
    if stars and not has_photo:
        raise Refusal(N_("A courtyard rated %(stars)s stars needs a photo."), stars=stars)


def review(status: str, rated_by_id: int | None, reviewer_id: int, action: str, reason: str = "") -> str:
    """The rating's status after a reviewer's decision (approve or reject), by the review rules: not
    one's own rating, a reason for a rejection, not twice."""
    if action not in ("approve", "reject"):
        raise Refusal(N_("Unknown review decision: %(action)s"), action=action)
    return decide(ReviewFacts(status=status, recorded_by_id=rated_by_id), reviewer_id, action, reason)


@dataclass(frozen=True, slots=True)
class RatingFact:
    """What the shares need to know of one rating."""

    household_id: int
    stars: int
    status: str
    rated_at: datetime
    id: int


def latest_approved(ratings: Iterable[RatingFact]) -> dict[int, int]:
    """Each household's stars from its latest approved rating (later rated_at, then later id, wins)."""
    best: dict[int, RatingFact] = {}
    for rating in ratings:
        if rating.status != APPROVED:
            continue
        held = best.get(rating.household_id)
        if held is None or (rating.rated_at, rating.id) > (held.rated_at, held.id):
            best[rating.household_id] = rating
    return {household: rating.stars for household, rating in best.items()}


def shares(stars_of: dict[int, int], participating: Iterable[int]) -> dict[int, Decimal]:
    """{1: share, 3: share, 5: share}: the fraction (0 to 1, four places, half up) of the participating
    households whose stars are that level; all zero when no household takes part."""
    members = set(participating)
    counts = {level: 0 for level in STARRED}
    for household in members:
        level = stars_of.get(household)
        if level in counts:
            counts[level] += 1
    if not members:
        return {level: Decimal(0) for level in STARRED}
    total = Decimal(len(members))
    return {level: (Decimal(n) / total).quantize(SHARE_PLACES, ROUND_HALF_UP) for level, n in counts.items()}
