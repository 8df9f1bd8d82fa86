"""One village's counted entries and inspections of one year, loaded for the rules engine.

Loading is aggregated in SQL (one row per household × member × item × month) so that a village
of 1,500 households ranks in well under a tenth of a second.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import exists, func, select, type_coerce
from sqlalchemy.types import NullType

from webapp.core.periods import Period, keys_ending_in
from webapp.extensions import db
from webapp.points.domain.entry_states import COUNTED_STATUSES
from webapp.points.domain.points import InspectionResult, Tally, compute_year
from webapp.points.domain.scheme import ItemRule
from webapp.points.domain.statement import MonthStatement
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.points.services.figures_as_of import counted_by
from webapp.points.services.schemes import SchemeTimeline, timeline, version_rules


def _quantity(value: int | float | Decimal) -> Decimal:
    """A summed quantity as an exact Decimal: SQLite sums NUMERIC to int or float, PostgreSQL to Decimal."""
    if isinstance(value, float):
        # Quantities have two decimals, so rounding the float's sum restores the exact value.
        return Decimal(repr(round(value, 2)))
    return Decimal(value)


class VillageYear:
    """One village's counted entries and inspections of one year, shaped for the engine."""

    def __init__(self, village_id: int, year: int, through_month: int, household_ids: list[int] | None = None,
                 only_month: int | None = None, *, as_of_publication: int | None = None) -> None:
        self.village_id, self.year, self.through_month = village_id, year, through_month
        self.only_month = only_month
        # Only what that publication's close counted (`jifen totals verify`: figures_as_of.py).
        self._as_of = counted_by(village_id, as_of_publication) if as_of_publication is not None else None
        self.timeline: SchemeTimeline = timeline(village_id)
        self._items: dict[int, ItemRule] = {}
        self._rules: dict[tuple[int, int], object] = {}
        self.tallies: dict[int, list[Tally]] = defaultdict(list)
        self.inspections: dict[int, list[InspectionResult]] = defaultdict(list)
        # The inspection periods the village held (any household inspected): base_period.py.
        self.held: set[Period] = set()
        if self.timeline:
            self._load_items()
            self._load_tallies(household_ids, only_month)
            self._load_inspections(household_ids, only_month)

    def rules_for_month(self, year: int, month: int):  # noqa: ANN201 - SchemeRules
        key = (year, month)
        if key not in self._rules:  # asked once per household and month: remember the answer
            self._rules[key] = self.timeline.rules_for_month(year, month)
        return self._rules[key]

    def _load_items(self) -> None:
        versions = {v.id: v for v in self.timeline.versions}
        for item_id, version_id, code in db.session.execute(
            select(Item.id, Item.version_id, Item.code).where(Item.version_id.in_(versions))
        ):
            self._items[item_id] = version_rules(versions[version_id]).items[code]

    def _year_scoped_item_ids(self) -> set[int]:
        """Items whose earlier months matter to a later month: per-year items, year-end credit, yearly caps."""
        ids = set()
        for item_id, item in self._items.items():
            if item.per == "year" or item.credit == "year_end":
                ids.add(item_id)
        for version in self.timeline.versions:
            rules = version_rules(version)
            yearly = {code for cap in rules.caps if cap.per == "year" for code in cap.item_codes}
            ids |= {i for i, item in self._items.items() if item.code in yearly}
        return ids

    def _load_tallies(self, household_ids: list[int] | None, only_month: int | None) -> None:
        first = self.year * 100 + 1
        last = self.year * 100 + self.through_month
        if only_month is None:
            self._add_tallies(self._tally_query(first, last, household_ids))
            return
        # A month's ranking needs earlier months only for the items whose limits span the year:
        # two narrow index ranges instead of the whole year.
        month = self.year * 100 + only_month
        self._add_tallies(self._tally_query(month, last, household_ids))
        scoped = self._year_scoped_item_ids()
        if scoped and only_month > 1:
            self._add_tallies(self._tally_query(first, month - 1, household_ids).where(Entry.item_id.in_(scoped)))

    def _tally_query(self, first: int, last: int, household_ids: list[int] | None):  # noqa: ANN202
        """Counted entries of months first..last (YYYYMM), summed per household, member, item and month."""
        query = (
            select(Entry.household_id, Entry.member_id, Entry.item_id, Entry.occurred_month,
                   # Untyped: the Numeric result processor costs more than the whole query on SQLite.
                   type_coerce(func.sum(Entry.quantity), NullType()), func.count())
            .where(Entry.village_id == self.village_id, Entry.occurred_month.between(first, last),
                   Entry.status.in_(COUNTED_STATUSES))
            # Month first: the village index is in this order, so SQLite groups without sorting.
            .group_by(Entry.occurred_month, Entry.household_id, Entry.member_id, Entry.item_id)
        )
        if household_ids is not None:
            query = query.where(Entry.household_id.in_(household_ids))
        if self._as_of is not None:
            query = query.where(self._as_of.entries)
        return query

    def _add_tallies(self, query) -> None:  # noqa: ANN001
        items, tallies, year = self._items, self.tallies, self.year
        # SQLite sums whole quantities to ints: one shared Decimal for each (Decimals never change).
        whole: dict[int, Decimal] = {}
        make = tuple.__new__  # a Tally without its Python-level __new__: a village's month is ~15,000 of them
        # Core execution: plain rows, none of the ORM's per-row bookkeeping.
        for household_id, member_id, item_id, month, quantity, count in db.session.connection().execute(query).all():
            if quantity.__class__ is int:
                exact = whole.get(quantity)
                if exact is None:
                    exact = whole[quantity] = Decimal(quantity)
            else:
                exact = _quantity(quantity)
            tallies[household_id].append(make(Tally, (year, month % 100, items[item_id], member_id, exact, count)))

    def _load_inspections(self, household_ids: list[int] | None, only_month: int | None) -> None:
        months = [only_month] if only_month else range(1, self.through_month + 1)
        keys = keys_ending_in((self.year, m) for m in months)
        inspected = (
            select(Inspection.id, Inspection.household_id, Inspection.period, Inspection.revision)
            .where(Inspection.village_id == self.village_id, Inspection.period.in_(keys),
                   Inspection.status.in_(COUNTED_STATUSES))
        )
        if household_ids is not None:
            inspected = inspected.where(Inspection.household_id.in_(household_ids))
        # Which periods the village held: one index probe per period (EXISTS), not a DISTINCT over the
        # village's year of inspections, which a household's page would read whole every time.
        held_conditions = [Inspection.village_id == self.village_id, Inspection.status.in_(COUNTED_STATUSES)]
        if self._as_of is not None:
            inspected = inspected.where(self._as_of.inspections)
            held_conditions.append(self._as_of.inspections)
        keys = sorted(keys)
        if keys:
            probes = [exists().where(*held_conditions, Inspection.period == key) for key in keys]
            found_held = db.session.execute(select(*probes)).one()
            self.held = {Period.parse(key) for key, was in zip(keys, found_held, strict=True) if was}
        # A correction is a later revision of the same household and period: only the latest counts.
        latest: dict[tuple[int, str], tuple[int, int]] = {}
        for iid, hh, period, revision in db.session.connection().execute(inspected).all():
            if (hh, period) not in latest or revision > latest[(hh, period)][1]:
                latest[(hh, period)] = (iid, revision)
        found: dict[int, tuple[int, str, dict[str, bool]]] = {
            iid: (hh, period, {}) for (hh, period), (iid, _revision) in latest.items()
        }
        if not found:
            return
        # Only the items that differ from their default: the engine takes the default for the rest,
        # and most households meet most standards, so this reads a fraction of the rows.
        deviations = (
            select(InspectionItem.inspection_id, InspectionItem.item_id, InspectionItem.met)
            .join(Item, Item.id == InspectionItem.item_id)
            .where(InspectionItem.inspection_id.in_(inspected.with_only_columns(Inspection.id)),
                   InspectionItem.met != Item.default_met)
        )
        for inspection_id, item_id, met in db.session.connection().execute(deviations).all():
            if inspection_id in found:  # not a superseded revision
                found[inspection_id][2][self._items[item_id].code] = met
        periods = {key: Period.parse(key) for key in keys}
        for household_id, period, met in found.values():
            self.inspections[household_id].append(InspectionResult(periods[period], met))

    def months(self, household_id: int) -> list[MonthStatement]:
        """The engine's month statements of one household: through_month back to January,
        or only the loaded month when this was loaded for one month."""
        if not self.timeline:
            return []
        return compute_year(self.rules_for_month, self.tallies.get(household_id, []),
                            self.inspections.get(household_id, []), self.year, self.through_month,
                            from_month=self.only_month or 1, held=self.held)
