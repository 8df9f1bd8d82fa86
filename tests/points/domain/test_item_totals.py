"""A period statement's per-item totals, summed from its rows, are what its lines add up to (a close
stores them for every household without building the lines)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from tests.rule_files import YEAR
from webapp.core.periods import Period, period_ending_in
from webapp.points.domain.points import InspectionResult, Tally, compute_year, statement_for


def lines_summed(statement):
    summed: dict[str, list] = {}
    for line in (*statement.base_lines, *statement.event_lines):
        into = summed.setdefault(line.item_code, [0, Decimal(0)])
        into[0] += line.count
        into[1] += line.counted_points
    return {code: tuple(value) for code, value in summed.items()}


@pytest.mark.parametrize("scheme", ["fengsheng", "star140"])
def test_item_totals_are_what_the_lines_add_up_to_in_the_lines_order(scheme, request):
    rules = request.getfixturevalue(scheme)
    rng = random.Random(7)
    events = [code for code, item in rules.items.items() if item.kind != "base"]
    bases = [code for code, item in rules.items.items() if item.kind == "base"]
    for _ in range(60):
        tallies = [Tally(YEAR, rng.randint(1, 12), rules.items[rng.choice(events)], rng.choice([None, 1, 2]),
                         Decimal(rng.randint(1, 3)), 1) for _ in range(rng.randint(0, 40) if events else 0)]
        found = [InspectionResult(period, {code: rng.random() < 0.6 for code in bases if rng.random() < 0.4})
                 for kind in ("month", "quarter", "year") for month in range(1, 13)
                 if (period := period_ending_in(kind, YEAR, month)) and rng.random() < 0.7]
        months = compute_year(rules, tallies, found, YEAR)
        for period in (Period.whole_year(YEAR), Period.month(YEAR, rng.randint(1, 12)),
                       Period.parse(f"{YEAR}-Q{rng.randint(1, 4)}")):
            statement = statement_for(period, months)
            expected = lines_summed(statement)
            totals = statement.item_totals()
            assert list(totals) == list(expected)
            assert totals == expected
