"""The committee's list pages: lists, versions and their adoption, items, templates, import and export."""

from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.lists.routes.blueprint import bp, posted_date
from webapp.lists.schemas import load_item_form
from webapp.lists.services import (
    catalog,
    import_export as lists_io,
    templates as lists_templates,
    versions,
)
from webapp.people.domain.access import ADMINS
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services.villages import managed_villages
from webapp.web import transaction
from webapp.web.guards import role_required
from webapp.web.htmx import render

# --- lists: admin ---------------------------------------------------------------------------------

@bp.route("/admin/lists", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_index():
    """The village's lists and the town's templates; posting creates a list, or (with a file) imports lists."""
    village, towns, problems = chosen_village(), catalog.managed_towns(current_user), []
    if request.method == "POST":
        town = next((t for t in towns if t.id == request.form.get("town", type=int)), None)
        if town is None and village is None:
            abort(404)
        owner, upload = ((town, None) if town else (village.town, village)), request.files.get("file")
        if upload is None:
            made = catalog.create_list(*owner, request.form.get("kind", ""), request.form.get("name", ""),
                                       request.form.get("code", ""), current_user.id)
            return redirect(url_for("lists.admin_list", list_id=made.id))
        try:
            done = lists_io.import_lists(*owner, lists_io.read_lists_file(upload.read()), current_user.id,
                                         note=_("Imported from %(file)s", file=upload.filename or ""))
        except lists_io.ListImportError as error:  # the page again, with every problem beside it (422)
            transaction.discard()
            flash(error.translated(), "error")
            problems = error.problems
        else:
            flash(_("Imported %(count)s lists as drafts: adopt each at a meeting to put it in force.",
                    count=len(done)), "info")
            return redirect(url_for("lists.admin_index", village=village.id if village else None))
    return render("lists/admin_index.html", village=village, villages=managed_villages(current_user),
                  lists=catalog.village_lists(village) if village else [], status=422 if problems else 200,
                  templates=[(t, catalog.town_templates(t)) for t in towns], problems=problems)


@bp.route("/admin/lists/<int:list_id>", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_list(list_id: int):
    """A list's history; posting starts a new draft, or (a template) hands it to the chosen villages."""
    duty_list = catalog.managed_list(current_user, list_id)
    villages = [v for v in managed_villages(current_user) if v.town_id == duty_list.town_id]
    if request.method == "POST" and request.form.get("action") == "hand_out":
        chosen = [v for v in villages if str(v.id) in request.form.getlist("villages")]
        result = lists_templates.hand_out(duty_list, chosen, date.today(), current_user.id,
                                          _("From the town template %(code)s", code=duty_list.code))
        flash(_("Drafts given to %(given)s villages; %(skipped)s skipped (a draft is already open there).",
                given=len(result.drafts), skipped=len(result.skipped)), "info")
        return redirect(request.url)
    if request.method == "POST":
        draft = versions.start_draft(duty_list, current_user.id, request.form.get("note", ""))
        return redirect(url_for("lists.admin_version", version_id=draft.id))
    return render("lists/admin_list.html", duty_list=duty_list, history=versions.history(duty_list, date.today()),
                  draft=versions.open_draft(duty_list), villages=villages)


@bp.route("/admin/lists/versions/<int:version_id>", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_version(version_id: int):
    """A version's items; posting adopts the draft (meeting date, decision, in force from)."""
    version = catalog.managed_version(current_user, version_id)
    if request.method == "POST":
        versions.adopt(version, posted_date("meeting_on"), request.form.get("decision", ""), posted_date("effective_from"),
                       current_user.id)
        flash(_("The version was adopted."), "info")
        return redirect(request.url)
    return render("lists/admin_version.html", version=version, duty_list=version.duty_list)


@bp.route("/admin/lists/versions/<int:version_id>/items/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/admin/lists/items/<int:item_id>", methods=["GET", "POST"], defaults={"version_id": None})
@role_required(*ADMINS)
def edit_item(version_id: int | None, item_id: int | None):
    item = catalog.managed_item(current_user, item_id) if item_id else None
    version = item.version if item else catalog.managed_version(current_user, version_id)
    errors = {}
    if request.method == "POST":
        data, errors = load_item_form(request.form)
        if data is not None:
            saved = versions.save_item(version, data, item, current_user.id)
            flash(_("The item was saved."), "info")
            return redirect(url_for("lists.admin_version", version_id=version.id) + f"#item-{saved.id}")
    return render("lists/admin_item.html", version=version, item=item, errors=errors, form=request.form,
                  status=422 if errors else 200)


@bp.post("/admin/lists/items/<int:item_id>/<any(delete, up, down):action>")
@role_required(*ADMINS)
def change_item(item_id: int, action: str):
    item = catalog.managed_item(current_user, item_id)
    version_id = item.version_id
    if action == "delete":
        versions.delete_item(item, current_user.id)
    else:
        versions.move_item(item, -1 if action == "up" else 1)
    return redirect(url_for("lists.admin_version", version_id=version_id))


@bp.get("/admin/lists/<int:list_id>/export.<any(yaml, xlsx):fmt>")
@bp.get("/admin/lists/export.<any(yaml, xlsx):fmt>", defaults={"list_id": None})
@role_required(*ADMINS)
def export(fmt: str, list_id: int | None):
    """One list (?number=N, else the version in force), or every list in force of a village."""
    if list_id is not None:
        duty_list = catalog.managed_list(current_user, list_id)
        chosen = [(duty_list, catalog.chosen_version(duty_list, request.args.get("number", type=int), date.today()))]
    else:
        chosen = [(d, catalog.in_force(d, date.today())) for d in catalog.village_lists(chosen_village() or abort(404))]
    entries = [(d, v) for d, v in chosen if v is not None] or abort(404)
    body, mimetype, name = lists_io.export_file(fmt, entries)
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name)
