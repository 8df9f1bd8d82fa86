"""The engine on the Fengsheng scheme, with every expected number worked by hand."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from tests.rule_files import YEAR, scheme_text, tally
from webapp.core.periods import Period
from webapp.points.domain.points import InspectionResult, compute_year, format_points, statement_for
from webapp.points.domain.scheme_loader import load_scheme

D = Decimal


def march(rules, tallies, inspections=()):
    """The March statement of a household (January–March computed)."""
    return compute_year(rules, tallies, inspections, YEAR, through_month=3)[2]


def line(statement, code, member=None):
    (found,) = [ln for ln in statement.base_lines + statement.event_lines
                if ln.item_code == code and ln.member_id == member]
    return found


def test_bonus_items_1_to_5_are_capped_at_5_a_month_cutting_the_later_item(fengsheng):
    """J1×4 = 2, J2×4 = 2, J3a = 1, J4 = 1: raw 6; the cap of 5 is full after J3a, so J4 is cut."""
    statement = march(fengsheng, [
        tally(fengsheng, "J4", 3), tally(fengsheng, "J1", 3, 4),
        tally(fengsheng, "J3a", 3), tally(fengsheng, "J2", 3, 4),
    ])
    assert [ln.item_code for ln in statement.event_lines] == ["J1", "J2", "J3a", "J4"]
    j4 = line(statement, "J4")
    assert (j4.raw_points, j4.counted_points, j4.status) == (D(1), D(0), "capped")
    assert j4.capped_by is fengsheng.caps[0] and j4.note_params["max"] == "5"
    assert line(statement, "J1").counted_points == D(2)  # 4 × 0.5
    assert statement.bonus == D(5)  # 2 + 2 + 1 + 0


def test_a_cap_can_cut_a_line_in_part(fengsheng):
    """J1×6 = 3 and J2×6 = 3: J1 counts 3, J2 only the 2 left under the cap of 5."""
    statement = march(fengsheng, [tally(fengsheng, "J1", 3, 6), tally(fengsheng, "J2", 3, 6)])
    j2 = line(statement, "J2")
    assert (j2.raw_points, j2.counted_points, j2.status) == (D(3), D(2), "partly_capped")
    assert statement.bonus == D(5)


def test_a_per_month_item_recorded_twice_counts_once(fengsheng):
    """J3a (1 point, per month) recorded twice in March: raw 2, counted 1."""
    statement = march(fengsheng, [tally(fengsheng, "J3a", 3, 2)])
    j3a = line(statement, "J3a")
    assert (j3a.count, j3a.raw_points, j3a.counted_points, j3a.status) == (2, D(2), D(1), "once_per_month")
    assert statement.bonus == D(1)


def test_year_end_items_are_deferred_and_credited_in_december_within_50_a_year(fengsheng):
    """J6 20 (Mar) + J8 20 (May) + J9×2 40 (Jul) = 80 raw; in December J6 20, J8 20, J9 only 10 → 50."""
    months = compute_year(fengsheng, [
        tally(fengsheng, "J9", 7, 2), tally(fengsheng, "J6", 3), tally(fengsheng, "J8", 5),
    ], [], YEAR)
    j6_march = line(months[2], "J6")
    assert (j6_march.status, j6_march.raw_points, j6_march.counted_points) == ("deferred", D(20), D(0))
    assert months[2].bonus == D(0)
    december = months[11]
    assert [(ln.item_code, ln.counted_points, ln.status) for ln in december.event_lines] == [
        ("J6", D(20), "counted"), ("J8", D(20), "counted"), ("J9", D(10), "partly_capped"),
    ]
    assert line(december, "J9").raw_points == D(40)
    assert december.bonus == D(50)


def test_year_end_items_stay_deferred_before_december(fengsheng):
    """Computed only through November, J6 of March is still deferred and no month counts it."""
    months = compute_year(fengsheng, [tally(fengsheng, "J6", 3)], [], YEAR, through_month=11)
    assert len(months) == 11 and sum(m.bonus for m in months) == D(0)
    assert statement_for(Period.whole_year(YEAR), months).event_lines[0].status == "deferred"


def test_a_per_year_year_end_item_is_credited_once(fengsheng):
    """J7 (10, per year) recorded in March and June: December credits quantity 2 as 10 points."""
    months = compute_year(fengsheng, [tally(fengsheng, "J7", 3), tally(fengsheng, "J7", 6)], [], YEAR)
    j7 = line(months[11], "J7")
    assert (j7.quantity, j7.raw_points, j7.counted_points, j7.status) == (D(2), D(20), D(10), "once_per_year")


def test_a_per_year_item_counts_in_the_first_month_only_per_member():
    """With K5 made once a year: member 1 −1 in March, member 2 −1 in March, member 1 again in May counts 0."""
    once_a_year = load_scheme(scheme_text("fengsheng").replace(
        "{code: K5, points: -1, per: event", "{code: K5, points: -1, per: year"))
    months = compute_year(once_a_year, [
        tally(once_a_year, "K5", 5, member=1), tally(once_a_year, "K5", 3, member=2),
        tally(once_a_year, "K5", 3, member=1),
    ], [], YEAR, through_month=5)
    assert months[2].member_subtotals == {1: D(-1), 2: D(-1)}
    may = line(months[4], "K5", 1)
    assert (may.raw_points, may.counted_points, may.status) == (D(-1), D(0), "once_per_year")
    assert months[4].deduction == D(0)


def test_member_deductions_roll_up_into_the_household(fengsheng):
    """Member 7: K2 −1. Member 8: K5×2 −2 and K1 −5 = −7. Base 65 (defaults) − 8 = 57."""
    statement = march(fengsheng, [
        tally(fengsheng, "K2", 3, member=7), tally(fengsheng, "K5", 3, 2, member=8),
        tally(fengsheng, "K1", 3, member=8),
    ], [InspectionResult(Period.month(YEAR, 3), {})])
    assert statement.member_subtotals == {7: D(-1), 8: D(-7)}
    assert statement.deduction == D(8)
    # Defaults met: B 5×6 = 30, C1–C3 3×5 = 15, D 2×10 = 20 → 65; A, C4 and E start not met.
    assert statement.base == D(65)
    assert statement.total == D(57)
    assert [(ln.item_code, ln.member_id) for ln in statement.event_lines] == [("K1", 8), ("K2", 7), ("K5", 8)]


def test_base_inspection_with_b3_not_met(fengsheng):
    """B3 (6) not met, A items not met by default: 65 − 6 = 59; marking A1 (2) met gives 61."""
    statement = march(fengsheng, [], [InspectionResult(Period.month(YEAR, 3), {"B3": False})])
    assert statement.base == D(59)
    assert line(statement, "B3").status == "not_met" and line(statement, "A1").status == "not_met"
    assert line(statement, "B1").status == "met" and line(statement, "B1").counted_points == D(6)
    better = march(fengsheng, [], [InspectionResult(Period.month(YEAR, 3), {"B3": False, "A1": True})])
    assert better.base == D(61)


def test_a_month_without_inspection_earns_no_base(fengsheng):
    """No inspection in March: all 18 base lines are not_inspected and the base is 0."""
    statement = march(fengsheng, [], [InspectionResult(Period.month(YEAR, 2), {})])
    assert statement.base == D(0)
    assert {ln.status for ln in statement.base_lines} == {"not_inspected"}
    assert len(statement.base_lines) == 18


def test_a_freeze_line_changes_nothing(fengsheng):
    """K9 on member 8 shows as a 0-point freeze line; totals equal those without it."""
    inspected = [InspectionResult(Period.month(YEAR, 3), {})]
    without = march(fengsheng, [tally(fengsheng, "J3a", 3)], inspected)
    frozen = march(fengsheng, [tally(fengsheng, "J3a", 3), tally(fengsheng, "K9", 3, member=8)], inspected)
    k9 = line(frozen, "K9", 8)
    assert (k9.status, k9.counted_points) == ("freeze", D(0))
    assert (frozen.base, frozen.bonus, frozen.deduction, frozen.total) == (D(65), D(1), D(0), D(66))
    assert frozen.total == without.total


def test_the_order_of_tallies_does_not_matter(fengsheng):
    """Shuffled, the same tallies give the same lines and totals."""
    tallies = [tally(fengsheng, code, 3, 3) for code in ("J1", "J2", "J3a", "J4", "J5a", "K2")]
    reference = march(fengsheng, tallies)
    random.Random(7).shuffle(tallies)
    shuffled = march(fengsheng, tallies)
    # Bonuses 1.5 + 1.5 + 1 + 1 + 1 (J3a, J4, J5a once a month) = 6, capped at 5; K2 3 × −1; no base.
    assert shuffled.total == reference.total == D(2)
    assert [(ln.item_code, ln.counted_points) for ln in shuffled.event_lines] == \
        [(ln.item_code, ln.counted_points) for ln in reference.event_lines]


def test_entries_count_with_their_own_version_and_the_caps_in_force(fengsheng):
    """From July a new version caps items 1–5 at 3: eight J1 at the old 0.5 (raw 4) count 3 in July."""
    newer = load_scheme(scheme_text("fengsheng").replace("max: 5, per: month", "max: 3, per: month"))
    months = compute_year(lambda year, month: fengsheng if month < 7 else newer,
                          [tally(fengsheng, "J1", 6, 8), tally(fengsheng, "J1", 7, 8)], [], YEAR)
    assert (months[5].bonus, months[6].bonus) == (D(4), D(3))  # June 8 × 0.5 under the cap of 5
    assert line(months[6], "J1").capped_by is newer.caps[0]


def test_tallies_of_other_years_are_ignored(fengsheng):
    """A J3a of March 2025 does not count in 2026."""
    assert march(fengsheng, [tally(fengsheng, "J3a", 3, year=2025)]).bonus == D(0)


def test_base_items_cannot_be_tallied(fengsheng):
    """Base items are scored by inspections; a tally of one is a programming error."""
    with pytest.raises(ValueError):
        march(fengsheng, [tally(fengsheng, "B1", 3)])


@pytest.mark.parametrize("value, text", [
    (D("87.50"), "87.5"), (D("100"), "100"), (D("-1"), "-1"), (D("1E+2"), "100"), (D("-0.0"), "0"), (D("0.5"), "0.5"),
])
def test_points_render_without_trailing_zeros(value, text):
    """87.50 shows as 87.5, 100 as 100, −1 as -1."""
    assert format_points(value) == text
