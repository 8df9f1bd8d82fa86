"""Households on the page: add, edit, move, members and participation dates (village and town admins).

Every form posts and redirects back to the household's page with a flash; a refused form is shown
again (422) with its values and a message at each bad field, nothing written. Works without
JavaScript; hx-boost on the body makes it feel like one page.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.people.domain.access import ADMINS
from webapp.people.models.household import MEMBER_JOINED, MEMBER_LEFT, Household
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services import household_edit as svc
from webapp.people.services.household_edit.roster_export import roster_xlsx
from webapp.people.services.villages import managed_villages
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("household_admin", __name__, url_prefix="/admin/households")


def _page(household: Household, status: int = 200, failed: str = "", problems=None, values=None):
    """The household's admin page; `failed` names the form that was refused, shown with its values."""
    return render("people/household_edit.html", status=status, household=household, village=household.village,
                  failed=failed, problems=problems or {}, values=values or {}, today=date.today(),
                  joined_reasons=MEMBER_JOINED, left_reasons=MEMBER_LEFT)


def _back(household: Household):
    return redirect(url_for("household_admin.edit", household_id=household.id))


@bp.route("/new", methods=["GET", "POST"])
@role_required(*ADMINS)
def new():
    village = chosen_village()
    problems, status = {}, 200
    if village is not None and request.method == "POST":
        try:
            household = svc.add_household(current_user, village, request.form, date.today())
        except svc.FormRefusal as error:
            discard()
            problems, status = error.problems, 422
            flash(error.translated(), "error")
        else:
            flash(_("Household %(code)s added.", code=household.code), "info")
            return _back(household)
    elif request.method == "POST":
        abort(404)
    return render("people/household_new.html", status=status, village=village, villages=managed_villages(current_user),
                  problems=problems, values=request.form if status != 200 else {}, today=date.today())


@bp.route("/<int:household_id>", methods=["GET", "POST"])
@role_required(*ADMINS)
def edit(household_id: int):
    household = svc.managed_household(current_user, household_id)
    if request.method == "GET":
        return _page(household)
    try:
        changes = svc.edit_household(current_user, household, request.form)
    except svc.FormRefusal as error:
        return _refused(household_id, "household", error)
    flash(_("Saved.") if changes else _("Nothing changed."), "info")
    return _back(household)


@bp.post("/<int:household_id>/members")
@role_required(*ADMINS)
def add_member(household_id: int):
    household = svc.managed_household(current_user, household_id)
    try:
        member = svc.add_member(current_user, household, request.form, date.today())
    except svc.FormRefusal as error:
        return _refused(household_id, "member", error)
    flash(_("%(name)s added to the household.", name=member.name), "info")
    return _back(household)


@bp.post("/members/<int:member_id>/leave")
@role_required(*ADMINS)
def remove_member(member_id: int):
    member = svc.managed_member(current_user, member_id)
    household_id, name = member.household_id, member.name
    try:
        svc.remove_member(current_user, member, request.form, date.today())
    except svc.FormRefusal as error:
        return _refused(household_id, f"leave-{member_id}", error)
    flash(_("%(name)s is recorded as having left the household.", name=name), "info")
    return _back(member.household)


@bp.post("/<int:household_id>/stop")
@role_required(*ADMINS)
def stop(household_id: int):
    household = svc.managed_household(current_user, household_id)
    try:
        svc.stop_participating(current_user, household, request.form)
    except svc.FormRefusal as error:
        return _refused(household_id, "stop", error)
    flash(_("The household no longer takes part in points from %(day)s.", day=household.left_on.isoformat()),
          "info")
    return _back(household)


@bp.post("/<int:household_id>/resume")
@role_required(*ADMINS)
def resume(household_id: int):
    household = svc.managed_household(current_user, household_id)
    svc.resume_participating(current_user, household)
    flash(_("The household takes part in points again."), "info")
    return _back(household)


@bp.get("/roster.xlsx")
@role_required(*ADMINS)
def roster_export():
    """The village's current roster in the import's columns, with participation and members' dates."""
    village = chosen_village()
    if village is None:
        abort(404)
    return send_file(io.BytesIO(roster_xlsx(village)), as_attachment=True,
                     download_name=f"roster-{village.code}-{date.today().isoformat()}.xlsx")


def _refused(household_id: int, failed: str, error: svc.FormRefusal):
    """The page again at 422 with the refused form's values and messages; nothing written."""
    discard()
    flash(error.translated(), "error")
    return _page(svc.managed_household(current_user, household_id), 422, failed, error.problems, request.form)

