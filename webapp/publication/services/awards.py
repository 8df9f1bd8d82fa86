"""Year-end awards of a closing year: star ratings and the prize proposal, from the frozen ranking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from webapp.core.refusal import Refusal
from webapp.points.domain.ranking import Ranked, rank
from webapp.points.domain.scheme import SchemeRules
from webapp.points.services.period_results import ResultRow
from webapp.publication.domain.awards import (
    AwardRulesError,
    allocate_prizes,
    prize_rules,
    prize_slots,
    star_ratings,
    star_rules,
    tier_slots,
)


def year_awards(rules: SchemeRules, rows: list[ResultRow]) -> dict[str, Any]:
    """Stars for every ranked household; prizes among resident households still taking part at the
    year's end, ranked among themselves."""
    try:
        stars_rules = star_rules(rules.policies.star_ratings, rules.base_points)
        prizes_rules = prize_rules(rules.policies.year_end_prizes)
    except AwardRulesError as error:
        raise Refusal(error.msgid, **error.params) from None
    awards: dict[str, Any] = {"stars": [], "prizes": [], "tiers": [], "slots": 0, "tier_slots": [],
                              "resident_households": sum(1 for r in rows if _in_prizes(r))}
    if stars_rules is not None:
        ranked = [Ranked(r.household_id, r.points, r.rank) for r in rows]
        stars = star_ratings(ranked, stars_rules)
        awards["stars"] = [{"household_id": r.household_id, "stars": stars[r.household_id]}
                           for r in rows if r.household_id in stars]
    if prizes_rules is not None:
        residents = rank((r.household_id, r.points) for r in rows if _in_prizes(r))
        slots = prize_slots(prizes_rules, len(residents))
        awards["slots"] = slots
        awards["tier_slots"] = tier_slots(prizes_rules, slots) if slots else []
        awards["tiers"] = [{"name": t.name, "value_yuan": _text(t.value_yuan)} for t in prizes_rules.tiers]
        awards["prizes"] = [{"household_id": p.key, "rank": p.rank, "tier": p.tier, "undecided": p.undecided}
                            for p in allocate_prizes(residents, prizes_rules, len(residents))]
    return awards


def _in_prizes(row: ResultRow) -> bool:
    """Prizes and their places go to resident households still taking part at the year's end: one that
    stopped during the year is ranked for the months it took part, but neither wins nor counts."""
    return row.resident and row.stayed


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")
