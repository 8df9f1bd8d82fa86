"""The committee's publication pages: close a period, choose model households, the honour roll and
photos, decide tied prizes, publish (公示), answer objections, make results final.

Every form posts, then redirects to the publication with a flash saying what happened; a refusal
is answered by the edge (web/transaction.py): a flash, back to the page the form was on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.domain.access import COMMITTEE, PUBLICATION_READERS, can_decide_for_village
from webapp.people.models.geo import Village
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services.villages import committee_village, readable_village, readable_villages
from webapp.publication.models import Objection, Publication
from webapp.publication.services import (
    jobs as publication_jobs,
    objections as objection_service,
    picks as publication_picks,
    publications,
)
from webapp.publication.services.pages import publication_page, publications_overview, villages_overview
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("publications", __name__, url_prefix="/admin/publications")


class ActionForm(FlaskForm):
    """CSRF only: the fields are lists and choices read from request.form."""


def _publication(publication_id: int, readable: bool = False) -> Publication:
    """A publication of a village whose committee the user is (or, `readable`, reads as its town admin or
    包村干部); 404 for any other (NotFound, by the edge)."""
    publication = db.session.get(Publication, publication_id)
    if publication is None:
        abort(404)
    (readable_village if readable else committee_village)(current_user, publication.village_id)
    return publication


def _read_only(village: Village) -> bool:
    """The page is shown without its forms to those who only read it (the town admin, a 包村干部)."""
    return not can_decide_for_village(current_user.domain_grants(), village.id)


def _done(publication: Publication, message: str):  # type: ignore[no-untyped-def]
    """Back to the publication, saying what was done."""
    flash(message, "info")
    return redirect(url_for("publications.detail", publication_id=publication.id))


@bp.get("")
@role_required(*PUBLICATION_READERS)
def index():
    return _index(chosen_village(readable=True))


def _index(village: Village | None, **extra):  # type: ignore[no-untyped-def]
    villages = readable_villages(current_user)
    overview = publications_overview(village, date.today()) if village else None
    every = villages_overview(villages) if village is None and len(villages) > 1 else None  # the town's list
    return render("publication/index.html", village=village, villages=villages, overview=overview,
                  every=every, form=ActionForm(), read_only=village is not None and _read_only(village), **extra)


@bp.post("/close")
@role_required(*COMMITTEE)
def close():
    form = ActionForm()
    village = committee_village(current_user, request.form.get("village", type=int))
    if not form.validate_on_submit():
        abort(400)
    period = Period.parse(request.form.get("period", ""))
    if request.form.get("confirm") != "1" and publications.period_is_empty(village.id, period):
        publications.check_close(village, period, date.today())  # what cannot be closed is refused first
        return _index(village, confirm_close=period)  # nothing recorded: ask before freezing a ranking of 0s
    if period.kind == "year":  # the long one: a job, and its progress page at once (docs/jobs.md)
        job = publication_jobs.start_close(current_user, village, period, date.today())
        flash(_("Closing %(period)s: the job runs outside this page.", period=period.key), "info")
        return redirect(url_for("jobs.detail", job_id=job.id))
    publication = publications.close_period(current_user, village, period, date.today())
    return _done(publication, _("%(period)s is closed: its ranking is frozen.", period=publication.period))


@bp.get("/<int:publication_id>")
@role_required(*PUBLICATION_READERS)
def detail(publication_id: int):
    publication = _publication(publication_id, readable=True)
    return _detail(publication)


def _detail(publication: Publication, **extra):  # type: ignore[no-untyped-def]
    q = request.args.get("q", "").strip()[:50]
    return render("publication/detail.html", block="pick_results", page=publication_page(publication, date.today(), q),
                  form=ActionForm(), read_only=_read_only(publication.village), q=q, **extra)


def _checked(name: str) -> list[int]:
    return [int(v) for v in request.form.getlist(name) if v.isdigit()]


@bp.post("/<int:publication_id>/<any(picks, photos, prize, publish, finalise):step>")
@role_required(*COMMITTEE)
def step(publication_id: int, step: str):
    publication = _publication(publication_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    today = date.today()
    if step == "picks":
        publication_picks.set_picks(current_user, publication, "model", _checked("model"))
        publication_picks.set_picks(current_user, publication, "honour", _checked("honour"))
        message = _("Your choices are saved.")
    elif step == "photos":
        chosen = [(pid, request.form.get(f"caption-{pid}", "")) for pid in _checked("photo")]
        publication_picks.set_photos(current_user, publication, chosen)
        message = _("Your choices are saved.")
    elif step == "prize":
        publication_picks.decide_tied_prize(current_user, publication, request.form.get("household", 0, type=int),
                                            request.form.get("granted") == "1")
        message = _("Your choices are saved.")
    elif step == "publish":
        if request.form.get("confirm") != "1" and publications.every_total_is_zero(publication):
            return _detail(publication, confirm_publish=request.form.get("notice_days", type=int))
        publications.publish(current_user, publication, today, request.form.get("notice_days", type=int))
        message = _("Published. The public notice runs until %(day)s.",
                    day=publication.notice_ends_on.isoformat())
    else:
        publications.finalise(current_user, publication, today)
        message = _("The results are final.")
    return _done(publication, message)


@bp.post("/finalise-due")
@role_required(*COMMITTEE)
def finalise_due():
    if not ActionForm().validate_on_submit():
        abort(400)
    done = publications.finalise_due(date.today(), actor=current_user)  # only the villages whose committee they are
    flash(_("%(count)s publications are now final.", count=len(done)), "info")
    return redirect(url_for("publications.index", village=request.form.get("village", type=int)))


@bp.post("/objections/<int:objection_id>")
@role_required(*COMMITTEE)
def answer(objection_id: int):
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    publication = _publication(objection.publication_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    objection_service.answer_objection(current_user, objection, request.form.get("action", ""),
                                       request.form.get("answer", ""), _correction())
    return _done(publication, _("The objection is answered."))


def _correction() -> objection_service.Correction | None:
    """The correction an upheld objection makes, from the answer form."""
    form = request.form
    if form.get("action") != "uphold":
        return None
    if form.get("change") == "inspection":
        code = form.get("base_item", "")
        return objection_service.Correction(met={code: form.get("met") == "1"} if code else None)
    try:
        quantity = Decimal(form.get("quantity", "").strip()) if form.get("quantity", "").strip() else None
    except InvalidOperation:
        raise Refusal(N_("Write the change as a number, such as -1 or 2.")) from None
    return objection_service.Correction(
        item_code=form.get("item", ""), quantity=quantity, member_id=form.get("member", type=int),
        entry_id=form.get("entry", type=int))
