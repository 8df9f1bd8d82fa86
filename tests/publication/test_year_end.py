"""Closing a year: star ratings on the 140-point plan, prizes with the committee's decision on a tie
at the last slot (Fengsheng), and the monthly-average basis (Bieshan), each published like a period."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.factories import RULES
from tests.refusals import refused
from webapp.core.periods import Period
from webapp.core.refusal import Refusal
from webapp.points.services.schemes import import_scheme
from webapp.publication.services import picks as publication_picks, publications

YEAR = Period.whole_year(2026)
NEW_YEAR = date(2027, 1, 4)


def test_closing_the_year_rates_stars_on_the_140_point_plan(make):
    """10 households: bands are ranks ≤1, ≤2, ≤3, from 140 up. 张 140 (every inspection met) gets 5 stars;
    李 and 王 tie at 120 (no ZF) on rank 2, in the 4-star band but under the 140 floor: no star; the
    others met both quarters they were inspected in of the four the village held: 20 + 20 + 40 = 80."""
    village = make.village()
    version = make.scheme(village, "star-140")
    admin = make.user("village_admin", village_id=village.id)
    names = ["张", "李", "王"] + [f"户{i}" for i in range(7)]
    homes = [make.household(village, name) for name in names]
    for index, hh in enumerate(homes):
        quarters = 4 if index < 3 else 2
        for q in range(1, quarters + 1):
            make.inspection(hh, version, f"2026-Q{q}", met=("HJ", "WM"))
        make.inspection(hh, version, "2026", met=("DJ", "MS", "ZF") if index == 0 else ("DJ", "MS"))
    publication = publications.close_period(admin, village, YEAR, NEW_YEAR)
    points = {row["name"]: (row["rank"], row["points"]) for row in publication.frozen["rows"]}
    assert points["张"] == (1, "140") and points["李"] == points["王"] == (2, "120") and points["户0"] == (4, "80")
    stars = {row["household_id"]: row["stars"] for row in publication.frozen["awards"]["stars"]}
    assert stars == {homes[0].id: 5}
    published = json.loads(publications.publish(admin, publication, NEW_YEAR, notice_days=3).snapshot)
    assert [(s["stars"], s["name"]) for s in published["stars"]] == [(5, "张")]
    assert published["notice"] == {"from": "2027-01-04", "to": "2027-01-06"}  # the plan's 3-day 公示


def test_households_tied_at_the_last_prize_slot_wait_for_the_committee(make):
    """15 resident households → 3 slots (1 / 1 / 1). 甲 1.5, 乙 1, 丙 and 丁 tie at 0.5 on rank 3:
    both listed, undecided; publishing waits until the committee decides; only 丙 is granted."""
    village = make.village()
    version = make.scheme(village)
    admin = make.user("village_admin", village_id=village.id)
    homes = {name: make.household(village, name) for name in ["甲", "乙", "丙", "丁"] + [f"户{i}" for i in range(11)]}
    for name, times in (("甲", 3), ("乙", 2), ("丙", 1), ("丁", 1)):
        for day in range(1, times + 1):
            make.entry(homes[name], version, "J2", date(2026, 5, day))
    publication = publications.close_period(admin, village, YEAR, NEW_YEAR)
    awards = publication.frozen["awards"]
    assert (awards["slots"], awards["tier_slots"]) == (3, [1, 1, 1])
    assert [(p["household_id"], p["tier"], p["undecided"]) for p in awards["prizes"]] == [
        (homes["甲"].id, 0, False), (homes["乙"].id, 1, False), (homes["丙"].id, 2, True), (homes["丁"].id, 2, True)]
    with pytest.raises(Refusal, match="tied"):
        publications.publish(admin, publication, NEW_YEAR)
    with refused("Only households tied at the last prize slot wait for the committee's decision."):  # 甲 is not tied
        publication_picks.decide_tied_prize(admin, publication, homes["甲"].id, False)
    publication_picks.decide_tied_prize(admin, publication, homes["丙"].id, True)
    publication_picks.decide_tied_prize(admin, publication, homes["丁"].id, False)
    snapshot = json.loads(publications.publish(admin, publication, NEW_YEAR).snapshot)
    assert [(p["tier"], p["value_yuan"], p["name"]) for p in snapshot["prizes"]] == [
        ("一等奖", "50", "甲"), ("二等奖", "30", "乙"), ("三等奖", "20", "丙")]


def test_the_bieshan_year_ranks_by_the_monthly_average(make):
    """Bieshan plus the village's own item XY1 (10 points): 老户 earns 10 each month of 2026 (sum 120,
    average 10); 新户, enrolled in July, earns 20 a month for 6 months (sum 120, average 20) and ranks first."""
    village = make.village()
    text = (RULES / "bieshan.yaml").read_text(encoding="utf-8").replace(
        "{code: XY, name: 兴业致富, items: []}",
        "{code: XY, name: 兴业致富, kind: bonus, items: [{code: XY1, points: 10, per: event, name: 发展产业}]}")
    version, _ = import_scheme(village, text, effective_from=date(2020, 1, 1))
    admin = make.user("village_admin", village_id=village.id)
    old = make.household(village, "老户")
    new = make.household(village, "新户", enrolled_on=date(2026, 7, 1))
    for month in range(1, 13):
        make.entry(old, version, "XY1", date(2026, month, 8))
        if month >= 7:
            make.entry(new, version, "XY1", date(2026, month, 8), quantity=2)
    publication = publications.close_period(admin, village, YEAR, NEW_YEAR)
    assert publication.frozen["basis"] == "monthly_average"
    assert [(r["name"], r["rank"], r["points"], r["cumulative"]) for r in publication.frozen["rows"]] == [
        ("新户", 1, "20", "120"), ("老户", 2, "10", "120")]
