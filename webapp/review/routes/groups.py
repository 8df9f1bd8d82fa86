"""Review groups (评议小组) for the village committee: members, areas and cross-review targets.

Every form posts, then redirects to the list with a flash saying what happened (or, refused, the
edge says why: web/transaction.py), so the pages work without JavaScript; hx-boost on the body
makes them feel like one page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.validators import Optional

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import ADMINS
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services.villages import managed_villages
from webapp.review.services import groups
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("review_groups", __name__, url_prefix="/admin/review-groups")


class NameForm(FlaskForm):
    name = StringField()  # the service says what is wrong with a name (empty, too long, taken)


class MembersForm(FlaskForm):
    # The service decides who may join (and says why not), so the choices are not checked here.
    members = SelectMultipleField(coerce=int, validate_choice=False)


class AreasForm(FlaskForm):
    grids = SelectMultipleField(coerce=int, validate_choice=False)
    village_groups = SelectMultipleField(coerce=int, validate_choice=False)


class TargetForm(FlaskForm):
    target = IntegerField(validators=[Optional()])


class DeleteForm(FlaskForm):
    pass


def _valid(form: FlaskForm) -> FlaskForm:
    """The posted form, or a refusal when a field is not what the form expects."""
    if not form.validate_on_submit():
        raise Refusal(N_("The form was not valid; please try again."))
    return form


def _back(village_id: int, group_id: int | None = None):
    return redirect(url_for("review_groups.index", village=village_id,
                            _anchor=f"group-{group_id}" if group_id else None))


@bp.get("")
@role_required(*ADMINS)
def index():
    village = chosen_village()
    view = groups.overview(village) if village is not None else None
    return render("review/groups.html", village=village, villages=managed_villages(current_user), view=view,
                  form=NameForm())


@bp.post("")
@role_required(*ADMINS)
def create():
    village = chosen_village()
    if village is None:
        abort(404)
    form = _valid(NameForm())
    groups.create_group(village, form.name.data, current_user.id)
    flash(_("Review group %(name)s created.", name=(form.name.data or "").strip()), "info")
    return _back(village.id)


@bp.post("/<int:group_id>/name")
@role_required(*ADMINS)
def rename(group_id: int):
    group = groups.managed_group(current_user, group_id)
    groups.rename_group(group, _valid(NameForm()).name.data, current_user.id)
    flash(_("Review group renamed."), "info")
    return _back(group.village_id, group.id)


@bp.post("/<int:group_id>/delete")
@role_required(*ADMINS)
def delete(group_id: int):
    group = groups.managed_group(current_user, group_id)
    village_id, name = group.village_id, group.name
    _valid(DeleteForm())
    groups.delete_group(group, current_user.id)
    flash(_("Review group %(name)s deleted.", name=name), "info")
    return _back(village_id)


@bp.post("/<int:group_id>/members")
@role_required(*ADMINS)
def members(group_id: int):
    group = groups.managed_group(current_user, group_id)
    groups.set_members(group, _valid(MembersForm()).members.data or [], current_user.id)
    flash(_("Members of %(name)s saved.", name=group.name), "info")
    return _back(group.village_id, group.id)


@bp.post("/<int:group_id>/areas")
@role_required(*ADMINS)
def areas(group_id: int):
    group = groups.managed_group(current_user, group_id)
    form = _valid(AreasForm())
    groups.set_areas(group, form.grids.data or [], form.village_groups.data or [], current_user.id)
    flash(_("Area of %(name)s saved.", name=group.name), "info")
    return _back(group.village_id, group.id)


@bp.post("/<int:group_id>/target")
@role_required(*ADMINS)
def target(group_id: int):
    group = groups.managed_group(current_user, group_id)
    groups.set_cross_review_target(group, _valid(TargetForm()).target.data, current_user.id)
    flash(_("Cross-review of %(name)s saved.", name=group.name), "info")
    return _back(group.village_id, group.id)
