"""The case library (典型案例库) (issue 13): a village admin writes and submits their village's cases; the
town admin reads the submitted ones, approves, corrects or returns them with a note; approved cases have
a public page per town (no login) and a printable A4 page.

Public pages: /t/<tcode>/cases, /t/<tcode>/cases/<id> and …/print. Only approved cases show, with the
names of people only as the text writes them and no household data; anything else is 404.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.core.qr_codes import qr_svg
from webapp.core.refusal import Refusal
from webapp.people.domain.access import ADMINS, Role
from webapp.photos.services.storage import photo_store
from webapp.town.domain import cases as rules
from webapp.town.services import cases as service
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("cases", __name__)  # the writers' pages under /cases, the public ones under /t/<tcode>/cases
bp.record_once(lambda _state: service.register_photo_rules())  # approved cases' photos are public

WRITERS = (Role.VILLAGE_ADMIN,)
DECIDERS = (Role.TOWN_ADMIN,)
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]


class CaseForm(FlaskForm):
    village = SelectField(_l("Village"), coerce=int)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=rules.MAX_TITLE)])
    text = TextAreaField(_l("The case"), validators=[DataRequired(), Length(min=rules.MIN_TEXT, max=rules.MAX_TEXT)])
    list_item = SelectField(_l("List item it concerns (optional)"), coerce=int)
    points_item = SelectField(_l("Points item it concerns (optional)"))
    photos = MultipleFileField(_l("Photos (optional)"), validators=[FileAllowed(PHOTO_TYPES)])


class ReturnForm(FlaskForm):
    note = TextAreaField(_l("What the village should change"),
                         validators=[DataRequired(), Length(max=rules.MAX_NOTE)])


@bp.app_context_processor
def _names() -> dict[str, object]:
    return {"case_state_names": {k: _(v) for k, v in rules.STATE_NAMES.items()}}


def _uploads(form: CaseForm) -> list[tuple[str, bytes]]:
    return [(f.filename or "", f.read()) for f in (form.photos.data or []) if f and getattr(f, "filename", "")]


def _fill_choices(form: CaseForm, villages, case=None) -> None:  # type: ignore[no-untyped-def]
    form.village.choices = [(v.id, v.name) for v in villages]
    village = case.village if case is not None else next(
        (v for v in villages if v.id == form.village.data), villages[0] if villages else None)
    today = date.today()
    lists = service.list_item_choices(village, today) if village else []
    points = service.points_item_choices(village, today) if village else []
    if case is not None and case.list_item_id and case.list_item_id not in {i for i, _ in lists}:
        lists.append((case.list_item_id, service.list_item_label(case)))
    if case is not None and case.points_item_code and case.points_item_code not in {c for c, _ in points}:
        points.append((case.points_item_code, service.points_item_label(case)))
    form.list_item.choices = [(0, _("None"))] + lists
    form.points_item.choices = [("", _("None"))] + points


def _refused(error: Refusal) -> int:
    discard()
    flash(error.translated(), "error")
    return 422


@bp.get("/cases")
@role_required(*ADMINS)
def index():
    state = request.args.get("status", "")
    village_id = request.args.get("village", type=int)
    cases = service.cases_for(current_user, state, village_id)
    villages = sorted({(c.village.code, c.village.id, c.village.name) for c in service.cases_for(current_user)})
    town_ids = service.deciding_town_ids(current_user)
    return render("town/cases.html", cases=cases, state=state, village_id=village_id, villages=villages,
                  writes=bool(service.writing_villages(current_user)), decides=bool(town_ids),
                  public_towns=service.towns_of(current_user))


@bp.route("/cases/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    villages = service.writing_villages(current_user)
    form = CaseForm()
    if form.village.data is None and villages:
        form.village.data = villages[0].id  # a village admin of one village chooses none
    _fill_choices(form, villages)
    status = 200
    if form.validate_on_submit():
        village = next(v for v in villages if v.id == form.village.data)
        try:
            case = service.create_case(current_user, village, form.title.data, form.text.data, form.list_item.data,
                                       form.points_item.data or "", _uploads(form), store=photo_store(current_app.config))
        except Refusal as error:
            status = _refused(error)
        else:
            flash(_("The case is saved as a draft. Submit it when it is ready."), "info")
            return redirect(url_for("cases.detail", case_id=case.id), code=303)
    elif form.is_submitted():
        status = 422
    return render("town/case_form.html", form=form, case=None, status=status)


@bp.get("/cases/<int:case_id>")
@role_required(*ADMINS)
def detail(case_id: int):
    case = service.case_for(current_user, case_id)
    return render("town/case_detail.html", case=case, side=service.side_of(current_user, case),
                  list_label=service.list_item_label(case), points_label=service.points_item_label(case),
                  return_form=ReturnForm(), paragraphs=rules.paragraphs(case.text))


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@role_required(*ADMINS)
def edit(case_id: int):
    case = service.case_for(current_user, case_id)
    form = CaseForm(obj=case) if request.method == "GET" else CaseForm()
    _fill_choices(form, [case.village], case)
    if request.method == "GET":
        form.village.data, form.list_item.data = case.village_id, case.list_item_id or 0
        form.points_item.data = case.points_item_code
    else:
        form.village.data = case.village_id
    status = 200
    if form.validate_on_submit():
        removed = request.form.getlist("remove_photo", type=int)
        try:
            service.edit_case(current_user, case, form.title.data, form.text.data, form.list_item.data,
                              form.points_item.data or "", _uploads(form), removed,
                              store=photo_store(current_app.config))
        except Refusal as error:
            status = _refused(error)
            case = service.case_for(current_user, case_id)
        else:
            flash(_("The case is saved."), "info")
            return redirect(url_for("cases.detail", case_id=case.id), code=303)
    elif form.is_submitted():
        status = 422
    return render("town/case_form.html", form=form, case=case, status=status)


@bp.post("/cases/<int:case_id>/submit")
@role_required(*WRITERS)
def submit(case_id: int):
    service.submit_case(current_user, service.case_for(current_user, case_id))
    flash(_("The case is submitted to the town."), "info")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


@bp.post("/cases/<int:case_id>/approve")
@role_required(*DECIDERS)
def approve(case_id: int):
    service.approve_case(current_user, service.case_for(current_user, case_id))
    flash(_("The case is approved and shown on the town's case page."), "info")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


@bp.post("/cases/<int:case_id>/return")
@role_required(*DECIDERS)
def return_to_village(case_id: int):
    case = service.case_for(current_user, case_id)
    form = ReturnForm()
    service.return_case(current_user, case, form.note.data or "")
    flash(_("The case is returned to the village with your note."), "info")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


# --- public, no login -----------------------------------------------------------------------------

@bp.get("/t/<tcode>/cases")
def public_index(tcode: str):
    town = service.public_town(tcode)
    return render("town/cases_public.html", town=town, cases=service.public_cases(town))


@bp.get("/t/<tcode>/cases/<int:case_id>")
def public_detail(tcode: str, case_id: int):
    town = service.public_town(tcode)
    case = service.public_case(town, case_id)
    return render("town/case_public.html", town=town, case=case, paragraphs=rules.paragraphs(case.text),
                  list_label=service.list_item_label(case), points_label=service.points_item_label(case))


@bp.get("/t/<tcode>/cases/print", defaults={"case_id": None})
@bp.get("/t/<tcode>/cases/<int:case_id>/print")
def public_print(tcode: str, case_id: int | None):
    """One case, or the town's whole library (one case a page), for A4."""
    town = service.public_town(tcode)
    cases = [service.public_case(town, case_id)] if case_id is not None else service.public_cases(town)
    pages = [{"case": c, "paragraphs": rules.paragraphs(c.text), "list_label": service.list_item_label(c),
              "points_label": service.points_item_label(c),
              "url": url_for("cases.public_detail", tcode=town.code, case_id=c.id, _external=True)} for c in cases]
    back = url_for("cases.public_detail", tcode=town.code, case_id=case_id) if case_id is not None \
        else url_for("cases.public_index", tcode=town.code)
    return render("town/case_print.html", town=town, pages=pages, back=back, qr_svg=qr_svg)
