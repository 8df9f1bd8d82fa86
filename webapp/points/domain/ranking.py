"""Rankings: standard competition ranks (1, 2, 2, 4) and top-percent limits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Generic, TypeVar

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Ranked(Generic[K]):
    """A key with its score and its shared rank."""

    key: K
    score: Decimal
    rank: int


def rank(scores: Iterable[tuple[K, Decimal]]) -> list[Ranked[K]]:
    """Rank by score, highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4)."""
    # Sorting by key too makes the listing of tied households stable between runs.
    ordered = sorted(scores, key=lambda pair: (-pair[1], pair[0]))
    ranked: list[Ranked[K]] = []
    previous: Decimal | None = None
    current = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            current, previous = position, score
        ranked.append(Ranked(key, score, current))
    return ranked


def top_percent_rank_limit(percent: Decimal | int, count: int) -> int:
    """The worst rank still in the top percent of count households: ceil(percent × count / 100)."""
    # Decimal keeps 12.5% of 8 households exact; floats could round 1.0000001 up to 2.
    return int((Decimal(percent) * count / 100).to_integral_value(rounding=ROUND_CEILING))
