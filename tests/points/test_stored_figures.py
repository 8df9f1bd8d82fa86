"""Closed periods are stored, not recomputed: a close stores each household's figures; the ranking,
the household page and the earned ledger read them; the open month is computed; a late entry leaves
the closed figures alone and still counts in the household's earned points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.models.entry import Entry
from webapp.points.models.figures import PeriodFigure
from webapp.points.services import points as points_service
from webapp.points.services.points import household_month_totals, household_points, village_ranking
from webapp.points.services.village_year import VillageYear
from webapp.publication.services import publications
from webapp.review.services.decisions import review_entry

MARCH, APRIL = Period.month(2026, 3), Period.month(2026, 4)
CLOSE_DAY = date(2026, 4, 3)


@pytest.fixture
def yf(make):
    """Three households inspected in March and April; March: 张三 65 + J2 0.5, 李四 59 (B1 not met), 王五 65."""
    village = make.village(code="YF")
    version = make.scheme(village)
    homes = {name: make.household(village, name, code=code)
             for name, code in (("张三", "YF0001"), ("李四", "YF0002"), ("王五", "YF0003"))}
    for period in ("2026-03", "2026-04"):
        make.inspection(homes["张三"], version, period)
        make.inspection(homes["李四"], version, period, not_met=("B1",) if period == "2026-03" else ())
        make.inspection(homes["王五"], version, period)
    make.entry(homes["张三"], version, "J2", date(2026, 3, 12))
    admin = make.user("village_admin", "cunweihui", village_id=village.id)
    reviewer = make.user("reviewer", "pingyi", village_id=village.id)
    scorer = make.user("village_admin", "wangge", village_id=village.id)
    return {"village": village, "version": version, "homes": homes, "admin": admin, "reviewer": reviewer,
            "scorer": scorer}


def close_march(yf) -> None:
    publications.close_period(yf["admin"], yf["village"], MARCH, CLOSE_DAY)


def figure(household) -> PeriodFigure:
    return db.session.scalar(select(PeriodFigure).where(PeriodFigure.household_id == household.id,
                                                        PeriodFigure.period == MARCH.key))


def late_entry(yf, name: str = "李四") -> Entry:
    """An approved J4 (+1) for 20 March, recorded after March closed."""
    late = yf["make"].entry(yf["homes"][name], yf["version"], "J4", date(2026, 3, 20), status="recorded",
                            recorded_by_id=yf["scorer"].id)
    review_entry(yf["reviewer"], late.id, "approve")
    return late


@pytest.fixture
def world(yf, make):
    yf["make"] = make
    return yf


def test_closing_a_month_stores_each_households_figures(world):
    close_march(world)
    zhang = figure(world["homes"]["张三"])
    assert (zhang.total, zhang.base, zhang.bonus, zhang.deduction, zhang.rank) == (
        Decimal("65.5"), Decimal(65), Decimal("0.5"), Decimal(0), 1)
    assert (zhang.earned, zhang.points, zhang.cumulative, zhang.counted) == (
        Decimal("65.5"), Decimal("65.5"), Decimal("65.5"), 2)  # one inspection and one entry
    assert {"item": "J2", "count": 1, "points": "0.5"} in zhang.lines
    assert (figure(world["homes"]["李四"]).total, figure(world["homes"]["李四"]).rank) == (Decimal(59), 3)


def test_a_closed_months_ranking_is_read_from_the_store_not_recomputed(world, monkeypatch):
    close_march(world)
    db.session.execute(update(Entry).values(status="rejected"))  # behind the ranking's back
    monkeypatch.setattr(points_service, "computed_ranking", lambda *a: pytest.fail("a closed month was recomputed"))
    ranks, scores = village_ranking(world["village"].id, MARCH)
    assert scores[world["homes"]["张三"].id] == Decimal("65.5") and ranks[world["homes"]["张三"].id] == 1


def test_a_late_entry_leaves_the_closed_ranking_and_page_and_counts_in_the_earned_ledger(world):
    close_march(world)
    li = world["homes"]["李四"]
    late_entry(world)
    ranks, scores = village_ranking(world["village"].id, MARCH)
    assert (scores[li.id], ranks[li.id]) == (Decimal(59), 3)  # the published month stands
    page = household_points(li, MARCH, date(2026, 4, 10), [])
    assert (page.statement.total, page.rank) == (Decimal(59), 3)  # the lines add up to it
    assert "J4" not in {line.item_code for line in page.statement.event_lines}
    assert household_month_totals(li, date(2026, 4, 10))[(2026, 3)] == Decimal(60)  # nothing lost


def test_the_open_month_is_computed(world, make):
    close_march(world)
    make.entry(world["homes"]["王五"], world["version"], "J4", date(2026, 4, 9))
    ranks, scores = village_ranking(world["village"].id, APRIL)
    assert scores[world["homes"]["王五"].id] == Decimal(66) and ranks[world["homes"]["王五"].id] == 1


def test_the_ledger_reads_a_closed_month_while_nothing_came_in_late(world):
    """A planted stored figure shows that the ledger read it; a late entry makes it compute the year."""
    close_march(world)
    li = world["homes"]["李四"]
    db.session.execute(update(PeriodFigure).where(PeriodFigure.household_id == li.id).values(earned=Decimal(58)))
    assert household_month_totals(li, date(2026, 4, 10))[(2026, 3)] == Decimal(58)
    late_entry(world)
    assert household_month_totals(li, date(2026, 4, 10))[(2026, 3)] == Decimal(60)


def test_the_ledger_from_the_store_equals_the_ledger_computed_from_scratch(world, make):
    """Year-scoped items before and after the close (J6: once a year, credited in December, under the
    year's cap of 50) give the same earned months read from the store as computed from scratch."""
    zhang = world["homes"]["张三"]
    for day in (5, 6):
        make.entry(zhang, world["version"], "J6", date(2026, 3, day))
        make.entry(zhang, world["version"], "J4", date(2026, 3, day))
    close_march(world)
    make.entry(zhang, world["version"], "J6", date(2026, 4, 7))
    make.entry(zhang, world["version"], "J4", date(2026, 4, 8))
    for today in (date(2026, 4, 30), date(2027, 1, 5)):
        through = 12 if today.year > 2026 else today.month
        for home in world["homes"].values():
            data = VillageYear(world["village"].id, 2026, through, household_ids=[home.id])
            computed = {(2026, m.month): m.earned for m in data.months(home.id)}
            assert {k: v for k, v in household_month_totals(home, today).items() if k[0] == 2026} == computed
