"""Period statements: quarters and years as sums of their months, and base credited by period."""

from __future__ import annotations

from decimal import Decimal

from tests.rule_files import YEAR, tally
from webapp.core.periods import Period
from webapp.points.domain.points import InspectionResult, compute_year, statement_for

D = Decimal


def every_month_inspected(met=None):
    return [InspectionResult(Period.month(YEAR, m), met or {}) for m in range(1, 13)]


def test_a_quarter_is_the_sum_of_its_months(fengsheng):
    """Q1: Jan 65 + 1 (J3a), Feb 65 − 1 (K2), Mar 65 + 5 (capped bonuses) = 200."""
    months = compute_year(fengsheng, [
        tally(fengsheng, "J3a", 1), tally(fengsheng, "K2", 2, member=3),
        tally(fengsheng, "J1", 3, 8), tally(fengsheng, "J2", 3, 4),
    ], every_month_inspected(), YEAR, through_month=3)
    q1 = statement_for(Period.quarter(YEAR, 1), months)
    assert [m.total for m in q1.months] == [D(66), D(64), D(70)]
    assert (q1.base, q1.bonus, q1.deduction, q1.total) == (D(195), D(6), D(1), D(200))
    assert q1.member_subtotals == {3: D(-1)}


def test_lines_of_a_quarter_are_summed_per_item_and_status(fengsheng):
    """B3 met in Jan and Mar, not met in Feb: two B3 lines, met (2 × 6 = 12) and not met (once)."""
    inspections = [InspectionResult(Period.month(YEAR, m), {"B3": m != 2}) for m in (1, 2, 3)]
    q1 = statement_for(Period.quarter(YEAR, 1), compute_year(fengsheng, [], inspections, YEAR, 3))
    b3 = [(ln.status, ln.count, ln.counted_points) for ln in q1.base_lines if ln.item_code == "B3"]
    assert b3 == [("met", 2, D(12)), ("not_met", 1, D(0))]


def test_a_capped_item_over_a_quarter_shows_its_cut(fengsheng):
    """J2×12 in Jan (6 → 5) and J2×2 in Feb (1): one J2 line, raw 7, counted 6, partly capped."""
    months = compute_year(fengsheng, [tally(fengsheng, "J2", 1, 12), tally(fengsheng, "J2", 2, 2)], [], YEAR, 3)
    (j2,) = statement_for(Period.quarter(YEAR, 1), months).event_lines
    assert (j2.quantity, j2.raw_points, j2.counted_points, j2.status) == (D(14), D(7), D(6), "partly_capped")


def test_the_year_is_the_sum_of_its_months_and_drops_deferred_lines(fengsheng):
    """12 × 65 base + J6 credited 20 in December − K2 1 in May = 799; J6's March deferral is not repeated."""
    months = compute_year(fengsheng, [tally(fengsheng, "J6", 3), tally(fengsheng, "K2", 5, member=1)],
                          every_month_inspected(), YEAR)
    year = statement_for(Period.whole_year(YEAR), months)
    assert year.total == sum(m.total for m in months) == D(799)
    assert [(ln.item_code, ln.status) for ln in year.event_lines] == [("J6", "counted"), ("K2", "counted")]
    q1 = statement_for(Period.quarter(YEAR, 1), months)
    assert [(ln.item_code, ln.status, ln.counted_points) for ln in q1.event_lines] == [("J6", "deferred", D(0))]


def test_star_140_quarterly_base_is_credited_in_march(star140):
    """Q1 inspection: HJ 40 met, WM 40 not met → March base 40; January and February have no base lines."""
    months = compute_year(star140, [], [InspectionResult(Period.quarter(YEAR, 1), {"HJ": True})], YEAR, 3)
    assert [m.base for m in months] == [D(0), D(0), D(40)]
    assert months[0].base_lines == [] and months[1].base_lines == []
    assert [(ln.item_code, ln.status) for ln in months[2].base_lines] == [("HJ", "met"), ("WM", "not_met")]


def test_star_140_december_credits_the_fourth_quarter_and_the_year(star140):
    """December: Q4 HJ 40 + WM 40 and the year's DJ 20 + MS 20 + ZF 20, all met = 140."""
    met = {"HJ": True, "WM": True, "DJ": True, "MS": True, "ZF": True}
    months = compute_year(star140, [], [InspectionResult(Period.quarter(YEAR, 4), met),
                                        InspectionResult(Period.whole_year(YEAR), met)], YEAR)
    assert months[11].base == D(140)
    assert [ln.item_code for ln in months[11].base_lines] == ["HJ", "WM", "DJ", "MS", "ZF"]
    assert months[8].base == D(0)  # Q3 was not inspected: HJ and WM are not_inspected in September
    assert {ln.status for ln in months[8].base_lines} == {"not_inspected"}
