"""Rankings: equal totals share a rank, and top-percent bands use the rank."""

from __future__ import annotations

from decimal import Decimal

import pytest

from webapp.points.domain.ranking import rank, top_percent_rank_limit

D = Decimal


def test_ties_share_a_rank_and_the_next_rank_skips():
    """90, 85, 85, 80 rank 1, 2, 2, 4; tied households are listed by key."""
    ranked = rank([("d", D(80)), ("c", D(85)), ("a", D(90)), ("b", D("85.0"))])
    assert [(r.key, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_ranking_nothing_gives_nothing():
    """No households, no ranks."""
    assert rank([]) == []


@pytest.mark.parametrize("percent, households, limit", [
    (10, 25, 3),      # 2.5 → 3
    (20, 10, 2),      # exactly 2
    (30, 7, 3),       # 2.1 → 3
    (10, 1500, 150),
    (D("12.5"), 8, 1),  # exactly 1, no float drift
])
def test_top_percent_is_rank_at_most_the_ceiling(percent, households, limit):
    """Top p% of N households means rank ≤ ⌈p·N/100⌉."""
    assert top_percent_rank_limit(percent, households) == limit


def test_ties_at_a_band_edge_all_get_the_better_band():
    """10 households, top 20% = rank ≤ 2: the three tied at rank 2 are all in."""
    scores = [(k, D(s)) for k, s in zip("abcdefghij", [99, 95, 95, 95, 90, 80, 70, 60, 50, 40])]
    limit = top_percent_rank_limit(20, 10)
    assert [r.key for r in rank(scores) if r.rank <= limit] == ["a", "b", "c", "d"]
