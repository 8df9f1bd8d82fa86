"""The base period (webapp/points/domain/base_period.py), hand-worked on the 140-point plan of seed 002
(第二篇): HJ 环境整治 and WM 文明新风 are 40 each for the year, assessed quarterly; DJ, MS and ZF are
20 each, assessed once a year; 140 in all ("总基础分值140分，每个自然年度汇总一次"). Fengsheng's
monthly base of 100 accrues month by month ("逐月累加") and does not change."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from tests.rule_files import YEAR, scheme_text, tally
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.domain.base_period import averaged_kinds, base_period
from webapp.points.domain.points import InspectionResult, compute_year, statement_for
from webapp.points.domain.scheme_loader import load_scheme
from webapp.points.services.schemes import import_scheme
from webapp.publication.services import publications

D = Decimal
ALL = {"HJ": True, "WM": True, "DJ": True, "MS": True, "ZF": True}
THE_YEAR = Period.whole_year(YEAR)
# The village's own bonus and deduction items under the plan ("基础分+加分项+减分项").
WITH_EVENTS = scheme_text("star-140") + (
    "  - {code: JX, name: 加分项, kind: bonus, items: [{code: JX1, points: 2, per: event, name: 好人好事}]}\n"
    "  - {code: KX, name: 扣分项, kind: deduction, items: [{code: KX1, points: -1, per: event, name: 乱堆乱放}]}\n"
)


def quarters(*met_in: int, inspected: tuple[int, ...] = (1, 2, 3, 4)) -> list[InspectionResult]:
    """Quarterly inspections of the quarters `inspected`: HJ and WM met in `met_in`, not met in the others."""
    return [InspectionResult(Period.quarter(YEAR, q), {"HJ": q in met_in, "WM": q in met_in}) for q in inspected]


def the_year(rules, inspections, tallies=(), held=None):
    months = compute_year(rules, list(tallies), inspections + [InspectionResult(THE_YEAR, ALL)], YEAR, held=held)
    return months, statement_for(THE_YEAR, months)


def base_of(statement) -> dict[str, tuple[str, int, Decimal]]:
    return {ln.item_code: (ln.status, ln.count, ln.counted_points) for ln in statement.base_lines}


def test_the_plan_is_worth_its_base_over_the_year_and_fengsheng_over_the_month(star140, fengsheng):
    """The base period is the longest inspection period of the base categories."""
    assert (base_period(star140), averaged_kinds(star140)) == ("year", frozenset({"quarter"}))
    assert (base_period(fengsheng), averaged_kinds(fengsheng)) == ("month", frozenset())


def test_a_household_that_meets_everything_has_140_for_the_year(star140):
    """4 quarters met: HJ (40+40+40+40)/4 = 40, WM 40; DJ 20 + MS 20 + ZF 20: 140, not 4 × 80 + 60 = 380."""
    months, year = the_year(star140, quarters(1, 2, 3, 4))
    assert (year.base, year.total) == (D(140), D(140))
    assert base_of(year) == {"HJ": ("averaged", 4, D(40)), "WM": ("averaged", 4, D(40)),
                             "DJ": ("met", 1, D(20)), "MS": ("met", 1, D(20)), "ZF": ("met", 1, D(20))}
    hj = year.base_lines[0]
    assert (hj.averaged_over, hj.note_params, hj.unit_points) == ("quarter", {"count": "4", "per": "quarter"}, D(40))
    # The earned ledger: the year to date is the average so far (80 after Q1, still 80 after Q2).
    assert [m.earned for m in months] == [0, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 60]
    assert sum(m.earned for m in months) == year.total


def test_bonuses_and_deductions_come_on_top_of_the_140(star140):
    """140 + JX1 twice (2 × 2) − KX1 once (1) = 143."""
    rules = load_scheme(WITH_EVENTS)
    _, year = the_year(rules, quarters(1, 2, 3, 4), [tally(rules, "JX1", 5, 2), tally(rules, "KX1", 9)])
    assert (year.base, year.bonus, year.deduction, year.total) == (D(140), D(4), D(1), D(143))


def test_each_quarter_keeps_its_own_result_on_the_40_point_scale(star140):
    """Q2's statement (and June's) show Q2's inspection: HJ 40 met, WM not met: 40."""
    inspections = [InspectionResult(Period.quarter(YEAR, 2), {"HJ": True, "WM": False})]
    months, _ = the_year(star140, inspections)
    q2 = statement_for(Period.quarter(YEAR, 2), months)
    assert base_of(q2) == {"HJ": ("met", 1, D(40)), "WM": ("not_met", 1, D(0))}
    assert q2.total == months[5].total == D(40)


def test_meeting_the_daily_aspects_in_two_quarters_of_four_gives_half_their_value(star140):
    """Inspected every quarter, met in Q1 and Q2 only: HJ (40+40+0+0)/4 = 20, WM 20, + 60 = 100 (was 220)."""
    months, year = the_year(star140, quarters(1, 2))
    assert base_of(year)["HJ"] == ("averaged", 4, D(20))
    assert year.total == D(100) == sum(m.earned for m in months)


def test_a_quarter_the_village_skipped_is_left_out_of_the_average(star140):
    """No inspection at all in Q3 (the village held three): met in the three held, HJ 120/3 = 40: 140."""
    _, year = the_year(star140, quarters(1, 2, 4, inspected=(1, 2, 4)))
    assert base_of(year)["HJ"] == ("averaged", 3, D(40)) and year.total == D(140)


def test_a_household_missed_in_a_quarter_the_village_held_has_0_for_it(star140):
    """The village inspected Q3, this household was not inspected: HJ (40+40+0+40)/4 = 30, WM 30: 120."""
    held = [Period.quarter(YEAR, q) for q in (1, 2, 3, 4)]
    months, year = the_year(star140, quarters(1, 2, 4, inspected=(1, 2, 4)), held=held)
    assert base_of(year)["HJ"] == ("averaged", 4, D(30))
    assert months[8].base_lines[0].status == "not_inspected"  # September itself says why
    assert year.total == D(120) == sum(m.earned for m in months)


def test_a_third_rounds_to_the_cent_and_the_earned_months_still_add_up(star140):
    """Three quarters held, met in two: HJ 80/3 = 26.67, WM 26.67, + 60 = 113.34."""
    months, year = the_year(star140, quarters(1, 2, inspected=(1, 2, 3)))
    assert base_of(year)["HJ"] == ("averaged", 3, D("26.67"))
    assert year.total == D("113.34") == sum(m.earned for m in months)
    assert sum(ln.counted_points for ln in year.base_lines) == year.base


def test_a_year_never_inspected_shows_its_quarters_not_inspected(star140):
    """No inspection anywhere: HJ and WM are not inspected (0), not an average of nothing."""
    months = compute_year(star140, [], [], YEAR)
    year = statement_for(THE_YEAR, months)
    assert {ln.status for ln in year.base_lines} == {"not_inspected"} and year.total == 0


STAR_140 = load_scheme(scheme_text("star-140"))
quarter_strategy = st.dictionaries(st.integers(1, 4), st.tuples(st.booleans(), st.booleans()), max_size=4)


@settings(max_examples=100, deadline=None)
@given(quarter_strategy, st.sets(st.integers(1, 4)), st.integers(1, 12))
def test_the_earned_months_always_add_up_to_the_year_so_far(inspected, also_held, through):
    """Any quarters inspected (HJ, WM met or not), any others held by the village, any month of the year:
    the earned months add up to the statement of the year so far, whose lines add up to its base."""
    inspections = [InspectionResult(Period.quarter(YEAR, q), {"HJ": hj, "WM": wm}) for q, (hj, wm) in inspected.items()]
    held = [Period.quarter(YEAR, q) for q in also_held]
    months = compute_year(STAR_140, [], inspections, YEAR, through, held=held)
    so_far = statement_for(THE_YEAR, months)
    assert sum(m.earned for m in months) == so_far.total
    assert sum(ln.counted_points for ln in so_far.base_lines) == so_far.base
    assert all(ln.counted_points <= 40 for ln in so_far.base_lines)


def test_fengsheng_keeps_accruing_its_monthly_base(fengsheng):
    """Every month inspected at defaults: 12 × 65 = 780 base, + J3a in May 1 = 781; no month is adjusted."""
    inspections = [InspectionResult(Period.month(YEAR, m), {}) for m in range(1, 13)]
    months = compute_year(fengsheng, [tally(fengsheng, "J3a", 5)], inspections, YEAR)
    year = statement_for(THE_YEAR, months)
    assert (year.base, year.total) == (D(780), D(781))
    assert all(m.earned == m.total for m in months) and not any(m.averaged for m in months)
    assert {ln.status for ln in year.base_lines} <= {"met", "not_met"}
    assert next(ln for ln in year.base_lines if ln.item_code == "B1").counted_points == D(72)  # 12 × 6


def test_the_star_floor_holds_on_the_140_point_plan(make):
    """10 households; 5 stars for rank ≤ 1, 4 for ≤ 2, 3 for ≤ 3, each only from 140 up. 张 meets everything:
    140, 5 stars. 李 met the daily aspects in Q1 and Q2 of four inspections: 20 + 20 + 60 = 100 (the old
    engine gave 220). 赵 was inspected (and met) only in Q1 and Q2 while the village held all four: 100
    too. Both rank 2, in the 4-star band but under the floor: no star. 王 meets the yearly items only: 60."""
    village = make.village()
    version = make.scheme(village, "star-140")
    admin = make.user("village_admin", village_id=village.id)
    zhang, li, zhao, wang = (make.household(village, name) for name in ("张", "李", "赵", "王"))
    for _ in range(6):
        make.household(village, "户")
    for q in range(1, 5):
        make.inspection(zhang, version, f"2026-Q{q}", met=("HJ", "WM"))
        make.inspection(li, version, f"2026-Q{q}", met=("HJ", "WM") if q <= 2 else ())
        if q <= 2:
            make.inspection(zhao, version, f"2026-Q{q}", met=("HJ", "WM"))
    for hh in (zhang, li, zhao, wang):
        make.inspection(hh, version, "2026", met=("DJ", "MS", "ZF"))
    publication = publications.close_period(admin, village, THE_YEAR, date(2027, 1, 4))
    rows = {row["name"]: (row["rank"], row["points"]) for row in publication.frozen["rows"]}
    assert [rows[name] for name in ("张", "李", "赵", "王")] == [(1, "140"), (2, "100"), (2, "100"), (4, "60")]
    stars = {row["household_id"]: row["stars"] for row in publication.frozen["awards"]["stars"]}
    assert stars == {zhang.id: 5}


@pytest.fixture
def village_140(make):
    village = make.village()
    version, _ = import_scheme(village, scheme_text("star-140"), effective_from=date(2020, 1, 1))
    home = make.household(village, "张", code="S0001")
    for q in range(1, 5):
        make.inspection(home, version, f"2026-Q{q}", met=("HJ", "WM"))
    make.inspection(home, version, "2026", met=("DJ", "MS", "ZF"))
    make.user("village_admin", username="a", village_id=village.id)
    db.session.commit()
    return village


def test_the_household_page_says_the_year_is_the_average_of_4_quarterly_assessments(village_140, auth, client):
    """The year's HJ line reads 4 次季度评分平均, 40 of 40; earned this year is 140, not 380."""
    auth.login("a")
    page = client.get("/households/S0001?period=2026").get_data(as_text=True)
    assert "4 次季度评分平均" in page
    data = client.get("/api/v1/households/S0001/points?period=2026").get_json()
    assert data["totals"]["total"] == "140" and data["earned_year"] == "140"
    assert json.dumps(data).count('"averaged"') == 2  # HJ and WM
