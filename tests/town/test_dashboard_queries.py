"""The town's pages cost a fixed number of SQL statements however many villages the town has: every figure is
one query grouped by village (issue 16). The home's "waiting for review" counts read only the waiting rows,
through the partial indexes of what waits, never a village's reviewed history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event

from webapp.extensions import db
from webapp.home.todo import waiting_by_village
from webapp.publication.models import Publication

PAGES = ("/home", "/town/dashboard?month=2026-03", "/town/dashboard?month=2026-03&measure=points_issued",
         "/town/dashboard?month=2026-03&measure=points_redeemed")


def add_villages(make, town, first: int, count: int) -> None:
    """Villages with rules, a grid and its worker, a store, entries (one waiting), an inspection waiting and a
    closed February: every figure of the cards and the dashboard has something to count."""
    for i in range(first, first + count):
        village = make.village(town, code=f"QV{i}", name=f"{i}村")
        version = make.scheme(village)
        grid = make.grid(village)
        make.user("scorer", username=f"qscorer{i}", grid_id=grid.id)
        household = make.household(village, grid=grid)
        make.entry(household, version, "J2", date(2026, 3, 1), status="recorded")
        make.entry(household, version, "J2", date(2026, 3, 2))
        make.inspection(household, version, "2026-03", status="recorded")
        make.store(town, [village])
        db.session.add(Publication(village_id=village.id, period="2026-02", kind="month", status="final",
                                   frozen={}, published_at=datetime(2026, 3, 8, 2)))
    db.session.commit()


def statements_of(client, url: str) -> int:
    counted: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        counted.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(counted)


def test_the_town_home_and_dashboard_cost_as_many_statements_for_6_villages_as_for_3(app, make, client, auth):
    town = make.town(code="QT")
    make.user("town_admin", username="qtown", town_id=town.id)
    add_villages(make, town, 0, 3)
    auth.login("qtown")
    for url in PAGES:  # warm: the rules' parse cache
        client.get(url)
    three = {url: statements_of(client, url) for url in PAGES}
    add_villages(make, town, 3, 3)
    six = {url: statements_of(client, url) for url in PAGES}
    assert six == three


def test_the_waiting_counts_read_the_waiting_rows_through_their_partial_indexes(app, make):
    """Asked to skip the table (PostgreSQL) or left to choose (SQLite), each planner reads the partial index:
    the query spells the index's predicate so that the planner can use it."""
    village = make.village()
    version = make.scheme(village)
    household = make.household(village)
    make.entry(household, version, "J2", date(2026, 3, 1), status="recorded")
    make.inspection(household, version, "2026-03", status="recorded")
    db.session.commit()
    seen: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, params, *_args) -> None:
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        assert waiting_by_village([village.id]) == {village.id: 2}
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    postgres = db.engine.dialect.name == "postgresql"
    plans = []
    with db.engine.connect() as conn:
        if postgres:
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, params in seen:
            if "GROUP BY" in statement:
                explain = ("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement
                plans.append(" ".join(str(row) for row in conn.exec_driver_sql(explain, params)))
        conn.rollback()
    assert len(plans) == 2
    assert "ix_entry_waiting" in plans[0] and "ix_inspection_waiting" in plans[1], plans


def test_the_trend_counts_each_months_households_taking_part_from_one_query(app, make):
    """Enrolled in March, left in May, not eligible: each month's count is participating_in's, month by month."""
    from sqlalchemy import func, select

    from webapp.core.periods import Period
    from webapp.people.models.household import Household, participating_in
    from webapp.town.services.dashboard import participating_by_month

    village, other = make.village(), make.village()
    make.household(village)
    make.household(village, enrolled_on=date(2026, 3, 10))
    make.household(village, left_on=date(2026, 5, 1), left_reason="迁出")
    make.household(village, eligible=False)
    make.household(other, enrolled_on=date(2026, 6, 1))
    months = [(2026, m) for m in range(1, 8)]
    ids = [village.id, other.id]
    expected = {}
    for year, month in months:
        period = Period.month(year, month)
        for vid, n in db.session.execute(select(Household.village_id, func.count()).where(
                Household.village_id.in_(ids), participating_in(period.start, period.end))
                .group_by(Household.village_id)):
            expected[(vid, year, month)] = n
    assert participating_by_month(ids, months) == expected
    assert expected[(village.id, 2026, 2)] == 2 and expected[(village.id, 2026, 4)] == 3
    assert expected[(village.id, 2026, 5)] == 2 and (other.id, 2026, 5) not in expected
