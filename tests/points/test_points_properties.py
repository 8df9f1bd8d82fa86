"""Properties of the engine that hold for any tallies: caps hold, order does not matter, sums add up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from tests.rule_files import YEAR, scheme_text
from webapp.core.periods import Period
from webapp.points.domain.points import InspectionResult, Tally, compute_year, statement_for
from webapp.points.domain.scheme_loader import load_scheme

FENGSHENG = load_scheme(scheme_text("fengsheng"))
EVENT_CODES = [code for code, item in FENGSHENG.items.items() if item.kind != "base"]
MONTH_CAP, YEAR_CAP = FENGSHENG.caps
# A deduction cap too, so the "bounds the magnitude" side is exercised.
CAPPED_DEDUCTIONS = load_scheme(
    scheme_text("fengsheng") + "  - {items: [K2, K3, K5], max: 3, per: month}\n"
)

tallies_strategy = st.lists(
    st.builds(
        lambda month, code, member, quantity: (month, code, member, quantity),
        st.integers(1, 12), st.sampled_from(EVENT_CODES), st.sampled_from([1, 2, None]),
        st.sampled_from([Decimal(n) for n in (0, 1, 2, 3, 7)] + [Decimal("0.5")]),
    ),
    max_size=40,
)
inspections_strategy = st.lists(
    st.builds(lambda month, b3: InspectionResult(Period.month(YEAR, month), {"B3": b3}),
              st.integers(1, 12), st.booleans()),
    max_size=12,
)


def build(rules, raw):
    return [Tally(YEAR, month, rules.items[code], member, quantity, 1) for month, code, member, quantity in raw]


def counted(statement, codes):
    return sum((ln.counted_points for ln in statement.event_lines if ln.item_code in codes), Decimal(0))


@settings(max_examples=150, deadline=None)
@given(tallies_strategy)
def test_a_capped_group_never_exceeds_its_cap(raw):
    """Items 1–5 never count more than 5 in a month; items 6–9 never more than 50 in a year."""
    months = compute_year(FENGSHENG, build(FENGSHENG, raw), [], YEAR)
    for month in months:
        assert counted(month, MONTH_CAP.item_codes) <= MONTH_CAP.max
    assert sum(counted(m, YEAR_CAP.item_codes) for m in months) <= YEAR_CAP.max


@settings(max_examples=100, deadline=None)
@given(tallies_strategy)
def test_a_deduction_cap_bounds_how_much_is_deducted(raw):
    """With K2, K3, K5 capped at 3 a month, they never take off more than 3 points in a month."""
    months = compute_year(CAPPED_DEDUCTIONS, build(CAPPED_DEDUCTIONS, raw), [], YEAR)
    for month in months:
        assert counted(month, {"K2", "K3", "K5"}) >= Decimal(-3)


@settings(max_examples=150, deadline=None)
@given(tallies_strategy, inspections_strategy, st.randoms(use_true_random=False))
def test_totals_do_not_depend_on_the_order_of_the_tallies(raw, inspections, shuffler):
    """Any permutation of the same tallies gives the same lines and totals every month."""
    tallies = build(FENGSHENG, raw)
    reference = compute_year(FENGSHENG, tallies, inspections, YEAR)
    shuffler.shuffle(tallies)
    shuffled = compute_year(FENGSHENG, tallies, inspections, YEAR)

    def seen(months):
        return [(m.total, m.member_subtotals,
                 [(ln.item_code, ln.member_id, ln.counted_points, ln.status) for ln in m.event_lines])
                for m in months]

    assert seen(shuffled) == seen(reference)


@settings(max_examples=100, deadline=None)
@given(tallies_strategy, inspections_strategy)
def test_month_totals_add_up_to_the_year(raw, inspections):
    """The year statement's total, its lines and its quarters all agree with the months."""
    months = compute_year(FENGSHENG, build(FENGSHENG, raw), inspections, YEAR)
    year = statement_for(Period.whole_year(YEAR), months)
    assert year.total == sum(m.total for m in months)
    assert year.total == year.base + year.bonus - year.deduction
    lines = year.base_lines + year.event_lines
    assert sum(ln.counted_points for ln in lines) == year.total
    quarters = [statement_for(Period.quarter(YEAR, q), months).total for q in range(1, 5)]
    assert sum(quarters) == year.total
    assert sum(year.member_subtotals.values()) == sum(
        ln.counted_points for ln in year.event_lines if ln.member_id is not None)
