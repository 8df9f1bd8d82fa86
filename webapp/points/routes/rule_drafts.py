"""Editing the rules in pages: start a draft, change it item by item (or as YAML), adopt it as the next
version; each version's page shows what changed from the one before, and its YAML to download.

The committee (the village admin) edits and adopts; the town admin reads. Views register on the
`schemes` blueprint (webapp/points/routes/schemes.py imports this module)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from flask import current_app, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import ADMINS, COMMITTEE
from webapp.people.routes.village_choice import chosen_village
from webapp.points.domain import scheme_edits as edits
from webapp.points.domain.scheme_loader import SchemeError
from webapp.points.routes.schemes import bp
from webapp.points.services import rule_drafts as drafts
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard


BAD_POINTS = N_("Points must be a number with at most two decimals, like 1 or 0.5.")


def _size(name: str) -> Decimal:
    try:
        value = Decimal(request.form.get(name, "").strip())
    except InvalidOperation:
        raise Refusal(BAD_POINTS) from None
    if not value.is_finite() or abs(value) >= 10000 or value != value.quantize(Decimal("0.01")):
        raise Refusal(BAD_POINTS)
    return value


def _revision() -> int | None:
    return request.form.get("revision", type=int)


def _edit():  # noqa: ANN202 - the edit the form asks for, as a function of the rules
    change, form = request.form.get("change", ""), request.form
    if change == "item":
        return partial(edits.change_item, code=form.get("item", ""), name=form.get("name", ""), size=_size("points"),
                       evidence=form.get("evidence") or None)
    if change == "retire":
        return partial(edits.retire_item, code=form.get("item", ""))
    if change == "add":
        return partial(edits.add_item, category_code=form.get("category", ""), code=form.get("code", ""),
                       name=form.get("name", ""), size=_size("points"), per=form.get("per") or "event",
                       evidence=form.get("evidence") or "optional")
    if change == "cap":
        return partial(edits.change_cap, index=form.get("cap", -1, type=int), size=_size("max"),
                       per=form.get("per", ""))
    raise Refusal(N_("Choose what to change."))


def _page(draft_id: int, problems=(), status: int = 200):  # noqa: ANN001, ANN202
    view = drafts.view_draft(current_user, draft_id)
    whatif = "whatif.show" in current_app.view_functions
    return render("points/draft.html", view=view, problems=problems, status=status, whatif=whatif)


@bp.post("/scheme/drafts")
@role_required(*COMMITTEE)
def new_draft():
    village = chosen_village()
    if village is None:
        raise Refusal(N_("Choose one of your villages."))
    draft = drafts.start_draft(current_user, village)
    return redirect(url_for("schemes.draft", draft_id=draft.id), 303)


@bp.get("/scheme/drafts/<int:draft_id>")
@role_required(*ADMINS)
def draft(draft_id: int):
    return _page(draft_id)


@bp.post("/scheme/drafts/<int:draft_id>")
@role_required(*COMMITTEE)
def change_draft(draft_id: int):
    """One change from the page: an item, a new item, a retired item, a cap, the YAML, or the terms."""
    change = request.form.get("change", "")
    try:
        if change == "text":
            drafts.replace_text(current_user, draft_id, _revision(), request.form.get("text", ""))
        elif change == "terms":
            day = request.form.get("effective_from", "").strip()
            drafts.set_terms(current_user, draft_id, _revision(), date.fromisoformat(day) if day else None,
                             request.form.get("note", ""))
        else:
            drafts.edit_draft(current_user, draft_id, _revision(), _edit())
    except SchemeError as error:
        discard()
        flash(_("The change was not saved: the rules would have problems."), "error")
        return _page(draft_id, error.problems, 422)
    except ValueError:
        discard()
        flash(_("Write the date as YYYY-MM-DD."), "error")
        return _page(draft_id, status=422)
    except Refusal as error:
        if error.status == 404:
            raise
        discard()
        flash(error.translated(), "error")
        return _page(draft_id, status=422)
    flash(_("Saved in the draft."), "info")
    anchor = request.form.get("item") or request.form.get("code") or ""
    return redirect(url_for("schemes.draft", draft_id=draft_id, _anchor=f"item-{anchor}" if anchor else None), 303)


@bp.post("/scheme/drafts/<int:draft_id>/adopt")
@role_required(*COMMITTEE)
def adopt(draft_id: int):
    try:
        version = drafts.adopt_draft(current_user, draft_id, _revision())
    except Refusal as error:
        if error.status == 404:
            raise
        discard()
        flash(error.translated(), "error")
        return _page(draft_id, getattr(error, "problems", ()), 422)
    flash(_("Adopted as version %(number)s, in force from %(day)s.", number=version.number,
            day=version.effective_from.isoformat()), "info")
    return redirect(url_for("schemes.version", version_id=version.id), 303)


@bp.post("/scheme/drafts/<int:draft_id>/discard")
@role_required(*COMMITTEE)
def discard_draft(draft_id: int):
    village = drafts.discard_draft(current_user, draft_id)
    flash(_("The draft was discarded; the rules in force did not change."), "info")
    return redirect(url_for("schemes.scheme", village=village.id), 303)


@bp.get("/scheme/versions/<int:version_id>")
@role_required(*ADMINS)
def version(version_id: int):
    """A version's rules and what changed from the version before it."""
    return render("points/version.html", view=drafts.view_version(current_user, version_id))


@bp.get("/scheme/versions/<int:version_id>/rules.yaml")
@role_required(*ADMINS)
def version_yaml(version_id: int):
    """The file the version was imported from, byte for byte (export for bulk work)."""
    view = drafts.view_version(current_user, version_id)
    response = make_response(view.version.source_text.encode("utf-8"))
    response.headers["Content-Type"] = "text/yaml; charset=utf-8"
    name = f"{view.version.scheme.code}-v{view.version.number}.yaml"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
