"""The engine builds a village's base rows once per set of findings and shares them between households
(points.py, _kind_rows): the shared rows must never leak one household's findings into another's."""

from __future__ import annotations

from decimal import Decimal

from tests.rule_files import YEAR, tally
from webapp.core.periods import Period
from webapp.points.domain.points import InspectionResult, compute_year


def march(rules, findings, tallies=()):
    return compute_year(rules, tallies, [InspectionResult(Period.month(YEAR, 3), findings)], YEAR, 3)[2]


def test_households_with_the_same_findings_share_their_base_rows(fengsheng):
    first, second = march(fengsheng, {"B3": False}), march(fengsheng, {"B3": False})
    assert first.base_rows is second.base_rows
    assert first.base == second.base == march(fengsheng, {}).base - Decimal(6)


def test_different_findings_give_each_household_its_own_rows(fengsheng):
    met = march(fengsheng, {})
    failed = march(fengsheng, {"B3": False, "B4": False})
    assert failed.base == met.base - Decimal(12)
    assert [ln.status for ln in failed.base_lines if ln.item_code in ("B3", "B4")] == ["not_met", "not_met"]
    assert [ln.status for ln in met.base_lines if ln.item_code in ("B3", "B4")] == ["met", "met"]
    # A household met by default again still finds its own findings, not the last one's.
    assert march(fengsheng, {}).base == met.base


def test_a_month_without_inspection_still_earns_no_base_after_others_were_inspected(fengsheng):
    march(fengsheng, {})
    skipped = compute_year(fengsheng, [tally(fengsheng, "J1", 3)], [], YEAR, 3)[2]
    assert skipped.base == 0
    assert {ln.status for ln in skipped.base_lines} == {"not_inspected"}
