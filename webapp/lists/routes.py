"""Lists (清单制): public pages (lists, items with their one-map, disclosures) and the admin pages
(versions and their adoption, templates, import/export, the service desk, disclosure posts)."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, make_response, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.web.guards import role_required
from webapp.lists.domain.lists import DISCLOSURE_CATEGORIES, LIST_KINDS, MATTER_STATES, actions_from
from webapp.extensions import db
from webapp.web.htmx import render
from webapp.lists.schemas import load_item_form
from webapp.lists.services import (
    attachments, disclosures, catalog, import_export as lists_io, service_desk as desk,
)
from webapp.lists.services import templates as lists_templates, versions
from webapp.core.refusal import NotFound, Refusal
from webapp.lists.services.charts import days_text, item_chart, qr_svg
from webapp.people.services.villages import managed_village, managed_villages

bp = Blueprint("lists", __name__)
ADMINS = ("village_admin", "town_admin")


@bp.context_processor
def _helpers():
    return {"item_chart": item_chart, "qr_svg": qr_svg, "days_text": days_text, "time_limit": versions.time_limit,
            "list_kinds": LIST_KINDS, "disclosure_categories": dict(DISCLOSURE_CATEGORIES), "today": date.today(),
            "in_force": catalog.in_force}


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.values.get(name, ""))
    except ValueError:
        return None


def _found(call, *args):
    """A service lookup, or 404 (a village, list or matter the asker may not know of), or 400 (a bad month)."""
    try:
        return call(*args)
    except NotFound:
        abort(404)
    except Refusal:
        abort(400)


def _act(call, then: str, ok: str | None = None):
    """Run one service call: commit and say so, or roll back and show the refusal; then go to `then`."""
    try:
        result = call()
    except Refusal as error:
        db.session.rollback()
        flash(error.translated(), "error")
        return redirect(then), None
    db.session.commit()
    if ok:
        flash(ok, "info")
    return redirect(then), result


def _files() -> list[tuple[str, bytes]]:
    return [(f.filename or "", f.read()) for f in request.files.getlist("files") if f and f.filename]


# --- public pages ---------------------------------------------------------------------------------

@bp.get("/v/<vcode>/lists")
@bp.get("/v", defaults={"vcode": None})
def public_index(vcode: str | None):
    """The villages (/v), or a village's lists in force with a search over their items."""
    if vcode is None:
        return render("lists/villages.html", villages=catalog.public_villages())
    village = _found(catalog.public_village, vcode)
    q = request.args.get("q", "").strip()
    return render("lists/public_index.html", block="results", village=village, q=q,
                  found=catalog.public_lists(village, date.today()), hits=catalog.search(village, q, date.today()))


def _public(vcode: str, lcode: str, number: int | None):
    village = _found(catalog.public_village, vcode)
    return village, _found(catalog.public_version, village, lcode, number, date.today())


@bp.get("/v/<vcode>/lists/<lcode>/v<int:number>/print", defaults={"booklet": True})
@bp.get("/v/<vcode>/lists/<lcode>/print", defaults={"number": None, "booklet": True})
@bp.get("/v/<vcode>/lists/<lcode>/v<int:number>", defaults={"booklet": False})
@bp.get("/v/<vcode>/lists/<lcode>", defaults={"number": None, "booklet": False})  # registered first: url_for's default
def public_list(vcode: str, lcode: str, number: int | None, booklet: bool):
    """A list (the version in force, or version N for ever); /print is the booklet, one item per page."""
    village, found = _public(vcode, lcode, number)
    history = [r for r in versions.history(found.duty_list, date.today()) if r.state != "draft"]
    return render("lists/booklet.html" if booklet else "lists/public_list.html", village=village, found=found,
                  number=number, history=history)


@bp.get("/v/<vcode>/lists/<lcode>/v<int:number>/items/<icode>/chart.svg", defaults={"svg": True})
@bp.get("/v/<vcode>/lists/<lcode>/items/<icode>/chart.svg", defaults={"number": None, "svg": True})
@bp.get("/v/<vcode>/lists/<lcode>/v<int:number>/items/<icode>", defaults={"svg": False})
@bp.get("/v/<vcode>/lists/<lcode>/items/<icode>", defaults={"number": None, "svg": False})
def public_item(vcode: str, lcode: str, icode: str, number: int | None, svg: bool):
    """An item with its one-map; chart.svg is the chart alone (to download and print for the wall)."""
    village, found = _public(vcode, lcode, number)
    item = _found(catalog.public_item, found, icode)
    if not svg:
        return render("lists/public_item.html", village=village, found=found, item=item, number=number)
    response = make_response(str(item_chart(item)))
    response.mimetype = "image/svg+xml"
    response.headers.update({"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; "
                             "style-src 'unsafe-inline'"})  # opened on its own, the chart can run nothing
    return response


@bp.get("/v/<vcode>/disclosures/<int:post_id>")
@bp.get("/v/<vcode>/disclosures", defaults={"post_id": None})
def public_disclosures(vcode: str, post_id: int | None):
    """The archive by month (?category, ?month, ?print=1 for the notice board), or one post."""
    village = _found(catalog.public_village, vcode)
    if post_id is not None:
        post = _found(disclosures.public_post, village, post_id, date.today())
        return render("lists/disclosure.html", village=village, post=post)
    category, month = request.args.get("category", ""), request.args.get("month", "")
    posts = _found(disclosures.public_posts, village, date.today(), category, month)
    template = "lists/disclosures_print.html" if request.args.get("print") else "lists/disclosures.html"
    return render(template, village=village, months=disclosures.by_month(posts), category=category, month=month)


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    """Only the type found by content; never sniffed, never run; PDFs download, pictures show inline."""
    row = _found(attachments.visible_attachment, current_user, attachment_id, date.today())
    response = send_file(io.BytesIO(attachments.read_blob(row)), mimetype=row.content_type,
                         as_attachment=row.content_type == "application/pdf",
                         download_name=row.filename, etag=row.sha256, max_age=3600)
    response.headers.update({"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"})
    response.cache_control.private = True
    return response


# --- lists: admin ---------------------------------------------------------------------------------

def _village():
    asked = request.values.get("village", type=int)
    try:
        return managed_village(current_user, asked)
    except NotFound:
        if asked is not None:
            abort(404)
        return None


@bp.route("/admin/lists", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_index():
    """The village's lists and the town's templates; posting creates a list, or (with a file) imports lists."""
    village, towns, problems = _village(), catalog.managed_towns(current_user), []
    if request.method == "POST":
        town = next((t for t in towns if t.id == request.form.get("town", type=int)), None)
        if town is None and village is None:
            abort(404)
        owner, upload = ((town, None) if town else (village.town, village)), request.files.get("file")
        if upload is None:
            back, made = _act(lambda: catalog.create_list(*owner, request.form.get("kind", ""), request.form.get(
                "name", ""), request.form.get("code", ""), current_user.id), request.url)
            return redirect(url_for("lists.admin_list", list_id=made.id)) if made else back
        try:
            done = lists_io.import_lists(*owner, lists_io.read_lists_file(upload.read()), current_user.id,
                                         note=_("Imported from %(file)s", file=upload.filename or ""))
        except lists_io.ListImportError as error:
            db.session.rollback()
            flash(error.translated(), "error")
            problems = error.problems
        else:
            db.session.commit()
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
    duty_list = _found(catalog.managed_list, current_user, list_id)
    villages = [v for v in managed_villages(current_user) if v.town_id == duty_list.town_id]
    if request.method == "POST" and request.form.get("action") == "hand_out":
        chosen = [v for v in villages if str(v.id) in request.form.getlist("villages")]
        back, result = _act(lambda: lists_templates.hand_out(
            duty_list, chosen, date.today(), current_user.id, _("From the town template %(code)s", code=duty_list.code)),
            request.url)
        if result:
            flash(_("Drafts given to %(given)s villages; %(skipped)s skipped (a draft is already open there).",
                    given=len(result.drafts), skipped=len(result.skipped)), "info")
        return back
    if request.method == "POST":
        back, draft = _act(lambda: versions.start_draft(duty_list, current_user.id, request.form.get("note", "")),
                           request.url)
        return redirect(url_for("lists.admin_version", version_id=draft.id)) if draft else back
    return render("lists/admin_list.html", duty_list=duty_list, history=versions.history(duty_list, date.today()),
                  draft=versions.open_draft(duty_list), villages=villages)


@bp.route("/admin/lists/versions/<int:version_id>", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_version(version_id: int):
    """A version's items; posting adopts the draft (meeting date, decision, in force from)."""
    version = _found(catalog.managed_version, current_user, version_id)
    if request.method == "POST":
        return _act(lambda: versions.adopt(version, _date("meeting_on"), request.form.get("decision", ""),
                                           _date("effective_from"), current_user.id),
                    request.url, _("The version was adopted."))[0]
    return render("lists/admin_version.html", version=version, duty_list=version.duty_list)


@bp.route("/admin/lists/versions/<int:version_id>/items/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/admin/lists/items/<int:item_id>", methods=["GET", "POST"], defaults={"version_id": None})
@role_required(*ADMINS)
def edit_item(version_id: int | None, item_id: int | None):
    item = _found(catalog.managed_item, current_user, item_id) if item_id else None
    version = item.version if item else _found(catalog.managed_version, current_user, version_id)
    errors = {}
    if request.method == "POST":
        data, errors = load_item_form(request.form)
        if data is not None:
            back, saved = _act(lambda: versions.save_item(version, data, item, current_user.id),
                               request.url, _("The item was saved."))
            return redirect(url_for("lists.admin_version", version_id=version.id) + f"#item-{saved.id}") if saved else back
    return render("lists/admin_item.html", version=version, item=item, errors=errors, form=request.form,
                  status=422 if errors else 200)


@bp.post("/admin/lists/items/<int:item_id>/<any(delete, up, down):action>")
@role_required(*ADMINS)
def change_item(item_id: int, action: str):
    item = _found(catalog.managed_item, current_user, item_id)
    version_id = item.version_id
    call = (lambda: versions.delete_item(item, current_user.id)) if action == "delete" else \
        (lambda: versions.move_item(item, -1 if action == "up" else 1))
    return _act(call, url_for("lists.admin_version", version_id=version_id))[0]


@bp.get("/admin/lists/<int:list_id>/export.<any(yaml, xlsx):fmt>")
@bp.get("/admin/lists/export.<any(yaml, xlsx):fmt>", defaults={"list_id": None})
@role_required(*ADMINS)
def export(fmt: str, list_id: int | None):
    """One list (?number=N, else the version in force), or every list in force of a village."""
    if list_id is not None:
        duty_list = _found(catalog.managed_list, current_user, list_id)
        chosen = [(duty_list, catalog.chosen_version(duty_list, request.args.get("number", type=int), date.today()))]
    else:
        chosen = [(d, catalog.in_force(d, date.today())) for d in catalog.village_lists(_village() or abort(404))]
    entries = [(d, v) for d, v in chosen if v is not None] or abort(404)
    body, mimetype, name = lists_io.export_file(fmt, entries)
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name)


# --- service desk (names households: admins of the village only) ----------------------------------

@bp.route("/admin/desk", methods=["GET", "POST"])
@role_required(*ADMINS)
def desk_index():
    village = _village()
    if village is not None and request.method == "POST":
        back, matter = _act(lambda: desk.register(
            village, request.form.get("household", ""), request.form.get("item", type=int),
            _date("received_on") or date.today(), request.form.get("handler", ""), request.form.get("notes", ""),
            _date("due_on"), current_user.id), url_for("lists.desk_index", village=village.id))
        return redirect(url_for("lists.desk_matter", matter_id=matter.id)) if matter else back
    if village is not None and request.args.get("view") == "summary":
        month = request.args.get("month") or date.today().strftime("%Y-%m")
        return render("lists/desk_summary.html", village=village, month=month,
                      summary=_found(desk.summary, village, month))
    args = {k: request.args.get(k, "") for k in ("status", "q", "month")}
    rows = _found(desk.matters, village, date.today(), *args.values()) if village else []
    return render("lists/desk.html", block="results", village=village, villages=managed_villages(current_user),
                  rows=rows, args=args, states=MATTER_STATES,
                  items=desk.desk_items(village, date.today()) if village else [])


@bp.route("/admin/desk/<int:matter_id>", methods=["GET", "POST"])
@role_required(*ADMINS)
def desk_matter(matter_id: int):
    matter = _found(desk.matter_for, current_user, matter_id)
    here = url_for("lists.desk_matter", matter_id=matter_id)
    if request.method == "POST" and request.form.get("action") == "attach":
        return _act(lambda: attachments.attach_all(_files(), matter.village_id, current_user.id, matter_id=matter.id),
                    here, _("The files were attached."))[0]
    if request.method == "POST":
        return _act(lambda: desk.transition(matter, request.form.get("action", ""), _date("on") or date.today(),
                                            request.form.get("reason", ""), request.form.get("note", ""),
                                            current_user.id), here, _("The matter was updated."))[0]
    return render("lists/desk_matter.html", matter=matter, actions=actions_from(matter.status))


# --- disclosures: admin ---------------------------------------------------------------------------

@bp.route("/admin/disclosures", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_disclosures():
    """Posts of the village; posting publishes one, or (with post=ID) attaches more files to it."""
    village = _village()
    if village is not None and request.method == "POST":
        here = url_for("lists.admin_disclosures", village=village.id)
        if request.form.get("post"):
            post = _found(disclosures.managed_post, current_user, request.form.get("post", type=int))
            return _act(lambda: disclosures.add_files(post, _files(), current_user.id), here,
                        _("The files were attached."))[0]
        return _act(lambda: disclosures.post(
            village, request.form.get("category", ""), request.form.get("title", ""), request.form.get("body", ""),
            _date("published_on"), _files(), current_user.id), here, _("The post was published."))[0]
    return render("lists/admin_disclosures.html", village=village, villages=managed_villages(current_user),
                  posts=disclosures.all_posts(village) if village else [],
                  max_mb=attachments.MAX_BYTES // (1024 * 1024))
