"""Year-end awards on hand-worked examples: star bands with a floor, prize slots and tiers, ties at
every edge (households tied at an edge get the better band; ties across the last prize slot go to
the committee), and the Bieshan plan's monthly-average basis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.refusals import refused
from tests.rule_files import scheme_text
from webapp.points.domain.ledger import annual_score, months_enrolled
from webapp.points.domain.ranking import rank
from webapp.points.domain.scheme_loader import load_scheme
from webapp.publication.domain.awards import (
    AwardRulesError,
    allocate_prizes,
    prize_rules,
    prize_slots,
    star_ratings,
    star_rules,
    tier_slots,
)

D = Decimal


def ranked(scores: dict[str, int | str]):
    return rank((key, D(str(value))) for key, value in scores.items())


@pytest.fixture(scope="module")
def star140_stars():
    rules = load_scheme(scheme_text("star-140"))
    return star_rules(rules.policies.star_ratings, rules.base_points)


def test_the_140_point_plan_rates_the_top_10_20_30_percent_above_the_base(star140_stars):
    """Bands 10/20/30% of 20 households are ranks ≤2, ≤4, ≤6; the floor is the base of 140 points."""
    assert [(b.stars, b.top_percent) for b in star140_stars.bands] == [(5, 10), (4, 20), (3, 30)]
    assert star140_stars.floor == D(140)


def test_households_tied_at_each_band_edge_all_get_the_better_band(star140_stars):
    """20 households. Ranks 1, 2, 2 (tie on the 5-star edge, rank 2 ≤ 2): three 5-star households.
    Ranks 4, 4 (on the 4-star edge): two 4-star. Ranks 6, 6, 6 (on the 3-star edge): three 3-star,
    so 8 households hold stars although 30% of 20 is 6. Rank 9 and below: none."""
    scores = {"A": 180, "B": 170, "C": 170, "D": 160, "E": 160, "F": 150, "G": 150, "H": 150}
    scores |= {f"Z{i:02d}": 145 - i for i in range(12)}
    stars = star_ratings(ranked(scores), star140_stars)
    assert stars == {"A": 5, "B": 5, "C": 5, "D": 4, "E": 4, "F": 3, "G": 3, "H": 3}


def test_a_household_below_the_base_gets_no_star_even_in_the_top_band(star140_stars):
    """10 households: ranks ≤1, ≤2, ≤3. Rank 3 has 139.5 < 140, so no star; rank 2 has exactly 140."""
    scores = {"A": 200, "B": 140, "C": "139.5"} | {f"Z{i}": 100 - i for i in range(7)}
    assert star_ratings(ranked(scores), star140_stars) == {"A": 5, "B": 4}


@pytest.fixture(scope="module")
def fengsheng_prizes():
    return prize_rules(load_scheme(scheme_text("fengsheng")).policies.year_end_prizes)


def test_prize_slots_are_a_fifth_of_resident_households_rounded_half_up(fengsheng_prizes):
    """20% of 48 = 9.6 → 10 slots: 2 / 3 / 5. 20% of 22 = 4.4 → 4: 1 / 1 / 2. 20% of 23 = 4.6 → 5:
    20% of 5 = 1 first prize, 30% of 5 = 1.5 → 2 second, the last tier the remaining 2."""
    assert (prize_slots(fengsheng_prizes, 48), tier_slots(fengsheng_prizes, 10)) == (10, [2, 3, 5])
    assert (prize_slots(fengsheng_prizes, 22), tier_slots(fengsheng_prizes, 4)) == (4, [1, 1, 2])
    assert (prize_slots(fengsheng_prizes, 23), tier_slots(fengsheng_prizes, 5)) == (5, [1, 2, 2])
    assert [t.value_yuan for t in fengsheng_prizes.tiers] == [D(50), D(30), D(20)]


def test_prize_tiers_with_ties_at_each_edge(fengsheng_prizes):
    """48 resident households, 10 slots, tier edges at ranks 2, 5 and 10.
    B and C tie at rank 2: both first prize. E and F tie at rank 5: both second prize.
    J, K and L tie at rank 10 across the last slot: all listed, marked for the committee. M (13) gets none."""
    scores = {"A": 300, "B": 290, "C": 290, "D": 280, "E": 270, "F": 270, "G": 260, "H": 250, "I": 240,
              "J": 230, "K": 230, "L": 230, "M": 220}
    scores |= {f"Z{i:02d}": 100 + i for i in range(35)}
    prizes = allocate_prizes(ranked(scores), fengsheng_prizes, resident_households=48)
    assert [(p.key, p.rank, p.tier, p.undecided) for p in prizes] == [
        ("A", 1, 0, False), ("B", 2, 0, False), ("C", 2, 0, False),
        ("D", 4, 1, False), ("E", 5, 1, False), ("F", 5, 1, False),
        ("G", 7, 2, False), ("H", 8, 2, False), ("I", 9, 2, False),
        ("J", 10, 2, True), ("K", 10, 2, True), ("L", 10, 2, True),
    ]


def test_a_tie_that_ends_exactly_on_the_last_slot_needs_no_decision(fengsheng_prizes):
    """5 slots (23 households); ranks 4, 4 fill slots 4 and 5 exactly: both get the third prize."""
    scores = {"A": 9, "B": 8, "C": 7, "D": 6, "E": 6} | {f"Z{i:02d}": 1 for i in range(18)}
    prizes = allocate_prizes(ranked(scores), fengsheng_prizes, resident_households=23)
    assert [(p.key, p.tier, p.undecided) for p in prizes] == [
        ("A", 0, False), ("B", 1, False), ("C", 1, False), ("D", 2, False), ("E", 2, False)]


def test_bad_award_settings_are_refused_with_a_message():
    """A band without top_percent, or a tier with a share that is not a number."""
    with refused("Each star band needs stars and top_percent", AwardRulesError):
        star_rules({"bands": [{"stars": 5}]}, D(140))
    with refused("%(what)s must be a number, not %(value)s", AwardRulesError):
        prize_rules({"share_of_resident_households": 0.2, "tiers": [{"share_of_slots": "lots"}]})


def test_the_bieshan_plan_ranks_the_year_by_the_average_of_monthly_totals():
    """Bieshan (unchanged file) ranks by the monthly average: a household enrolled from July with
    6 months summing 660 (average 110) ranks above one enrolled all year with 1,200 (average 100),
    though its sum is smaller; a third with 1,320 over 12 months averages 110 and shares rank 1."""
    rules = load_scheme(scheme_text("bieshan"))
    basis = rules.policies.annual_rank_basis
    assert basis == "monthly_average"
    year_round = {m: D(100) for m in range(1, 13)}
    from_july = {m: D(110) for m in range(7, 13)}
    strong = {m: D(110) for m in range(1, 13)}
    scores = {
        "all-year": annual_score(basis, year_round, months_enrolled(2026, date(2020, 1, 1), None)),
        "from-july": annual_score(basis, from_july, months_enrolled(2026, date(2026, 7, 15), None)),
        "strong": annual_score(basis, strong, months_enrolled(2026, None, None)),
    }
    assert scores == {"all-year": D(100), "from-july": D(110), "strong": D(110)}
    assert [(r.key, r.rank) for r in rank(scores.items())] == [("from-july", 1), ("strong", 1), ("all-year", 3)]
