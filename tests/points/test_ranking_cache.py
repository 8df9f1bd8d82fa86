"""The open month's ranking is computed once per change of the village's points, not once per page view."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.models.figures import VillagePointsVersion
from webapp.points.services import ranking_cache
from webapp.points.services.corrections import correction_entry
from webapp.points.services.points import village_ranking
from webapp.points.services.points_version import bump, village_version
from webapp.review.services.decisions import review_entry, review_inspection
from webapp.villagers.services.household_points import household_points

MARCH = Period.month(2026, 3)
TODAY = date(2026, 3, 20)


@pytest.fixture
def yf(make):
    """Two villages on the Fengsheng rules, with two households each and a reviewer for the first."""
    town = make.town()
    worlds = {}
    for code in ("YF", "DS"):
        village = make.village(town, code=code)
        version = make.scheme(village)
        homes = [make.household(village, name) for name in ("张三", "李四")]
        worlds[code] = {"village": village, "version": version, "homes": homes}
    worlds["reviewer"] = make.user("reviewer", "pingyi", village_id=worlds["YF"]["village"].id)
    db.session.commit()
    return worlds


def computations(village_id: int) -> int:
    """Rankings computed in this process so far, after asking for the village's March ranking once."""
    village_ranking(village_id, MARCH)
    return ranking_cache.computed


def test_two_household_page_views_compute_the_ranking_once(yf):
    home = yf["YF"]["homes"][0]
    before = ranking_cache.computed
    first = household_points(home, MARCH, TODAY)
    second = household_points(home, MARCH, TODAY)
    assert ranking_cache.computed - before == 1
    assert (first.rank, first.ranked_households) == (second.rank, second.ranked_households) == (1, 2)


def test_a_reviewed_entry_recomputes_the_ranking_and_a_recorded_one_does_not(yf, make):
    yf_village, home = yf["YF"]["village"], yf["YF"]["homes"][1]
    seen = computations(yf_village.id)
    entry = make.entry(home, yf["YF"]["version"], "J2", date(2026, 3, 5), quantity=2, status="recorded")
    assert computations(yf_village.id) == seen  # waiting for review: counts for nothing yet
    review_entry(yf["reviewer"], entry.id, "approve")
    assert computations(yf_village.id) == seen + 1
    ranks, scores = village_ranking(yf_village.id, MARCH)
    assert ranks[home.id] == 1 and scores[home.id] > scores[yf["YF"]["homes"][0].id]


def test_an_approved_inspection_and_a_correction_each_recompute_the_ranking(yf, make):
    village, home = yf["YF"]["village"], yf["YF"]["homes"][0]
    inspection = make.inspection(home, yf["YF"]["version"], "2026-03", status="recorded")
    seen = computations(village.id)
    review_inspection(yf["reviewer"], inspection.id, "approve")
    assert computations(village.id) == seen + 1
    before = village_ranking(village.id, MARCH)[1][home.id]
    correction_entry(yf["reviewer"].id, home, Decimal(2), "补录", item_code="J2", on=date(2026, 3, 6))
    assert computations(village.id) == seen + 2
    assert village_ranking(village.id, MARCH)[1][home.id] > before


def test_another_villages_change_does_not_recompute_the_ranking(yf, make):
    village = yf["YF"]["village"]
    seen = computations(village.id)
    make.entry(yf["DS"]["homes"][0], yf["DS"]["version"], "J2", date(2026, 3, 5))
    make.household(yf["DS"]["village"], "王五")
    assert computations(village.id) == seen


def test_a_household_joining_the_village_recomputes_the_ranking(yf, make):
    village = yf["YF"]["village"]
    seen = computations(village.id)
    newcomer = make.household(village, "王五")
    assert computations(village.id) == seen + 1
    assert newcomer.id in village_ranking(village.id, MARCH)[0]


def test_the_version_moves_in_the_writing_transaction_and_starts_anew_for_a_new_row(yf, make):
    """A counted entry moves the version by one; a village's first row starts at a random number
    (a village made again with the same id never meets its earlier self's cached ranking)."""
    village = yf["YF"]["village"]
    before = village_version(village.id)
    make.entry(yf["YF"]["homes"][0], yf["YF"]["version"], "J2", date(2026, 3, 5))
    assert village_version(village.id) == before + 1
    db.session.rollback()
    assert village_version(village.id) == before
    db.session.execute(VillagePointsVersion.__table__.delete())
    bump(db.session(), [village.id, village.id])
    assert db.session.scalar(select(VillagePointsVersion.version)) >= 1
