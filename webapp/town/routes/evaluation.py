"""Village evaluation (行政村积分评价) (issue 13): the town admin sets the year's items up (Pudong's
template, or a rules file's `village_evaluation`), enters the manual items per village with a note and
evidence, reads the ranking with each figure's explanation, and publishes it; a village admin and a
包村干部 read their villages' published results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import OVERSEERS, Role
from webapp.photos.services.storage import photo_store
from webapp.town.domain import evaluation as rules
from webapp.town.services import evaluation as service
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("evaluation", __name__, url_prefix="/town/evaluation")

TOWN = (Role.TOWN_ADMIN,)
READERS = (Role.TOWN_ADMIN, Role.VILLAGE_ADMIN, *OVERSEERS)
MAX_RULES_FILE = 1024 * 1024


def _names() -> dict[str, object]:
    return {"kind_names": {k: _(v) for k, v in rules.KIND_NAMES.items()},
            "method_names": {k: _(v) for k, v in rules.METHOD_NAMES.items()},
            "kinds": rules.KINDS, "methods": rules.METHODS, "fmt": rules.format_points,
            "detail": lambda d: _(d["msgid"], **d["params"]),
            "as_points": lambda value: rules.format_points(rules.points(Decimal(value)))}


@bp.get("")
@role_required(*READERS)
def index():
    year = request.args.get("year", type=int) or date.today().year
    service.checked_year(year)
    town_id = service.admin_town_id(current_user)
    if town_id is None:
        standings, ranked = service.readable_results(current_user, year)
        return render("town/evaluation_read.html", year=year, standings=standings, ranked=ranked, **_names())
    evaluation = service.evaluation_of(town_id, year)
    standings = []
    if evaluation is not None:
        standings = (service.published_standings(evaluation) if evaluation.published
                     else service.computed_ranking(evaluation))
    return render("town/evaluation.html", year=year, evaluation=evaluation, standings=standings, **_names())


def _back(year: int, anchor: str = ""):  # type: ignore[no-untyped-def]
    return redirect(url_for("evaluation.index", year=year) + anchor)


@bp.post("/<int:year>/template")
@role_required(*TOWN)
def load_template(year: int):
    service.checked_year(year)
    upload = request.files.get("rules")
    if upload is not None and upload.filename:
        body = upload.read(MAX_RULES_FILE + 1)
        if len(body) > MAX_RULES_FILE:
            raise Refusal(N_("The rules file is too large."))
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refusal(N_("The file has no village_evaluation section to load.")) from None
        service.load_template(current_user, year, text, upload.filename)
    else:
        service.load_template(current_user, year)
    flash(_("The items are loaded. Check their points, then enter the villages' items."), "info")
    return _back(year, "#items")


def _item_form(year: int, item_id: int | None):  # type: ignore[no-untyped-def]
    form = request.form
    service.save_item(current_user, year, item_id, form.get("name", ""), form.get("kind", ""),
                      form.get("method", "manual"), form.get("max_points", ""), form.get("share_weight", "50"),
                      form.get("full_at", "100"))
    flash(_("Saved."), "info")
    return _back(year, "#items")


@bp.post("/<int:year>/items")
@role_required(*TOWN)
def add_item(year: int):
    return _item_form(year, None)


@bp.post("/<int:year>/items/<int:item_id>")
@role_required(*TOWN)
def save_item(year: int, item_id: int):
    return _item_form(year, item_id)


@bp.post("/<int:year>/items/<int:item_id>/remove")
@role_required(*TOWN)
def remove_item(year: int, item_id: int):
    service.remove_item(current_user, year, item_id)
    flash(_("Removed."), "info")
    return _back(year, "#items")


@bp.route("/<int:year>/villages/<int:village_id>", methods=["GET", "POST"])
@role_required(*TOWN)
def village(year: int, village_id: int):
    evaluation = service.town_evaluation(current_user, year)
    place = service.town_village(evaluation, village_id)
    manual = [i for i in evaluation.items if i.method == "manual"]
    if request.method == "POST":
        store = photo_store(current_app.config)
        entered = 0
        for item in manual:
            raw = request.form.get(f"points_{item.id}", "").strip()
            if not raw:
                continue
            upload = request.files.get(f"photo_{item.id}")
            photo = upload.read() if upload is not None and upload.filename else None
            service.enter_value(current_user, year, item.id, place.id, raw, request.form.get(f"note_{item.id}", ""),
                                photo, store)
            entered += 1
        flash(_("Saved %(count)s items for %(village)s.", count=entered, village=place.name), "info")
        return _back(year, f"#village-{place.id}")
    values = {v.item_id: v for v in service.entered_values(evaluation, place.id)}
    return render("town/evaluation_village.html", year=year, evaluation=evaluation, village=place, manual=manual,
                  values=values, **_names())


@bp.post("/<int:year>/publish")
@role_required(*TOWN)
def publish(year: int):
    service.publish(current_user, year, date.today())
    flash(_("The evaluation of %(year)s is published to the villages.", year=year), "info")
    return _back(year)
