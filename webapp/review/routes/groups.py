"""Review groups (评议小组) for the village committee: members, areas and cross-review targets.

Every form posts, then redirects to the list (with a flash saying what happened or why not), so the
pages work without JavaScript; hx-boost on the body makes them feel like one page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.validators import Optional

from webapp.web.guards import role_required
from webapp.extensions import db
from webapp.web.htmx import render
from webapp.review.services import groups
from webapp.core.refusal import NotFound, Refusal
from webapp.people.services.villages import managed_villages
from webapp.people.routes.village_choice import chosen_village

bp = Blueprint("review_groups", __name__, url_prefix="/admin/review-groups")

ADMINS = ("village_admin", "town_admin")


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


def _not_found(error: NotFound):
    db.session.rollback()
    abort(render("error.html", status=404, code=404, message=error.translated()))


def _group(group_id: int):
    try:
        return groups.managed_group(current_user, group_id)
    except NotFound as error:
        _not_found(error)


def _back(village_id: int, group_id: int | None = None):
    return redirect(url_for("review_groups.index", village=village_id,
                            _anchor=f"group-{group_id}" if group_id else None))


def _apply(form: FlaskForm, village_id: int, group_id: int | None, change, done: str):
    """Validate the form, run one service call, commit once; or roll back and say why. Then back to the list."""
    if not form.validate_on_submit():
        flash(_("The form was not valid; please try again."), "error")
        return _back(village_id, group_id)
    try:
        change()
    except NotFound as error:
        _not_found(error)
    except Refusal as error:
        db.session.rollback()
        flash(error.translated(), "error")
        return _back(village_id, group_id)
    db.session.commit()
    flash(done, "info")
    return _back(village_id, group_id)


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
    form = NameForm()
    return _apply(form, village.id, None, lambda: groups.create_group(village, form.name.data, current_user.id),
                  _("Review group %(name)s created.", name=(form.name.data or "").strip()))


@bp.post("/<int:group_id>/name")
@role_required(*ADMINS)
def rename(group_id: int):
    group = _group(group_id)
    form = NameForm()
    return _apply(form, group.village_id, group.id, lambda: groups.rename_group(group, form.name.data, current_user.id),
                  _("Review group renamed."))


@bp.post("/<int:group_id>/delete")
@role_required(*ADMINS)
def delete(group_id: int):
    group = _group(group_id)
    village_id, name = group.village_id, group.name
    return _apply(DeleteForm(), village_id, None, lambda: groups.delete_group(group, current_user.id),
                  _("Review group %(name)s deleted.", name=name))


@bp.post("/<int:group_id>/members")
@role_required(*ADMINS)
def members(group_id: int):
    group = _group(group_id)
    form = MembersForm()
    return _apply(form, group.village_id, group.id,
                  lambda: groups.set_members(group, form.members.data or [], current_user.id),
                  _("Members of %(name)s saved.", name=group.name))


@bp.post("/<int:group_id>/areas")
@role_required(*ADMINS)
def areas(group_id: int):
    group = _group(group_id)
    form = AreasForm()
    return _apply(form, group.village_id, group.id,
                  lambda: groups.set_areas(group, form.grids.data or [], form.village_groups.data or [],
                                           current_user.id),
                  _("Area of %(name)s saved.", name=group.name))


@bp.post("/<int:group_id>/target")
@role_required(*ADMINS)
def target(group_id: int):
    group = _group(group_id)
    form = TargetForm()
    return _apply(form, group.village_id, group.id,
                  lambda: groups.set_cross_review_target(group, form.target.data, current_user.id),
                  _("Cross-review of %(name)s saved.", name=group.name))
