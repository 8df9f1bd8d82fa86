"""The open period's ranking, computed once per change of the village's points.

(Placeholder: filled in by the ranking-cache work of issue 16.)
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from webapp.core.periods import Period

Ranking = tuple[dict[int, int], dict[int, Decimal]]


def cached_ranking(village_id: int, period: Period, compute: Callable[[], Ranking]) -> Ranking:
    """The ranking `compute` gives, from the cache while the village's points have not changed."""
    return compute()
