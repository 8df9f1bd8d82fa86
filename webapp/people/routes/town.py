"""The town admin's pages: the first run, villages with their groups and grids.

While the database holds no town, `/` leads to the first-run page, which creates the town and its
first town admin (as `jifen init` does) and is gone once a town exists. Every other form posts and
redirects with a flash (or, refused, the edge says why: web/transaction.py).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import ADMINS, Role
from webapp.people.services import village_setup as setup
from webapp.people.services.villages import managed_village
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("town", __name__, url_prefix="/town")

HAS_TOWN = "jifen.has_town"  # app.extensions key: once a town exists it always will, so it is asked once


def town_exists() -> bool:
    """Whether the first run is over; cached on the app once true."""
    if current_app.extensions.get(HAS_TOWN):
        return True
    found = setup.has_town()
    if found:
        current_app.extensions[HAS_TOWN] = True
    return found


@bp.before_app_request
def first_run_redirect():
    """An empty database's front door leads to the first-run page (one cheap check until a town exists)."""
    if request.method == "GET" and request.path == "/" and not town_exists():
        return redirect(url_for("town.first_run"))
    return None


@bp.app_context_processor
def first_run_link():
    return {"first_run_needed": lambda: not town_exists()}


class FirstRunForm(FlaskForm):
    town_name = StringField()
    town_code = StringField()
    area_code = StringField()
    username = StringField()
    display_name = StringField()
    password = PasswordField()
    again = PasswordField()


class PlaceForm(FlaskForm):
    name = StringField()
    code = StringField()
    area_code = StringField()


class EmptyForm(FlaskForm):
    pass


def _valid(form: FlaskForm) -> FlaskForm:
    if not form.validate_on_submit():
        raise Refusal(N_("The form was not valid; please try again."))
    return form


@bp.route("/first-run", methods=["GET", "POST"])
def first_run():
    if town_exists():
        abort(404)
    form = FirstRunForm()
    if request.method == "POST":
        _valid(form)
        setup.create_town(form.town_name.data, form.town_code.data, form.area_code.data, form.username.data,
                          form.display_name.data, form.password.data or "", form.again.data or "")
        flash(_("Town %(town)s created. Log in as %(username)s to add its villages and staff.",
                town=(form.town_name.data or "").strip(), username=(form.username.data or "").strip()), "info")
        return redirect(url_for("auth.login"))
    return render("people/first_run.html", form=form)


@bp.get("/villages")
@role_required(Role.TOWN_ADMIN)
def villages():
    return render("people/villages.html", villages=setup.town_villages(current_user),
                  towns=setup.admin_towns(current_user), form=PlaceForm())


@bp.post("/villages")
@role_required(Role.TOWN_ADMIN)
def create_village():
    form = _valid(PlaceForm())
    towns = setup.admin_towns(current_user)
    town = next((t for t in towns if t.id == request.form.get("town", type=int)), towns[0])
    village = setup.create_village(town, form.name.data, form.code.data, form.area_code.data, current_user.id)
    flash(_("Village %(name)s created. Add its village groups and grids.", name=village.name), "info")
    return redirect(url_for("town.village", village_id=village.id))


def _village(village_id: int, town_only: bool = False):
    """The village a page acts on: any of the town admin's (retired too), or the village admin's own."""
    if any(g.role == Role.TOWN_ADMIN for g in current_user.grants):
        return setup.town_village(current_user, village_id)
    if town_only:
        abort(403)
    return managed_village(current_user, village_id)


@bp.get("/villages/<int:village_id>")
@role_required(*ADMINS)
def village(village_id: int):
    village = _village(village_id)
    is_town_admin = any(g.role == Role.TOWN_ADMIN for g in current_user.grants)
    return render("people/village.html", village=village, form=PlaceForm(), is_town_admin=is_town_admin)


@bp.post("/villages/<int:village_id>")
@role_required(Role.TOWN_ADMIN)
def edit_village(village_id: int):
    village = _village(village_id, town_only=True)
    form = _valid(PlaceForm())
    setup.edit_village(village, form.name.data, form.area_code.data, current_user.id)
    flash(_("Village %(name)s saved.", name=village.name), "info")
    return redirect(url_for("town.village", village_id=village.id))


@bp.post("/villages/<int:village_id>/photo-stamps")
@role_required(*ADMINS)
def photo_stamps(village_id: int):
    village = _village(village_id)
    _valid(EmptyForm())
    setup.set_photo_stamps(village, request.form.get("stamp") == "on", current_user.id)
    flash(_("Evidence photos will be stamped with time, place and household.") if village.stamp_photos
          else _("Evidence photos will no longer be stamped."), "info")
    return redirect(url_for("town.village", village_id=village.id, _anchor="photo-stamps"))


@bp.post("/villages/<int:village_id>/retire")
@role_required(Role.TOWN_ADMIN)
def retire_village(village_id: int):
    village = _village(village_id, town_only=True)
    _valid(EmptyForm())
    setup.retire_village(village, date.today(), current_user.id)
    flash(_("%(name)s is retired: its history stays, it is no longer listed or scored.", name=village.name), "info")
    return redirect(url_for("town.villages"))


@bp.post("/villages/<int:village_id>/restore")
@role_required(Role.TOWN_ADMIN)
def restore_village(village_id: int):
    village = _village(village_id, town_only=True)
    _valid(EmptyForm())
    setup.restore_village(village, current_user.id)
    flash(_("%(name)s is in use again.", name=village.name), "info")
    return redirect(url_for("town.village", village_id=village.id))


@bp.post("/villages/<int:village_id>/<any(group, grid):kind>")
@role_required(*ADMINS)
def add_place(village_id: int, kind: str):
    village = _village(village_id)
    form = _valid(PlaceForm())
    place = setup.add_place(village, kind, form.name.data, form.code.data, current_user.id)
    flash(_("%(name)s added.", name=place.name), "info")
    return redirect(url_for("town.village", village_id=village.id, _anchor=f"{kind}s"))


@bp.post("/villages/<int:village_id>/<any(group, grid):kind>/<int:place_id>")
@role_required(*ADMINS)
def rename_place(village_id: int, kind: str, place_id: int):
    village = _village(village_id)
    form = _valid(PlaceForm())
    place = setup.rename_place(village, kind, place_id, form.name.data, current_user.id)
    flash(_("Renamed to %(name)s.", name=place.name), "info")
    return redirect(url_for("town.village", village_id=village.id, _anchor=f"{kind}s"))
