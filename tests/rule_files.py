"""Helpers for the rules-engine tests: the seed schemes and a short way to write tallies."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from webapp.points.domain.points import Tally
from webapp.points.domain.scheme import SchemeRules
from webapp.points.domain.scheme_loader import load_scheme

RULES = Path(__file__).resolve().parent / "data" / "rules"
YEAR = 2026


def scheme_text(name: str) -> str:
    """The text of a seed scheme file, as shipped."""
    return (RULES / f"{name}.yaml").read_text(encoding="utf-8")


def tally(rules: SchemeRules, code: str, month: int, quantity: int | str = 1,
          member: int | None = None, year: int = YEAR) -> Tally:
    """A tally of `quantity` entries of one item in one month (count = quantity, at least 1)."""
    amount = Decimal(str(quantity))
    return Tally(year, month, rules.items[code], member, amount, max(int(amount), 1))


@pytest.fixture(scope="session")
def fengsheng() -> SchemeRules:
    return load_scheme(scheme_text("fengsheng"))


@pytest.fixture(scope="session")
def star140() -> SchemeRules:
    return load_scheme(scheme_text("star-140"))
