"""Year-end awards: star ratings by percentile band with a floor, and prize slots in tiers (DOMAIN.md §5).

Both work on shared ranks (1, 2, 2, 4), so households tied at a band's edge all get the
better band. Prize slots are the scheme's share of resident households rounded half up;
each tier but the last gets its share of the slots rounded half up, the last the rest.
Households tied across the last slot are all listed and marked for the committee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.points.domain.ranking import Ranked, top_percent_rank_limit

K = TypeVar("K")


class AwardRulesError(Refusal, ValueError):
    """A star-rating or prize setting of the scheme that cannot be used."""


def round_half_up(value: Decimal) -> int:
    """Round to a whole number, halves away from zero (4.5 → 5), as people count slots."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise AwardRulesError(N_("%(what)s must be a number, not %(value)s"), what=what, value=value) from None
    if not number.is_finite() or number < 0:
        raise AwardRulesError(N_("%(what)s must be a number, not %(value)s"), what=what, value=value)
    return number


# -- star ratings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StarBand:
    stars: int
    top_percent: Decimal


@dataclass(frozen=True, slots=True)
class StarRules:
    """Bands from the narrowest (top 10% → 5 stars) outwards; floor is the least score that may earn a star."""

    bands: tuple[StarBand, ...]
    floor: Decimal | None


def star_rules(raw: Mapping[str, Any] | None, base_points: Decimal | None) -> StarRules | None:
    """Read the scheme's star_ratings policy; `floor: base_points` means the scheme's base points."""
    if not raw:
        return None
    bands = []
    for band in raw.get("bands") or ():
        if not isinstance(band, Mapping) or "stars" not in band or "top_percent" not in band:
            raise AwardRulesError(N_("Each star band needs stars and top_percent"))
        bands.append(StarBand(int(band["stars"]), _decimal(band["top_percent"], "top_percent")))
    floor_raw = raw.get("floor")
    if floor_raw == "base_points":
        floor = base_points
    elif floor_raw is None:
        floor = None
    else:
        floor = _decimal(floor_raw, "floor")
    return StarRules(tuple(sorted(bands, key=lambda b: b.top_percent)), floor)


def star_ratings(ranked: Sequence[Ranked[K]], rules: StarRules) -> dict[K, int]:
    """Stars per household: the narrowest band whose rank limit its (shared) rank is within,
    if its score reaches the floor. Households with no star are left out."""
    count = len(ranked)
    limits = [(top_percent_rank_limit(band.top_percent, count), band.stars) for band in rules.bands]
    stars: dict[K, int] = {}
    for row in ranked:
        if rules.floor is not None and row.score < rules.floor:
            continue
        for limit, band_stars in limits:
            if row.rank <= limit:
                stars[row.key] = band_stars
                break
    return stars


# -- prizes -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrizeTier:
    name: str
    share_of_slots: Decimal
    value_yuan: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PrizeRules:
    share_of_resident_households: Decimal
    tiers: tuple[PrizeTier, ...]


def prize_rules(raw: Mapping[str, Any] | None) -> PrizeRules | None:
    """Read the scheme's year_end_prizes policy."""
    if not raw:
        return None
    tiers = []
    for tier in raw.get("tiers") or ():
        if not isinstance(tier, Mapping) or "share_of_slots" not in tier:
            raise AwardRulesError(N_("Each prize tier needs share_of_slots"))
        value = tier.get("value_yuan")
        tiers.append(PrizeTier(str(tier.get("name", "")), _decimal(tier["share_of_slots"], "share_of_slots"),
                               None if value is None else _decimal(value, "value_yuan")))
    if not tiers:
        raise AwardRulesError(N_("year_end_prizes needs at least one tier"))
    share = _decimal(raw.get("share_of_resident_households", 0), "share_of_resident_households")
    return PrizeRules(share, tuple(tiers))


def prize_slots(rules: PrizeRules, resident_households: int) -> int:
    """How many prizes: the share of resident households, rounded half up."""
    return round_half_up(rules.share_of_resident_households * resident_households)


def tier_slots(rules: PrizeRules, slots: int) -> list[int]:
    """Slots per tier: each tier but the last its share rounded half up, the last the remainder."""
    counts: list[int] = []
    for tier in rules.tiers[:-1]:
        counts.append(min(round_half_up(tier.share_of_slots * slots), slots - sum(counts)))
    counts.append(slots - sum(counts))
    return counts


@dataclass(frozen=True, slots=True)
class Prize(Generic[K]):
    """One household's prize: its tier (index into the rules' tiers) and whether the committee
    must decide, because it is tied with others across the last slot."""

    key: K
    rank: int
    score: Decimal
    tier: int
    undecided: bool = False


def allocate_prizes(ranked: Sequence[Ranked[K]], rules: PrizeRules, resident_households: int) -> list[Prize[K]]:
    """Prizes in rank order. A household's tier is the first whose cumulative slots reach its
    shared rank; a group tied across the last slot is listed whole, each marked undecided."""
    slots = prize_slots(rules, resident_households)
    if slots <= 0:
        return []
    edges: list[int] = []
    for count in tier_slots(rules, slots):
        edges.append((edges[-1] if edges else 0) + count)
    tied_size: dict[int, int] = {}
    for row in ranked:
        tied_size[row.rank] = tied_size.get(row.rank, 0) + 1
    prizes = []
    for row in ranked:
        if row.rank > slots:
            continue
        tier = next(index for index, edge in enumerate(edges) if row.rank <= edge)
        # The tie group holds ranks rank..rank+size-1; it straddles the last slot if it runs past it.
        undecided = row.rank + tied_size[row.rank] - 1 > slots
        prizes.append(Prize(row.key, row.rank, row.score, tier, undecided))
    return prizes
