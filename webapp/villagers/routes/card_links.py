"""一户一码: the link in a household card's QR code, and the door plates (门牌码) that print it large.

Scanned with any phone camera or WeChat, <site>/k/<token> opens the household's own page; a phone
that is not logged in gets the login first, the household code filled in, to type its 6-digit PIN.
The counter reads the same link (webapp/store/domain token_from_scan)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from webapp.core.refusal import NotFound
from webapp.people.domain.access import ADMINS, can_view_household
from webapp.people.services.households import household_ref
from webapp.people.services.villages import managed_village
from webapp.store.domain import CARD_PATH
from webapp.store.services.cards import printed_cards
from webapp.villagers.services.card_links import card_for_link
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.public_url import site_root

bp = Blueprint("card_links", __name__)


@bp.get(CARD_PATH + "<token>")
def open_card(token: str):
    """A card's link: its household's page (after the login if needed); a replaced or unknown card
    says so and shows nothing of any household."""
    card = card_for_link(token)
    if card is None:
        return render("villagers/households/card_link.html", state="unknown", code=None, status=404)
    if card.revoked_at is not None:
        return render("villagers/households/card_link.html", state="replaced", code=None, status=410)
    household = card.household
    if current_user.is_authenticated and not can_view_household(current_user.domain_grants(), household_ref(household)):
        # logged in as another household (a neighbour's phone): say whose card it is, nothing more
        return render("villagers/households/card_link.html", state="other", code=household.code, status=403)
    page = url_for("households.detail", code=household.code)
    if not current_user.is_authenticated:  # the household's login, its code filled in: only the PIN to type
        return redirect(url_for("auth.login", next=page, username=household.code), code=303)
    return redirect(page, code=303)


@bp.get("/cards/plates")
@role_required(*ADMINS)
def door_plates():
    """门牌码: one plate a page (A5, or A6 with ?size=a6) with a big QR code, the village, the head's
    name and the household code, for the household's door."""
    try:
        village = managed_village(current_user, request.args.get("village", type=int))
    except NotFound:
        abort(404)
    size = "a6" if request.args.get("size") == "a6" else "a5"
    group_id, codes = request.args.get("group", type=int), request.args.getlist("code")
    plates = printed_cards(village, group_id, codes or None, site=site_root())
    return render("villagers/households/door_plates.html", plates=plates, village=village, size=size,
                  chosen={"village": village.id, "group": group_id, "code": codes})
