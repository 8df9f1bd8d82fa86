"""Redeeming points at the counter (兑换), receipts, and reversing a redemption (退货).

A redemption checks the balance and the stock and writes in one transaction that
holds the store's lock (store_scope.begin_store_transaction), so two clerks can
never spend the same points or the same stock. Every request carries the client
key made when the cart opened: a retried request returns the first receipt.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import can_view_household
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.households import household_ref, visible_households
from webapp.points.services.points import active_freeze
from webapp.store import domain as rules
from webapp.store.models import Redemption, RedemptionLine, RedemptionReturn, StockMovement, Store
from webapp.store.services.accounts import Figures, account_balance, give_back, prepare, spend
from webapp.store.services.cards import household_by_card
from webapp.store.services.holds import for_sale, held
from webapp.store.services.ledger import Ledger, household_ledger
from webapp.store.services.scope import (
    begin_store_transaction,
    lock_household,
    refusals_as_service_errors,
    store_for,
)
from webapp.store.services.stock import REDEMPTION, RETURN, StockLine, shelf, stock_list


@dataclass
class CounterView:
    """What the clerk sees after a scan: who, how many points, any freeze, and what is on the shelf."""

    store: Store
    household: Household
    ledger: Ledger
    stock: list[StockLine]


@dataclass
class Receipt:
    redemption: Redemption
    repeated: bool  # True when a retried request found the redemption it had already made


def find_household(store: Store, card: str | None = None, code: str | None = None) -> Household:
    """The household a card (or, as a last resort, a typed code) names, if this store serves its village."""
    if card:
        with refusals_as_service_errors():
            household = household_by_card(card)
    else:
        code = (code or "").strip()
        # Typed on a phone keyboard: yf0001 finds YF0001.
        household = db.session.scalar(
            select(Household).where(Household.code.in_({code, code.upper()})).order_by(Household.code != code)
        ) if code else None
        if household is None:  # said at the counter: a typing slip, not a page that does not exist
            raise Refusal(N_("No household with code %(code)s."), code=code)
    if household.village_id not in {village.id for village in store.villages}:
        raise Refusal(N_("This store does not serve the household's village."))
    return household


SEARCH_LIMIT = 20


def search_households(store: Store, q: str) -> list[Household]:
    """Households of the store's villages whose head's name or code contains q, or whose pinyin initials
    start with it ("zsf" finds 张三丰): for a villager without the card. Never another village's."""
    q = q.strip()
    if not q:
        return []
    village_ids = [village.id for village in store.villages]
    return list(db.session.scalars(
        select(Household).where(Household.village_id.in_(village_ids), or_(
            Household.code.ilike(f"%{q}%"), Household.head_name.like(f"%{q}%"),
            Household.head_initials.like(f"{q.lower()}%")))
        .order_by(Household.head_initials, Household.code).limit(SEARCH_LIMIT)))


def counter_view(user: User, store_id: int | None, today: date, card: str | None = None,
                 code: str | None = None) -> CounterView:
    """The household and the shelf, for the clerk (read only)."""
    store = store_for(user, store_id, "counter")
    household = find_household(store, card, code)
    return CounterView(store, household, household_ledger(household, today), for_sale_list(store.id, today))


def for_sale_list(store_id: int, today: date) -> list[StockLine]:
    """The store's products on sale, each with the stock not held for reservations."""
    kept = held(store_id, today)
    return [StockLine(line.product, max(line.on_hand - kept.get(line.product.id, 0), 0))
            for line in stock_list(store_id, active_only=True)]


@dataclass(frozen=True)
class _At:
    """Who redeems for whom where, found before the lock (plain values: they outlive the read transaction)."""

    clerk_id: int
    store_id: int
    store_code: str
    household_id: int
    village_id: int


def redeem(user: User, store_id: int, lines: Iterable[rules.CartLine], client_key: uuid.UUID, today: date,
           card: str | None = None, code: str | None = None) -> Receipt:
    """Check the freeze, the stock and the balance and write the redemption, under the store's lock.

    The balance is the household's running account (store/services/accounts.py), checked and lowered
    under the lock with the redemption's own write. When the account is stale (a new counted item, a
    new month), the slow part, its earned points (the rules engine), is computed first, without the
    lock: no redemption changes it. Under the lock the account's stamp confirms that nothing it depends
    on changed meanwhile (else it is computed again there), and the refreshed account is stored. So the
    check and the write are one transaction, and the lock is held for milliseconds. Call it as the request's only write (it begins its own transaction; the caller
    commits). Raises Refusal, with nothing written, when anything is refused."""
    lines = list(lines)
    store = store_for(user, store_id, "counter")
    household = find_household(store, card, code)
    at = _At(user.id, store.id, store.code, household.id, household.village_id)
    prepared = prepare(household, today)
    begin_store_transaction(store.id)
    return _redeem_under_lock(at, lines, client_key, today, prepared)


def redeem_locked(user: User, store_id: int, lines: Iterable[rules.CartLine], client_key: uuid.UUID,
                  today: date, card: str | None = None, code: str | None = None) -> Receipt:
    """The same, for a caller that already holds the store's lock (the demo seed, a single writer)."""
    store = store_for(user, store_id, "counter")
    household = find_household(store, card, code)
    at = _At(user.id, store.id, store.code, household.id, household.village_id)
    return _redeem_under_lock(at, list(lines), client_key, today, None)


def _redeem_under_lock(at: _At, lines: list[rules.CartLine], client_key: uuid.UUID, today: date,
                       prepared: Figures | None, reservation_id: int | None = None) -> Receipt:
    lock_household(at.household_id)
    earlier = db.session.scalar(select(Redemption).where(Redemption.client_key == client_key))
    if earlier is not None:  # a retried request: the first answer, nothing written
        if earlier.household_id != at.household_id or earlier.store_id != at.store_id:
            raise Refusal(N_("This cart was already used for another household. Open a new cart."))
        return Receipt(earlier, repeated=True)
    balance = account_balance(db.session.get(Household, at.household_id), today, prepared)
    frozen = active_freeze(at.household_id, today)
    freeze = rules.Freeze(frozen.starts_on, frozen.ends_on, frozen.reason) if frozen else None
    with refusals_as_service_errors():
        # The stock held for reservations is not for sale (but a reservation handed over takes its own).
        items = for_sale(shelf(at.store_id, {line.product_id for line in lines}), at.store_id, today, reservation_id)
        checkout = rules.check_cart(lines, items, balance, freeze)
    redemption = Redemption(
        client_key=client_key, receipt_no=rules.receipt_number(at.store_code, today, _next_sequence(at.store_id, today)),
        store_id=at.store_id, household_id=at.household_id, village_id=at.village_id, redeemed_on=today,
        total_points=checkout.total, clerk_id=at.clerk_id,
    )
    db.session.add(redemption)
    db.session.flush()
    spend(at.household_id, checkout.total, balance)
    for line in checkout.lines:
        db.session.add(RedemptionLine(redemption_id=redemption.id, product_id=line.product_id,
                                      quantity=line.quantity, unit_points=line.unit_points, points=line.points))
        db.session.add(StockMovement(store_id=at.store_id, product_id=line.product_id, kind=REDEMPTION,
                                     quantity=-line.quantity, redemption_id=redemption.id, created_by_id=at.clerk_id))
    record(at.clerk_id, "store.redeem", "redemption", redemption.id, village_id=at.village_id,
           receipt_no=redemption.receipt_no, points=str(checkout.total))
    db.session.flush()
    return Receipt(redemption, repeated=False)


def _next_sequence(store_id: int, day: date) -> int:
    """The day's running number at this store (safe: the store's lock is held)."""
    count = db.session.scalar(select(func.count(Redemption.id)).where(
        Redemption.store_id == store_id, Redemption.redeemed_on == day))
    return (count or 0) + 1


def receipt(user: User, receipt_no: str) -> Redemption:
    """A receipt, for the clerks of its store and whoever may see the household."""
    redemption = db.session.scalar(
        select(Redemption).where(Redemption.receipt_no == receipt_no)
        .options(selectinload(Redemption.lines).selectinload(RedemptionLine.product))
    )
    if redemption is None or not _may_see(user, redemption):
        raise NotFound(N_("No such receipt."))
    return redemption


def _may_see(user: User, redemption: Redemption) -> bool:
    grants = user.domain_grants()
    return rules.can_serve_counter(grants, redemption.store_id) or can_view_household(
        grants, household_ref(redemption.household))


def reverse(user: User, receipt_no: str, reason: str, today: date) -> RedemptionReturn:
    """Reverse a whole redemption with a reason: its points and stock come back through new rows."""
    redemption = receipt(user, receipt_no)
    hh = redemption.household
    if not rules.can_reverse_redemption(user.domain_grants(), hh.village_id, hh.village.town_id):
        raise NotFound(N_("No such receipt."))
    if not reason.strip():
        raise Refusal(N_("Give a reason for the return."))
    # Stock comes back: under the store's lock, like every stock write, and checked again there
    # (two admins reversing one receipt at once: the second one waits, then is told it is done).
    begin_store_transaction(redemption.store_id)
    lock_household(hh.id)  # the points come back to the account, which a redemption elsewhere may be lowering
    redemption = receipt(user, receipt_no)
    hh = redemption.household
    if redemption.reversal is not None:
        raise Refusal(N_("This redemption was already reversed."))
    reversal = RedemptionReturn(redemption_id=redemption.id, reason=reason.strip()[:200], returned_on=today,
                                points=redemption.total_points, returned_by_id=user.id)
    try:
        with db.session.begin_nested():  # the unique key, should anything bypass the lock
            db.session.add(reversal)
            db.session.flush()
    except IntegrityError:
        raise Refusal(N_("This redemption was already reversed.")) from None
    for line in redemption.lines:
        db.session.add(StockMovement(store_id=redemption.store_id, product_id=line.product_id, kind=RETURN,
                                     quantity=line.quantity, redemption_id=redemption.id, reason=reversal.reason,
                                     created_by_id=user.id))
    give_back(hh.id, redemption.total_points, redemption.redeemed_on)
    db.session.flush()
    record(user.id, "store.return", "redemption", redemption.id, village_id=hh.village_id,
           receipt_no=receipt_no, reason=reversal.reason)
    return reversal


def visible_redemptions(user: User, store: Store):  # noqa: ANN201 - Select[tuple[Redemption]]
    """A query of the store's redemptions the user may see: all for its clerks, otherwise only
    those of the households the user may see (a shared store serves other villages too)."""
    query = select(Redemption).where(Redemption.store_id == store.id)
    if not rules.can_serve_counter(user.domain_grants(), store.id):
        query = query.where(Redemption.household_id.in_(visible_households(user).with_only_columns(Household.id)))
    return query


def recent(user: User, store_id: int | None, limit: int = 50) -> tuple[Store, list[Redemption]]:
    """The store's latest redemptions the user may see, newest first."""
    store = store_for(user, store_id, "view")
    rows = db.session.scalars(
        visible_redemptions(user, store)
        .options(selectinload(Redemption.household), selectinload(Redemption.reversal))
        .order_by(Redemption.id.desc()).limit(limit)
    )
    return store, list(rows)
