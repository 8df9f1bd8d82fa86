"""What-if of a rules draft: the village's last closed periods replayed under the draft; nothing is written.

Periods: a scheme ranked by month replays its last 3 closed months (1-12 on request), any other its last closed
year (a closed year or its four quarters); while nothing is closed, the periods that ended last stand in.
"Old" is each household's score as the ranking computes it (VillageYear, the rules in force when). "New" applies
the draft to every month of each replayed year up to the last replayed month (so yearly limits, caps and year-end
credit see one set of rules): entries map to the draft's items by code (one whose code the draft lacks, or makes a
base item, counts 0 and is listed); inspections keep what they found per item code, and a base item the draft
adds was never checked, so it counts at its default. The engine runs once per household and year for each side,
on rows loaded once (no query per entry or household)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.periods import Period, YearMonth
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.geo import Village, VillageGroup
from webapp.people.models.household import Household, participating_in
from webapp.people.models.user import User
from webapp.people.services.villages import managed_villages
from webapp.points.domain import ledger
from webapp.points.domain.points import InspectionResult, Tally
from webapp.points.domain.ranking import rank
from webapp.points.domain.scheme import ZERO, ItemRule, SchemeRules
from webapp.points.domain.scheme_loader import scheme_fingerprint
from webapp.points.domain.statement import MonthStatement, statement_for
from webapp.points.models.drafts import SchemeDraft
from webapp.points.services.village_year import VillageYear
from webapp.points.services.schemes import rules_from_text, timeline

DEFAULT_MONTHS = 3
MOVERS = 10  # households listed as the biggest movers, up and down

# Which months a village has closed: publication knows, and fills this in at start-up (webapp/capabilities.py).
_closed_months: Callable[[int], set[YearMonth]] | None = None


def register_closed_months(source: Callable[[int], set[YearMonth]]) -> None:
    """Tell the what-if which (year, month)s a village has closed (publication's closed_months)."""
    global _closed_months
    _closed_months = source


@dataclass(frozen=True)
class HouseholdChange:
    household_id: int
    name: str
    group: str
    old_total: Decimal
    new_total: Decimal
    old_rank: int
    new_rank: int

    @property
    def difference(self) -> Decimal:
        return self.new_total - self.old_total


@dataclass(frozen=True)
class PeriodTotals:
    period: Period
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - self.old


@dataclass(frozen=True)
class ItemNote:
    """An item that only one side has, or whose points differ (old/new None: that side lacks it)."""

    code: str
    name: str
    kind: str
    old_points: Decimal | None
    new_points: Decimal | None
    default_met: bool = False


@dataclass
class LostItem:
    """Entries of an item the draft lacks: they count 0 under the draft."""

    code: str
    name: str
    entries: int = 0
    points: Decimal = ZERO  # what they were recorded as under the rules in force (before caps and limits)
    households: set[int] = field(default_factory=set)


@dataclass
class WhatIf:
    draft: SchemeDraft
    village: Village
    periods: list[Period]
    closed: bool  # False: nothing closed yet, the last ended periods stand in
    rows: list[HouseholdChange]  # biggest change first
    totals: list[PeriodTotals]
    only_in_force: list[ItemNote]
    only_in_draft: list[ItemNote]
    changed: list[ItemNote]
    lost: list[LostItem]

    @property
    def ups(self) -> list[HouseholdChange]:
        return sorted((r for r in self.rows if r.difference > 0), key=lambda r: (-r.difference, r.new_rank))[:MOVERS]

    @property
    def downs(self) -> list[HouseholdChange]:
        return sorted((r for r in self.rows if r.difference < 0), key=lambda r: (r.difference, r.new_rank))[:MOVERS]

    @property
    def old_total(self) -> Decimal:
        return sum((t.old for t in self.totals), ZERO)

    @property
    def new_total(self) -> Decimal:
        return sum((t.new for t in self.totals), ZERO)


def readable_draft(user: User, draft_id: int) -> SchemeDraft:
    """A draft of a village the user manages (its village admin, or its town's admin reading)."""
    draft = db.session.get(SchemeDraft, draft_id)
    if draft is None or draft.scheme.village_id not in {v.id for v in managed_villages(user, include_retired=True)}:
        raise NotFound(N_("No such rules draft."))
    return draft


def draft_what_if(user: User, draft_id: int, today: date, months: int = DEFAULT_MONTHS) -> WhatIf:
    """The draft replayed on the village's last closed periods (SchemeError if the draft does not load)."""
    draft = readable_draft(user, draft_id)
    rules = rules_from_text(scheme_fingerprint(draft.source_text), draft.source_text)  # parsed once per text
    village = draft.scheme.village
    line = timeline(village.id)
    if not line or line.current is None:
        raise Refusal(N_("The village has no rules in force to compare the draft with."))
    current = line.rules_for_month(today.year, today.month)
    periods, closed = replay_periods(village.id, _ranked_by_month(current), today, months)
    return replay(draft, village, rules, periods, closed)


def _ranked_by_month(rules: SchemeRules) -> bool:
    """Whether the village ranks by month (the publication's cadence: its policy, else monthly inspections)."""
    cadence = rules.policies.raw.get("ranking_cadence")
    if cadence in ("month", "quarter", "year"):
        return cadence == "month"
    return "month" in (set(rules.inspection_kinds) or {rules.inspection_period})


def replay_periods(village_id: int, by_month: bool, today: date, months: int) -> tuple[list[Period], bool]:
    """The periods to replay, oldest first, and whether they are closed ones."""
    closed = {ym for ym in (_closed_months(village_id) if _closed_months else set()) if date(*ym, 1) < today}
    if by_month:
        count = min(max(months, 1), 12)
        found = sorted(closed, reverse=True)[:count]
        if found:
            return [Period.month(y, m) for y, m in sorted(found)], True
        year, month = today.year, today.month
        ended = []
        for _ in range(count):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            ended.append(Period.month(year, month))
        return sorted(ended, key=lambda p: p.start), False
    years = sorted({y for y, _ in closed if all((y, m) in closed for m in range(1, 13))}, reverse=True)
    if years:
        return [Period.whole_year(years[0])], True
    return [Period.whole_year(today.year - 1)], False


class _DraftYear(VillageYear):
    """The same loaded year with the draft's rules in every month, and its entries mapped onto them."""

    def __init__(self, real: VillageYear, rules: SchemeRules, months: set[YearMonth], lost: dict[str, LostItem]):
        # The rows are loaded once (by `real`); only the rules and the items the tallies point at change.
        self.__dict__.update(real.__dict__)
        self.draft = rules
        self.tallies = {hh: _draft_tallies(hh, tallies, rules, months, lost) for hh, tallies in real.tallies.items()}
        fill = _default_fill(real, rules)
        self.inspections = {hh: [_filled(result, fill) for result in found] for hh, found in real.inspections.items()}

    def rules_for_month(self, year: int, month: int) -> SchemeRules:
        return self.draft


def _draft_tallies(household_id: int, tallies: Iterable[Tally], rules: SchemeRules, months: set[YearMonth],
                   lost: dict[str, LostItem]) -> list[Tally]:
    """The tallies on the draft's items by code; those the draft cannot score count 0 (listed if replayed)."""
    mapped = []
    for tally in tallies:
        item = rules.items.get(tally.item.code)
        if item is not None and item.kind != "base":
            mapped.append(tally._replace(item=item))
        elif (tally.year, tally.month) in months:
            gone = lost.setdefault(tally.item.code, LostItem(tally.item.code, tally.item.name))
            gone.entries += tally.count
            gone.points += tally.quantity * tally.item.points
            gone.households.add(household_id)
    return mapped


def _default_fill(real: VillageYear, rules: SchemeRules) -> Callable[[Period], dict[str, bool]]:
    """Per inspection period, the findings to spell out where the draft changes an item's default: an inspection
    stores only what differs from the default of the rules in force, so the old default is what was found."""
    cache: dict[Period, dict[str, bool]] = {}

    def fill(period: Period) -> dict[str, bool]:
        if period not in cache:
            old = real.rules_for_month(period.year, period.last_month).base_by_code.get(period.kind, {})
            new = rules.base_by_code.get(period.kind, {})
            cache[period] = {code: old[code].default_met for code, item in new.items()
                             if code in old and old[code].default_met != item.default_met}
        return cache[period]
    return fill


def _filled(result: InspectionResult, fill: Callable[[Period], dict[str, bool]]) -> InspectionResult:
    extra = fill(result.period)
    if not extra:
        return result
    return InspectionResult(result.period, {**extra, **result.met})


def replay(draft: SchemeDraft, village: Village, rules: SchemeRules, periods: list[Period], closed: bool) -> WhatIf:
    """Old and new scores of every household that took part in the periods, their ranks, and the item notes."""
    households = db.session.execute(
        select(Household.id, Household.head_name, VillageGroup.name.label("group_name"), Household.enrolled_on, Household.left_on)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(Household.village_id == village.id,
               participating_in(min(p.start for p in periods), max(p.end for p in periods)))
    ).all()
    months = {ym for p in periods for ym in p.months()}
    old: dict[int, Decimal] = {hh.id: ZERO for hh in households}
    new = dict(old)
    totals, lost, in_force = [], {}, {}
    for year in sorted({p.year for p in periods}):
        of_year = [p for p in periods if p.year == year]
        real = VillageYear(village.id, year, max(p.last_month for p in of_year))
        # Statements from the first replayed month only (earlier months still fold what they carry, as a
        # month's ranking does): set after loading, so the whole year's rows are there.
        real.only_month = min(p.first_month for p in of_year)
        draft_year = _DraftYear(real, rules, months, lost)
        for y, m in months:
            if y == year:
                in_force.update(real.rules_for_month(y, m).items)
        sums = {p: [ZERO, ZERO] for p in of_year}
        for hh in households:
            old_months, new_months = real.months(hh.id), draft_year.months(hh.id)
            for p in of_year:
                before = _score(p, old_months, real.rules_for_month(year, 12), hh)
                after = _score(p, new_months, rules, hh)
                old[hh.id] += before
                new[hh.id] += after
                sums[p][0] += before
                sums[p][1] += after
        totals += [PeriodTotals(p, *sums[p]) for p in of_year]
    old_ranks = {r.key: r.rank for r in rank(old.items())}
    new_ranks = {r.key: r.rank for r in rank(new.items())}
    rows = [HouseholdChange(hh.id, hh.head_name, hh.group_name or "", old[hh.id], new[hh.id], old_ranks[hh.id],
                            new_ranks[hh.id]) for hh in households]
    rows.sort(key=lambda r: (-abs(r.difference), r.new_rank, r.name, r.household_id))
    only_in_force, only_in_draft, changed = _item_notes(in_force, rules.items)
    order = {code: position for position, code in enumerate(in_force)}
    return WhatIf(draft, village, periods, closed, rows, totals, only_in_force, only_in_draft, changed,
                  sorted(lost.values(), key=lambda g: order.get(g.code, len(order))))


def _score(period: Period, months: list[MonthStatement], rules: SchemeRules, hh) -> Decimal:  # noqa: ANN001
    """A household's score of a period as the ranking takes it (a year: by the rules' annual basis)."""
    if period.kind == "month":  # the month's own statement, as the month's ranking takes it
        return next((m.total for m in months if m.month == period.index), ZERO)
    basis = rules.policies.annual_rank_basis
    if period.kind == "year" and basis == "monthly_average":
        # The earned points (an averaged base counts once over its base period), as period_results takes them.
        totals = {m.month: getattr(m, "earned", m.total) for m in months}
        enrolled = ledger.months_enrolled(period.year, hh.enrolled_on, hh.left_on, period.last_month)
        return ledger.annual_score(basis, totals, enrolled)
    return statement_for(period, months).total if months else ZERO


def _item_notes(old: dict[str, ItemRule], new: dict[str, ItemRule]) -> tuple[list[ItemNote], ...]:
    """Items only in the rules in force, only in the draft, and in both with other points or kind."""
    def note(code: str) -> ItemNote:
        before, after = old.get(code), new.get(code)
        item = after or before
        return ItemNote(code, item.name, item.kind, before.points if before else None,
                        after.points if after else None, item.default_met)
    only_old = [note(c) for c in old if c not in new]
    only_new = [note(c) for c in new if c not in old]
    changed = [note(c) for c in new if c in old and (old[c].points, old[c].kind) != (new[c].points, new[c].kind)]
    return only_old, only_new, changed
