"""Rankings and prize places follow a household's dates: ranked for every period it took part in for
at least a day (enrolled_on … left_on, exclusive), out of the rankings after; and no prize, nor a place
counted for prizes, in a year it stopped taking part before the year's end."""

from __future__ import annotations

from datetime import date

from webapp.core.periods import Period
from webapp.points.services.period_results import period_results
from webapp.points.services.points import village_ranking
from webapp.publication.services import publications

YEAR = Period.whole_year(2026)
NEW_YEAR = date(2027, 1, 4)


def test_a_household_that_stopped_taking_part_leaves_the_month_rankings_after_its_date(make):
    village = make.village()
    version = make.scheme(village)
    stays = make.household(village, "留户")
    leaves = make.household(village, "迁户", left_on=date(2026, 4, 15))
    gone = make.household(village, "早迁户", left_on=date(2026, 4, 1))
    late = make.household(village, "新户", enrolled_on=date(2026, 5, 1))
    for hh in (stays, leaves, gone, late):
        make.entry(hh, version, "J2", date(2026, 3, 10))

    def ranked(key: str) -> set[int]:
        return {row.household_id for row in period_results(village.id, Period.parse(key))}

    assert ranked("2026-03") == {stays.id, leaves.id, gone.id}  # 新户 not yet enrolled
    assert ranked("2026-04") == {stays.id, leaves.id}  # left mid-April: still ranked for April
    assert ranked("2026-05") == {stays.id, late.id}
    assert ranked("2026-Q2") == {stays.id, leaves.id, late.id}
    ranks, _ = village_ranking(village.id, Period.parse("2026-05"))  # the household page's live rank
    assert set(ranks) == {stays.id, late.id}
    ranks, _ = village_ranking(village.id, Period.parse("2026-03"))
    assert set(ranks) == {stays.id, leaves.id, gone.id}


def test_a_household_that_left_during_the_year_is_ranked_but_neither_wins_nor_counts_for_prizes(make):
    """13 resident households would make 3 prize places (13 × 20% = 2.6); 甲 stopped on 1 October, so
    12 count (2.4 → 2). 甲 has the most points and still ranks first for the year, but the prizes go to
    乙 and 丙. A household that left before the year is not ranked at all."""
    village = make.village()
    version = make.scheme(village)
    admin = make.user("village_admin", village_id=village.id)
    homes = {name: make.household(village, name) for name in ["乙", "丙"] + [f"户{i}" for i in range(10)]}
    homes["甲"] = make.household(village, "甲", left_on=date(2026, 10, 1))
    make.household(village, "去年迁户", left_on=date(2025, 12, 1))
    for name, times in (("甲", 3), ("乙", 2), ("丙", 1)):
        for day in range(1, times + 1):
            make.entry(homes[name], version, "J2", date(2026, 5, day))
    publication = publications.close_period(admin, village, YEAR, NEW_YEAR)
    rows = publication.frozen["rows"]
    assert len(rows) == 13 and (rows[0]["name"], rows[0]["rank"]) == ("甲", 1)
    awards = publication.frozen["awards"]
    assert (awards["slots"], awards["resident_households"]) == (2, 12)
    assert [p["household_id"] for p in awards["prizes"]] == [homes["乙"].id, homes["丙"].id]


def test_a_household_that_stops_at_the_years_end_still_counts_for_that_years_prizes(make):
    """Stopping from 1 January 2027 means it took part all of 2026: it competes for 2026's prizes."""
    village = make.village()
    version = make.scheme(village)
    admin = make.user("village_admin", village_id=village.id)
    first = make.household(village, "甲", left_on=date(2027, 1, 1))
    for i in range(4):
        make.household(village, f"户{i}")
    make.entry(first, version, "J2", date(2026, 5, 1))
    awards = publications.close_period(admin, village, YEAR, NEW_YEAR).frozen["awards"]
    assert awards["resident_households"] == 5 and awards["prizes"][0]["household_id"] == first.id
