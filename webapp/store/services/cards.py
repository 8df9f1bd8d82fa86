"""Household cards (积分卡): issue, reissue (revoking the old token), print, and find a household by card."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import segno
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.services.audit import record
from webapp.store.domain import StoreRefusal, card_url, token_from_scan
from webapp.store.models import HouseholdCard


@dataclass(frozen=True)
class PrintedCard:
    household: Household
    village_name: str
    token: str
    link: str  # what the QR code holds: <site>/k/<token>, which a phone camera opens
    qr_svg: str  # inline SVG, sized by CSS: the card's link, <site>/k/<token>


def new_token() -> str:
    """128 random bits, URL-safe: unguessable, and unrelated to the household's id or code."""
    return secrets.token_urlsafe(16)


def active_cards(household_ids: list[int]) -> dict[int, HouseholdCard]:
    """The card in use of each household that has one."""
    rows = db.session.scalars(select(HouseholdCard).where(
        HouseholdCard.household_id.in_(household_ids), HouseholdCard.revoked_at.is_(None)))
    return {card.household_id: card for card in rows}


def village_households(village: Village, group_id: int | None = None) -> list[Household]:
    query = select(Household).where(Household.village_id == village.id).options(joinedload(Household.group))
    if group_id:
        query = query.where(Household.group_id == group_id)
    return list(db.session.scalars(query.order_by(Household.code)))


def issue_missing(village: Village, actor_id: int | None, group_id: int | None = None) -> int:
    """A card for every household of the village (or group) that has none in use; returns how many."""
    households = village_households(village, group_id)
    have = active_cards([hh.id for hh in households])
    issued = 0
    for hh in households:
        if hh.id not in have:
            db.session.add(HouseholdCard(household_id=hh.id, token=new_token(), issued_by_id=actor_id))
            issued += 1
    db.session.flush()
    if issued:
        record(actor_id, "card.issue", "village", village.id, village_id=village.id, count=issued)
    return issued


def reissue(village: Village, code: str, actor_id: int | None) -> HouseholdCard:
    """A new card for a household of the village; the old card stops working at once (lost or stolen)."""
    hh = db.session.scalar(select(Household).where(Household.code == code, Household.village_id == village.id))
    if hh is None:
        raise NotFound(N_("No household with code %(code)s."), code=code)
    now = utcnow()
    for card in db.session.scalars(select(HouseholdCard).where(
            HouseholdCard.household_id == hh.id, HouseholdCard.revoked_at.is_(None))):
        card.revoked_at, card.revoked_by_id = now, actor_id
    card = HouseholdCard(household_id=hh.id, token=new_token(), issued_by_id=actor_id)
    db.session.add(card)
    db.session.flush()
    record(actor_id, "card.reissue", "household", hh.id, village_id=village.id)
    return card


def printed_cards(village: Village, group_id: int | None = None, codes: list[str] | None = None,
                  site: str = "/") -> list[PrintedCard]:
    """The cards in use of a village (or a group, or some households), each with its QR code, the link
    <site>/k/<token> (site: the app's address as the villagers' phones reach it); nothing is written."""
    households = village_households(village, group_id)
    if codes:
        households = [hh for hh in households if hh.code in set(codes)]
    cards = active_cards([hh.id for hh in households])
    links = {hh.id: card_url(site, cards[hh.id].token) for hh in households if hh.id in cards}
    return [PrintedCard(hh, village.name, cards[hh.id].token, links[hh.id], qr_svg(links[hh.id]))
            for hh in households if hh.id in cards]


def qr_svg(payload: str) -> str:
    """A card's QR code as inline SVG (no size: the sheet's CSS gives it one in millimetres)."""
    code = segno.make(payload, error="m", micro=False)
    return code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", title=None)


def household_by_card(scanned: str) -> Household:
    """The household whose card in use this is; a reissued (revoked) card is refused with the reason."""
    token = token_from_scan(scanned)
    card = db.session.scalar(select(HouseholdCard).where(HouseholdCard.token == token)) if token else None
    if card is None:
        raise StoreRefusal(N_("This card is not known. Type the household code instead."))
    if card.revoked_at is not None:
        raise StoreRefusal(N_("This card was replaced by a new one and no longer works."))
    return card.household
