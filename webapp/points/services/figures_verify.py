"""`jifen totals verify` and `jifen totals store`: recompute closed periods from the entries their
closes counted (figures_as_of.py), and compare with, or store, their figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.points.models.figures import PeriodFigure
from webapp.points.services.figures import figure_rows, store_figures
from webapp.points.services.figures_as_of import storing
from webapp.points.services.period_results import ResultRow, period_results
from webapp.points.services.schemes import timeline

# The stored columns verify compares, in the order a difference is told.
COMPARED = ("base", "bonus", "deduction", "total", "earned", "points", "cumulative", "rank", "counted", "lines")


@dataclass(frozen=True)
class Difference:
    """One stored figure that the entries the close counted do not give."""

    village: str
    period: str
    household: str
    field: str
    stored: str
    computed: str

    def __str__(self) -> str:
        return f"村 {self.village} {self.period} 户 {self.household}: {self.field} stored {self.stored} computed {self.computed}"


def _closing_basis(village_id: int, period: Period) -> str:
    """The basis the close ranked by (close_period: the year's annual basis, else the sum)."""
    line = timeline(village_id)
    if period.kind != "year" or not line:
        return "sum"
    return line.rules_for_month(period.year, period.last_month).policies.annual_rank_basis


def recompute(publication_id: int, village_id: int, period: Period) -> list[ResultRow]:
    """The period's results from only what the publication's close counted."""
    with storing(publication_id, period):
        return period_results(village_id, period, _closing_basis(village_id, period), as_of_publication=publication_id)


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def _values(figure: PeriodFigure) -> dict[str, Any]:
    values = {name: getattr(figure, name) for name in COMPARED}
    for name in COMPARED[:7]:
        values[name] = Decimal(values[name])
    values["lines"] = sorted((line["item"], line["count"], Decimal(line["points"])) for line in figure.lines or ())
    return values


def verify_figures(village_ids: Iterable[int] | None = None) -> tuple[int, list[Difference]]:
    """Recompute every stored period (of these villages) and return how many were checked and the
    differences: a field that differs, or a household stored but not computed or the other way."""
    query = select(PeriodFigure.publication_id, PeriodFigure.village_id, PeriodFigure.period).distinct()
    if village_ids is not None:
        query = query.where(PeriodFigure.village_id.in_(list(village_ids)))
    closed = sorted(db.session.execute(query).all())
    names = dict(db.session.execute(select(Village.id, Village.name)).all())
    differences: list[Difference] = []
    for publication_id, village_id, key in closed:
        period = Period.parse(key)
        codes = dict(db.session.execute(select(Household.id, Household.code)
                                        .where(Household.village_id == village_id)).all())
        stored = {f.household_id: _values(f) for f in db.session.scalars(
            select(PeriodFigure).where(PeriodFigure.publication_id == publication_id))}
        computed = {f.household_id: _values(f) for f in figure_rows(
            publication_id, village_id, period, recompute(publication_id, village_id, period), publication_id)}
        for hh in sorted(set(stored) | set(computed), key=lambda h: codes.get(h, "")):
            mine, theirs = stored.get(hh), computed.get(hh)
            for name in COMPARED if mine and theirs else ("household",):
                a = mine[name] if mine else "-"
                b = theirs[name] if theirs else "-"
                if name == "household":
                    a, b = ("stored" if mine else "-"), ("computed" if theirs else "-")
                if a != b:
                    differences.append(Difference(names.get(village_id, str(village_id)), key, codes.get(hh, str(hh)),
                                                  name, _shown(a), _shown(b)))
    return len(closed), differences


def store_missing(publications: Iterable[tuple[int, int, str]]) -> int:
    """Store the figures of closed publications (id, village, period key) that have none, oldest first,
    computed from what each close counted (as verify would). Returns how many periods were stored."""
    have = set(db.session.scalars(select(PeriodFigure.publication_id).distinct()))
    done = 0
    for publication_id, village_id, key in sorted(publications):
        if publication_id in have:
            continue
        period = Period.parse(key)
        rows = recompute(publication_id, village_id, period)
        with storing(publication_id, period):
            store_figures(publication_id, village_id, period, rows, as_of_publication=publication_id)
        done += 1
    return done
