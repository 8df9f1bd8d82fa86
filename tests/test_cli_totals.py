"""`jifen totals verify` recomputes every closed period from the entries its close counted and reports
any difference; `jifen totals store` writes the figures of closed periods that have none."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import delete, func, select, update

from tests.worlds.pages import zh
from webapp.cli import cli
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.models.figures import PeriodFigure
from webapp.publication.models import Publication
from webapp.publication.services import publications
from webapp.review.services.decisions import review_entry

MARCH, APRIL = Period.month(2026, 3), Period.month(2026, 4)


def totals(app, *args: str):
    """Run `jifen totals …` in the test's app (and its session, whose writes are committed first)."""
    db.session.commit()
    return CliRunner().invoke(cli, ["totals", *args], obj=ScriptInfo(create_app=lambda: app))


def checked(periods: int, figures: int, accounts: int) -> str:
    return zh("%(periods)s closed periods checked: %(figures)s differences; %(accounts)s account differences.",
              periods=periods, figures=figures, accounts=accounts)


def two_closed_months(make):
    """March and April closed; a J4 for March approved between the two closes (carried into April)."""
    village = make.village(code="YF", name="油房村")
    version = make.scheme(village)
    homes = [make.household(village, name, code=f"YF000{n}") for n, name in enumerate(("张三", "李四"), start=1)]
    for period in ("2026-03", "2026-04"):
        for home in homes:
            make.inspection(home, version, period, not_met=("B1",) if home is homes[1] else ())
    make.entry(homes[0], version, "J2", date(2026, 3, 12))
    admin = make.user("village_admin", "cunweihui", village_id=village.id)
    reviewer = make.user("reviewer", "pingyi", village_id=village.id)
    publications.close_period(admin, village, MARCH, date(2026, 4, 3))
    late = make.entry(homes[1], version, "J4", date(2026, 3, 20), status="recorded", recorded_by_id=admin.id)
    review_entry(reviewer, late.id, "approve")
    publications.close_period(admin, village, APRIL, date(2026, 5, 3))
    # Came in after April closed: counts in neither closed month, and is not a difference.
    later = make.entry(homes[0], version, "J4", date(2026, 4, 21), status="recorded", recorded_by_id=admin.id)
    review_entry(reviewer, later.id, "approve")
    return homes


def test_verify_passes_when_the_stored_figures_are_what_the_closes_counted(app, make):
    two_closed_months(make)
    result = totals(app, "verify")
    assert result.exit_code == 0, result.output
    assert checked(2, 0, 0) in result.output


def test_verify_reports_a_planted_difference_and_exits_1(app, make):
    homes = two_closed_months(make)
    db.session.execute(update(PeriodFigure).where(PeriodFigure.household_id == homes[1].id,
                                                  PeriodFigure.period == MARCH.key).values(total=60))
    result = totals(app, "verify")
    assert result.exit_code == 1
    assert "村 油房村 2026-03 户 YF0002: total stored 60 computed 59" in result.output
    assert checked(2, 1, 0) in result.output


def test_store_backfills_the_figures_of_closed_periods_that_have_none(app, make):
    two_closed_months(make)
    expected = sorted(db.session.execute(select(PeriodFigure.period, PeriodFigure.household_id,
                                                PeriodFigure.total, PeriodFigure.rank, PeriodFigure.counted)).all())
    db.session.execute(delete(PeriodFigure))
    result = totals(app, "store")
    assert result.exit_code == 0 and zh("Figures stored for %(count)s closed periods.", count=2) in result.output
    stored = sorted(db.session.execute(select(PeriodFigure.period, PeriodFigure.household_id,
                                              PeriodFigure.total, PeriodFigure.rank, PeriodFigure.counted)).all())
    assert stored == expected
    assert zh("Figures stored for %(count)s closed periods.", count=0) in totals(app, "store").output


def test_verify_passes_on_the_demo(app):
    """The demo closes its last months through close_period: every one is stored and verifies."""
    from webapp.demo.seed import seed_demo

    seed_demo(date.today())
    db.session.commit()
    closed = db.session.scalar(select(func.count(Publication.id)))
    assert closed and db.session.scalar(select(func.count(func.distinct(PeriodFigure.publication_id)))) == closed
    result = totals(app, "verify")
    assert result.exit_code == 0, result.output
    assert checked(closed, 0, 0) in result.output
