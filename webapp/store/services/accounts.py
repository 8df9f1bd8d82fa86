"""A household's running account at the store: earned and redeemed points within the balance policy's
window, and the balance (earned − redeemed) that a redemption checks and lowers in its own transaction.

The account is a cache of the ledger with a stamp saying what its `earned` was computed from: the
household's counted items and the village's rules (store/services/ledger.py earned_fingerprint), the
window ("all", "2026" or "2026-05", by the balance policy in force today), today's month (base points
accrue by month) and the household's enrolment. While the stamp holds, a redemption reads the balance
and lowers it with one conditional UPDATE; when it does not, the account is refreshed from the ledger
(earned from the month totals, redeemed from the receipts not reversed), as spendable_balance would
compute it. Only writers holding the household's lock write it (a redemption, a handover, a reversal):
a page that finds it stale computes the figure without storing it, so no refresh read outside the
lock can overwrite a redemption made meanwhile. `verify_accounts` recomputes every fresh row.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.points.models.scheme import Scheme, SchemeVersion
from webapp.points.services.schemes import version_rules
from webapp.store.models import HouseholdAccount, Redemption, RedemptionReturn
from webapp.store.services.earned import FINGERPRINT, Earned, earned_fingerprint, household_earned

ZERO = Decimal(0)
CENT = Decimal("0.01")
# SQLite keeps NUMERIC as binary floating point: 10.10 − 0.30 is 9.799999…, so balances are written as
# `earned − redeemed` computed by the database (the CHECK compares the same expression), and compared
# with half a hundredth of slack (points have two decimals; PostgreSQL's exact numeric is unaffected).
SLACK = Decimal("0.005")
POINTS_TYPE = HouseholdAccount.__table__.c.balance.type


@dataclass(frozen=True)
class Figures:
    """What an account holds, or should: its stamp and window, earned, redeemed and their difference."""

    stamp: str
    window: str
    earned: Decimal
    redeemed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.earned - self.redeemed


def balance_window(policy: str, today: date) -> str:
    """The window of the ledger a balance policy keeps: all time, this year, or this month."""
    if policy == "reset_yearly":
        return f"{today.year:04d}"
    if policy == "reset_monthly":
        return f"{today.year:04d}-{today.month:02d}"
    return "all"


def window_start(window: str) -> date | None:
    """The first day of a window (None: all time)."""
    if window == "all":
        return None
    return date(int(window[:4]), int(window[5:7]) if len(window) > 4 else 1, 1)


# A rules version's balance policy, by the version's fingerprint (its text's hash: never stale, and the
# same in every database), so the counter reads three small columns instead of the rules' text.
_policies: dict[str, str] = {}


def _policy(village_id: int, today: date) -> str:
    """The balance policy of the rules in force on the month's last day (as SchemeTimeline.rules_for_month)."""
    versions = db.session.execute(
        select(SchemeVersion.id, SchemeVersion.effective_from, SchemeVersion.fingerprint)
        .join(Scheme, Scheme.id == SchemeVersion.scheme_id).where(Scheme.village_id == village_id)
        .order_by(SchemeVersion.effective_from, SchemeVersion.imported_at, SchemeVersion.id)).all()
    if not versions:
        return "carry_over"
    last = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    in_force = [v for v in versions if v.effective_from <= last]
    chosen = in_force[-1] if in_force else versions[0]
    if chosen.fingerprint not in _policies:
        _policies[chosen.fingerprint] = version_rules(db.session.get(SchemeVersion, chosen.id)).policies.balance
    return _policies[chosen.fingerprint]


def account_stamp(household: Household, today: date, policy: str | None = None,
                  fingerprint: tuple[int | None, ...] | None = None) -> tuple[str, str]:
    """The stamp an account must carry to be current today, and its window (two cheap queries)."""
    window = balance_window(policy or _policy(household.village_id, today), today)
    fingerprint = fingerprint or earned_fingerprint(household.id, household.village_id)
    enrolment = [d.isoformat() if d else "-" for d in (household.enrolled_on, household.left_on)]
    parts = [",".join("-" if n is None else str(n) for n in fingerprint), window, f"{today:%Y-%m}", *enrolment]
    return "|".join(parts), window


def earned_in(window: str, earned: Earned, today: date) -> Decimal:
    """The earned points of the window's months, to today's month."""
    first = window_start(window)
    low = (first.year, first.month) if first else (1, 1)
    return sum((t for ym, t in earned.month_totals.items() if low <= ym <= (today.year, today.month)),
               ZERO).quantize(CENT)


def redeemed_in(household_id: int, window: str, today: date) -> Decimal:
    """The household's redemptions in the window to today, at any store, less those reversed."""
    query = (select(func.coalesce(func.sum(Redemption.total_points), 0))
             .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
             .where(Redemption.household_id == household_id, RedemptionReturn.id.is_(None),
                    Redemption.redeemed_on <= today))
    first = window_start(window)
    if first is not None:
        query = query.where(Redemption.redeemed_on >= first)
    return Decimal(db.session.scalar(query) or 0).quantize(CENT)


def figures(household: Household, today: date, earned: Earned | None = None) -> Figures:
    """The account's figures computed from the ledger (what a refresh stores)."""
    earned = earned or household_earned(household, today)
    stamp, window = account_stamp(household, today, earned.policy, earned.fingerprint)
    return Figures(stamp, window, earned_in(window, earned, today), redeemed_in(household.id, window, today))


def stored(household_id: int) -> HouseholdAccount | None:
    """The account row as the database has it now (not an earlier read of this session)."""
    return db.session.scalar(select(HouseholdAccount).where(HouseholdAccount.household_id == household_id)
                             .execution_options(populate_existing=True))


def _held(column):  # noqa: ANN001, ANN202
    return select(column).where(HouseholdAccount.household_id == bindparam("household")).scalar_subquery()


# The earned fingerprint and the account's stamp and balance, in one statement: the counter's hot path.
_PROBE = FINGERPRINT.add_columns(_held(HouseholdAccount.stamp), _held(HouseholdAccount.balance))
_FINGERPRINT_COLUMNS = len(FINGERPRINT.selected_columns)


def _probe(household: Household) -> tuple[tuple[int | None, ...], str | None, Decimal | None]:
    row = db.session.execute(_PROBE, {"household": household.id, "village": household.village_id}).one()
    return tuple(row[:_FINGERPRINT_COLUMNS]), row[-2], row[-1]


def current_balance(household: Household, today: date, earned: Earned | None = None) -> Decimal:
    """The spendable balance: the account's when it is current, else computed (not stored: a reader
    does not hold the household's lock)."""
    fingerprint, held_stamp, balance = _probe(household)
    if held_stamp is not None:
        stamp, _window = account_stamp(household, today, earned.policy if earned else None, fingerprint)
        if held_stamp == stamp:
            return Decimal(balance)
    return figures(household, today, earned).balance


def prepare(household: Household, today: date) -> Figures | None:
    """Before the lock: the figures a stale account will be refreshed to (None when it is current), so
    the slow part, the earned points, is not computed while the lock is held."""
    fingerprint, held_stamp, _balance = _probe(household)
    stamp, _window = account_stamp(household, today, fingerprint=fingerprint)
    return None if held_stamp == stamp else figures(household, today)


def account_balance(household: Household, today: date, prepared: Figures | None = None) -> Decimal:
    """The balance of the household's account, current today: refreshed and stored when its stamp
    differs. Call it holding the household's lock (store/services/scope.py lock_household)."""
    fingerprint, held_stamp, balance = _probe(household)
    stamp, window = account_stamp(household, today, fingerprint=fingerprint)
    if held_stamp == stamp:
        return Decimal(balance)
    if prepared is not None and prepared.stamp == stamp:  # earned before the lock; redeemed under it
        fresh = Figures(stamp, window, prepared.earned, redeemed_in(household.id, window, today))
    else:
        fresh = figures(household, today)
    _store(household, fresh)
    return fresh.balance


def account_for(household: Household, today: date, prepared: Figures | None = None) -> HouseholdAccount:
    """The household's account row, current today (see account_balance; the same lock is needed)."""
    account_balance(household, today, prepared)
    return stored(household.id)


def _store(household: Household, fresh: Figures) -> None:
    dialect = postgresql if db.session.connection().dialect.name == "postgresql" else sqlite
    table = HouseholdAccount.__table__
    earned, redeemed = bindparam("earned", fresh.earned, POINTS_TYPE), bindparam("redeemed", fresh.redeemed, POINTS_TYPE)
    values = {"village_id": household.village_id, "window": fresh.window, "earned": earned, "redeemed": redeemed,
              "balance": earned - redeemed, "stamp": fresh.stamp, "updated_at": utcnow()}
    statement = dialect.insert(table).values(household_id=household.id, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=[table.c.household_id], set_=values))


def spend(household_id: int, points: Decimal, balance: Decimal) -> None:
    """Lower the account by a redemption's points, in the redemption's transaction; only if the balance
    covers them (the lock is held, so it does: this is the last word, should anything bypass it)."""
    table = HouseholdAccount.__table__
    done = db.session.execute(
        update(table).where(table.c.household_id == household_id, table.c.balance >= points - SLACK)
        .values(redeemed=table.c.redeemed + points, balance=table.c.earned - (table.c.redeemed + points),
                updated_at=utcnow()))
    if done.rowcount != 1:
        raise Refusal(N_("Not enough points: the cart needs %(total)s, the balance is %(balance)s."),
                      total=points, balance=balance)


def give_back(household_id: int, points: Decimal, redeemed_on: date) -> None:
    """A reversed redemption's points return to the account, when its window holds the redemption (a
    redemption of an earlier window no longer counts against the balance; a stale account is
    refreshed from the receipts anyway)."""
    account = stored(household_id)
    first = window_start(account.window) if account is not None else None
    if account is None or (first is not None and redeemed_on < first):
        return
    table = HouseholdAccount.__table__
    db.session.execute(
        update(table).where(table.c.household_id == household_id)
        .values(redeemed=table.c.redeemed - points, balance=table.c.earned - (table.c.redeemed - points),
                updated_at=utcnow()))


def verify_accounts(today: date | None = None) -> list[str]:
    """Every account checked against the ledger: a current one's earned and redeemed recomputed from
    scratch; every one's balance = earned − redeemed and not negative. One line per difference."""
    today = today or date.today()
    problems = []
    for account in db.session.scalars(select(HouseholdAccount).order_by(HouseholdAccount.household_id)):
        household = db.session.get(Household, account.household_id)
        label = f"household {household.code} (#{household.id})"
        earned, redeemed, balance = (Decimal(v).quantize(CENT)
                                     for v in (account.earned, account.redeemed, account.balance))
        if balance != earned - redeemed:
            problems.append(f"{label}: balance {balance} ≠ earned {earned} − redeemed {redeemed}")
        if balance < 0:
            problems.append(f"{label}: negative balance {balance}")
        fresh = figures(household, today)
        if fresh.stamp != account.stamp:
            continue  # stale: refreshed from the ledger at its next use, nothing to compare
        if fresh.earned != earned:
            problems.append(f"{label}: earned {earned} stored, {fresh.earned} recomputed")
        if fresh.redeemed != redeemed:
            problems.append(f"{label}: redeemed {redeemed} stored, {fresh.redeemed} recomputed")
    return problems
