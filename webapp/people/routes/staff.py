"""Staff and roles: accounts, bulk import, password resets, deactivation.

A town admin manages the accounts of their town, a village admin those of their own villages (never a
town admin's); the services check each account and place (webapp/people/services/staff.py).
"""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.labels import ROLE_NAMES
from webapp.people.domain.access import ADMINS, SCOPE_OF_ROLE, Role
from webapp.people.services import staff
from webapp.people.services.roster_check import RosterError
from webapp.people.services.staff_import import import_staff, staff_template_xlsx
from webapp.people.services.villages import managed_villages
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("staff", __name__, url_prefix="/admin/staff")


class RoleForm(FlaskForm):
    # The service decides which roles and places the admin may give (and says why not).
    role = SelectField(validate_choice=False)
    villages = SelectMultipleField(coerce=int, validate_choice=False)
    grids = SelectMultipleField(coerce=int, validate_choice=False)
    store = StringField()
    household = StringField()


class AccountForm(RoleForm):
    username = StringField()
    display_name = StringField()
    phone = StringField()
    password = PasswordField()
    again = PasswordField()


class DetailsForm(FlaskForm):
    display_name = StringField()
    phone = StringField()


class PasswordForm(FlaskForm):
    password = PasswordField()
    again = PasswordField()


class EmptyForm(FlaskForm):
    pass


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


def _valid(form: FlaskForm) -> FlaskForm:
    if not form.validate_on_submit():
        raise Refusal(N_("The form was not valid; please try again."))
    return form


def _scope(form: RoleForm) -> staff.Scope:
    store = (form.store.data or "").strip()
    return staff.Scope(village_ids=tuple(form.villages.data or ()), grid_ids=tuple(form.grids.data or ()),
                       store_id=int(store) if store.isdigit() and len(store) < 10 else None,
                       household_code=form.household.data or "")


def _choices() -> dict:
    """What the role form offers: the roles the admin may give, with the scope each needs, and the places."""
    villages = managed_villages(current_user)
    stores = staff.stores_of(villages)
    roles = [(r, ROLE_NAMES.get(r, r), SCOPE_OF_ROLE[Role(r)]) for r in staff.grantable_roles(current_user)]
    return {"roles": roles, "villages": villages, "stores": stores}


@bp.get("")
@role_required(*ADMINS)
def index():
    village = request.args.get("village", type=int)
    role = request.args.get("role", "")
    users = staff.staff_of(current_user, village, role if role in {r.value for r in Role} else "")
    return render("people/staff.html", users=users, village=village, role=role, label=staff.grant_label,
                  **_choices())


@bp.route("/new", methods=["GET", "POST"])
@role_required(*ADMINS)
def new():
    form = AccountForm()
    if request.method == "POST":
        _valid(form)
        user = staff.add_account(current_user, form.username.data, form.display_name.data, form.phone.data,
                                 form.password.data or "", form.again.data or "", form.role.data, _scope(form))
        flash(_("Account %(username)s created. Hand the password to %(name)s in person.",
                username=user.username, name=user.display_name), "info")
        return redirect(url_for("staff.account", user_id=user.id))
    return render("people/staff_new.html", form=form, **_choices())


@bp.get("/<int:user_id>")
@role_required(*ADMINS)
def account(user_id: int):
    user = staff.managed_user(current_user, user_id)
    return render("people/staff_account.html", user=user, label=staff.grant_label, **_choices())


@bp.post("/<int:user_id>/details")
@role_required(*ADMINS)
def details(user_id: int):
    user = staff.managed_user(current_user, user_id)
    form = _valid(DetailsForm())
    staff.edit_details(current_user, user, form.display_name.data, form.phone.data)
    flash(_("Saved."), "info")
    return redirect(url_for("staff.account", user_id=user.id))


@bp.post("/<int:user_id>/roles")
@role_required(*ADMINS)
def add_role(user_id: int):
    user = staff.managed_user(current_user, user_id)
    form = _valid(RoleForm())
    staff.add_role(current_user, user, form.role.data, _scope(form))
    flash(_("Role added."), "info")
    return redirect(url_for("staff.account", user_id=user.id))


@bp.post("/<int:user_id>/roles/<int:grant_id>/remove")
@role_required(*ADMINS)
def remove_role(user_id: int, grant_id: int):
    user = staff.managed_user(current_user, user_id)
    _valid(EmptyForm())
    staff.remove_role(current_user, user, grant_id)
    flash(_("Role removed."), "info")
    return redirect(url_for("staff.account", user_id=user.id))


@bp.post("/<int:user_id>/password")
@role_required(*ADMINS)
def password(user_id: int):
    user = staff.managed_user(current_user, user_id)
    form = _valid(PasswordForm())
    staff.reset_password(current_user, user, form.password.data or "", form.again.data or "")
    flash(_("New password set for %(username)s; their sessions on every device have ended.",
            username=user.username), "info")
    return redirect(url_for("staff.account", user_id=user.id))


@bp.post("/<int:user_id>/<any(deactivate, reactivate):action>")
@role_required(*ADMINS)
def switch(user_id: int, action: str):
    user = staff.managed_user(current_user, user_id)
    _valid(EmptyForm())
    if action == "deactivate":
        staff.deactivate(current_user, user)
        flash(_("%(username)s is deactivated: they cannot log in and their phones no longer sync. Their records "
                "stay.", username=user.username), "info")
    else:
        staff.reactivate(current_user, user)
        flash(_("%(username)s can log in again.", username=user.username), "info")
    return redirect(url_for("staff.account", user_id=user.id))


@bp.route("/import", methods=["GET", "POST"])
@role_required(*ADMINS)
def import_file():
    form = ImportForm()
    problems, accounts, status = [], [], 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            accounts = import_staff(current_user, upload.filename or "", upload.read())
        except RosterError as error:  # the page again, with every bad cell listed (422)
            discard()
            problems, status = error.problems, 422
            flash(error.translated(), "error")
    elif request.method == "POST":
        flash(_("Choose a file to upload."), "error")
        status = 422
    # The one-time passwords are shown in this answer only: no redirect, no flash, nothing logged.
    response = render("people/staff_import.html", form=form, problems=problems, accounts=accounts, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/import/template.xlsx")
@role_required(*ADMINS)
def import_template():
    return send_file(io.BytesIO(staff_template_xlsx()), download_name="staff-template.xlsx", as_attachment=True)
