"""The dispatch's pure folding: deadlines, publication states, silent grids, problems and totals (no HTTP,
no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from webapp.town.domain import dispatch as d
from webapp.town.domain.trend import layout, shade


def test_the_deadline_is_the_rules_day_of_the_next_month_or_the_tenth():
    assert d.publish_deadline(2026, 3, 10) == date(2026, 4, 10)
    assert d.publish_deadline(2026, 12, None) == date(2027, 1, 10)
    assert d.publish_deadline(2026, 1, 31) == date(2026, 2, 28)  # clipped to the month


def test_results_are_on_time_late_missing_or_pending():
    deadline = date(2026, 4, 10)
    assert d.publication_state(date(2026, 4, 10), deadline, date(2026, 5, 1)) == d.ON_TIME
    assert d.publication_state(date(2026, 4, 11), deadline, date(2026, 5, 1)) == d.LATE
    assert d.publication_state(None, deadline, date(2026, 4, 11)) == d.MISSING
    assert d.publication_state(None, deadline, date(2026, 4, 10)) == d.PENDING


def test_a_grid_is_silent_after_fourteen_days_without_an_entry():
    as_of = date(2026, 3, 31)
    assert d.is_silent(date(2026, 3, 17), as_of)  # 14 days
    assert not d.is_silent(date(2026, 3, 18), as_of)  # 13 days
    assert d.is_silent(None, as_of)


def test_a_current_month_is_seen_from_today_and_a_past_one_from_its_last_day():
    assert d.seen_from(2026, 3, date(2026, 3, 12)) == date(2026, 3, 12)
    assert d.seen_from(2026, 3, date(2026, 6, 1)) == date(2026, 3, 31)


def _counts(vid: int, **kw) -> d.VillageCounts:
    return d.VillageCounts(village_id=vid, code=f"V{vid}", name=f"村{vid}", **kw)


def test_a_village_row_folds_statuses_and_marks_its_problems():
    counts = _counts(
        1, participating=10, inspected=7,
        entries_by_status={"approved": 3, "published": 1, "adjusted": 1, "final": 1, "recorded": 2, "rejected": 1},
        points_issued=Decimal("4.5"), objections_open=2, objections_past_window=1, publish_by_day=5,
        grids=(d.GridActivity(1, "一网格", ("甲",), date(2026, 3, 30)), d.GridActivity(2, "二网格", (), None)),
    )
    row = d.fold(counts, 2026, 3, date(2026, 4, 6))
    assert (row.entries, row.approved, row.waiting, row.rejected, row.not_inspected) == (9, 6, 2, 1, 3)
    assert row.deadline == date(2026, 4, 5) and row.publication == d.MISSING
    assert [(p.code, p.grid, p.days) for p in row.problems] == [
        (d.SILENT_GRID, "二网格", None), (d.NOTICE_OVERDUE, "", 1), (d.OBJECTIONS_UNANSWERED, "", None)]


def test_a_village_without_entries_is_marked_first():
    row = d.fold(_counts(2, participating=3), 2026, 3, date(2026, 3, 15))
    assert [p.code for p in row.problems] == [d.NO_ENTRIES]
    assert row.publication == d.PENDING


def test_totals_count_a_shared_store_once():
    rows = [d.fold(_counts(i, participating=i, stock_value=Decimal(100)), 2026, 3, date(2026, 3, 15))
            for i in (1, 2)]
    assert d.totals(rows, [Decimal(100)]).stock_value == Decimal(100)
    assert d.totals(rows).stock_value == Decimal(200)
    assert d.totals(rows).participating == 3


def test_the_trend_chart_fits_a_phone_and_shades_by_value():
    months = d.months_back(2026, 3, 12)
    assert months[0] == (2025, 4) and months[-1] == (2026, 3)
    chart = layout(months, [(1, "油房村"), (2, "王家村")], {(1, 2026, 3): Decimal(10), (2, 2026, 3): Decimal(5)})
    assert chart.width <= 360 and len(chart.cells) == 24 and len(chart.bars) == 12
    assert max(c.x + c.w for c in chart.cells) <= chart.width
    assert shade(Decimal(0), Decimal(10))[0] == shade(Decimal(1), Decimal(0))[0]  # empty
    assert shade(Decimal(10), Decimal(10)) == ("#1d4ed8", True)
