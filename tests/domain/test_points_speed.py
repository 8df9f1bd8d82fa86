"""A guard against slow scoring: a village of 1,500 households is ranked in a fraction of a second."""

from __future__ import annotations

import random
import time
from decimal import Decimal

from tests.domain.conftest import YEAR
from webapp.domain.periods import Period
from webapp.domain.points import InspectionResult, Tally, compute_year, statement_for
from webapp.domain.ranking import rank


def test_ranking_1500_households_with_30_tallies_each_is_fast(fengsheng):
    """About 0.1 s on a laptop; the bound is 15 times that so a busy CI machine does not flake."""
    chooser = random.Random(2026)
    events = [item for item in fengsheng.items.values() if item.kind != "base"]
    village = []
    for _ in range(1500):
        tallies = [Tally(YEAR, 3, item, chooser.randint(1, 4) if item.scope == "member" else None,
                         Decimal(chooser.randint(1, 3)), 1) for item in chooser.choices(events, k=30)]
        village.append((tallies, [InspectionResult(Period.month(YEAR, 3), {"B3": chooser.random() < 0.8})]))
    march = Period.month(YEAR, 3)
    started = time.process_time()
    ranked = rank(
        (number, statement_for(march, compute_year(fengsheng, tallies, inspections, YEAR, 3)).total)
        for number, (tallies, inspections) in enumerate(village)
    )
    assert time.process_time() - started < 1.5
    assert len(ranked) == 1500 and ranked[0].rank == 1
