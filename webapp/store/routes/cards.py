"""Household cards (积分卡): issue the missing ones, reissue one, print a sheet."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.refusal import NotFound
from webapp.people.domain.access import ADMINS
from webapp.people.services.households import visible_groups
from webapp.people.services.villages import managed_village, managed_villages
from webapp.store.routes import bp
from webapp.store.services import cards as store_cards
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.public_url import site_root


def _village():
    try:
        return managed_village(current_user, request.values.get("village", type=int))
    except NotFound:
        return None


@bp.route("/cards", methods=["GET", "POST"])
@role_required(*ADMINS)
def cards():
    village, group_id = _village(), request.values.get("group", type=int)
    if village is not None and request.method == "POST":
        if request.form.get("reissue"):
            store_cards.reissue(village, request.form["reissue"], current_user.id)
            flash(_("A new card was issued; the old card no longer works."), "info")
        else:
            count = store_cards.issue_missing(village, current_user.id, group_id)
            flash(_("%(count)s cards issued.", count=count), "info")
        return redirect(url_for("store.cards", village=village.id, group=group_id), code=303)
    households = store_cards.village_households(village, group_id) if village else []
    return render("store/cards.html", village=village, villages=managed_villages(current_user),
                  households=households, group_id=group_id,
                  groups=[g for g in visible_groups(current_user) if village and g.village_id == village.id],
                  cards=store_cards.active_cards([hh.id for hh in households]))


@bp.get("/cards/sheet")
@role_required(*ADMINS)
def card_sheet():
    village = _village()
    if village is None:
        abort(404)
    codes = request.args.getlist("code") or None
    printed = store_cards.printed_cards(village, request.args.get("group", type=int), codes, site=site_root())
    return render("store/card_sheet.html", cards=printed, village=village)
