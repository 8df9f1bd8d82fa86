"""The town's evaluation reads a closed year's points as its close stored them (issue 16): the year is not
recomputed from its entries; an open year still is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from webapp.extensions import db
from webapp.points.models.figures import PeriodFigure
from webapp.publication.models import Publication
from webapp.town.services.evaluation import facts


def stored_year(village, household, total: str) -> None:
    publication = Publication(village_id=village.id, period="2025", kind="year", status="final", frozen={})
    db.session.add(publication)
    db.session.flush()
    value = Decimal(total)
    db.session.add(PeriodFigure(
        publication_id=publication.id, village_id=village.id, household_id=household.id, period="2025",
        kind="year", first_month=202501, last_month=202512, base=0, bonus=value, deduction=0, total=value,
        earned=value, points=value, cumulative=value, rank=1, counted=1, lines=[]))
    db.session.flush()


def test_a_closed_year_is_read_from_its_stored_figures_not_recomputed(app, make):
    village = make.village()
    version = make.scheme(village)
    household = make.household(village)
    make.entry(household, version, "J2", date(2025, 3, 2))
    computed = facts(village, 2025, [], with_stars=False).year_points
    stored_year(village, household, "77.5")  # not what the entries add up to: the stored figure wins
    assert computed != Decimal("77.5")
    assert facts(village, 2025, [], with_stars=False).year_points == Decimal("77.5")
    assert facts(village, 2026, [], with_stars=False).year_points == Decimal(0)  # open: computed, no entries
