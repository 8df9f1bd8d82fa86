"""Stored figures of closed periods: written by the close, read instead of recomputing.

(Placeholder: filled in by the stored-figures work of issue 16.)
"""

from __future__ import annotations

from decimal import Decimal

from webapp.core.periods import Period


def stored_ranking(village_id: int, period: Period) -> tuple[dict[int, int], dict[int, Decimal]] | None:
    """Ranks and scores of a closed period as its close stored them; None when the period is open."""
    return None
