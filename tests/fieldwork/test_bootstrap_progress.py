"""The worker's progress on the phone: the bootstrap says which households are already inspected."""

from __future__ import annotations

from tests.worlds.fieldwork import NOW, inspection
from webapp.extensions import db
from webapp.fieldwork.services.bootstrap import bootstrap
from webapp.fieldwork.services.ingest import ingest_batch


def inspected(world) -> dict[str, list[str]]:
    return {h["code"]: h["inspected"] for h in bootstrap(world["scorer"], now=NOW)["households"]}


def test_each_household_in_the_bootstrap_says_which_current_periods_it_was_inspected_for(world):
    """Before: nobody; after an inspection of YF0001 for this month (December) and one of YF0002 for
    November (still open until the deadline): each household lists its own, the other none."""
    assert inspected(world) == {"YF0001": [], "YF0002": []}
    before = bootstrap(world["scorer"], now=NOW)["version"]
    ingest_batch(world["scorer"], world["device"], {"protocol": 1, "items": [
        inspection(world, household="YF0001", period="2026-12", occurred_at="2026-12-02T09:00:00+08:00"),
        inspection(world, household="YF0002", period="2026-11", occurred_at="2026-12-01T09:00:00+08:00"),
    ]}, now=NOW)
    db.session.commit()
    assert inspected(world) == {"YF0001": ["2026-12"], "YF0002": ["2026-11"]}
    # The version follows: the phone picks up the progress with its next roster.
    assert bootstrap(world["scorer"], now=NOW)["version"] != before


def test_an_inspection_of_an_old_period_does_not_count_as_this_months(world):
    """An October inspection (long closed) is not progress for December."""
    from webapp.points.models.entry import Inspection

    hh = world["hh1"]
    db.session.add(Inspection(village_id=hh.village_id, household_id=hh.id, period="2026-10",
                              scheme_version_id=world["v2"].id, occurred_at=NOW.replace(tzinfo=None, month=10)))
    db.session.commit()
    assert inspected(world)["YF0001"] == []
