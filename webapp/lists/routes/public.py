"""Public list pages: lists, items with their one-map (一张图), disclosures and their attachments."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, make_response, redirect, request
from flask_login import current_user

from webapp.lists.routes.blueprint import attachment_folder, bp
from webapp.lists.services import (
    attachments,
    catalog,
    disclosures,
    versions,
)
from webapp.lists.services.charts import item_chart
from webapp.web.htmx import render

# --- public pages ---------------------------------------------------------------------------------

@bp.get("/v/<vcode>/lists")
@bp.get("/v", defaults={"vcode": None})
def public_index(vcode: str | None):
    """The villages (/v), or a village's lists in force with a search over their items."""
    if vcode is None:
        return render("lists/villages.html", villages=catalog.public_villages())
    village = catalog.public_village(vcode)
    q = request.args.get("q", "").strip()
    return render("lists/public_index.html", block="results", village=village, q=q,
                  found=catalog.public_lists(village, date.today()), hits=catalog.search(village, q, date.today()))


def _public(vcode: str, lcode: str, number: int | None):
    village = catalog.public_village(vcode)
    return village, catalog.public_version(village, lcode, number, date.today())


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
    item = catalog.public_item(found, icode)
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
    village = catalog.public_village(vcode)
    if post_id is not None:
        post = disclosures.public_post(village, post_id, date.today())
        return render("lists/disclosure.html", village=village, post=post)
    category, month = request.args.get("category", ""), request.args.get("month", "")
    posts = disclosures.public_posts(village, date.today(), category, month)
    template = "lists/disclosures_print.html" if request.args.get("print") else "lists/disclosures.html"
    return render(template, village=village, months=disclosures.by_month(posts), category=category, month=month)


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    """Only the type found by content; never sniffed, never run; PDFs download, pictures show inline."""
    row = attachments.visible_attachment(current_user, attachment_id, date.today())  # first: else 404
    store, cache = attachment_folder(), "private, max-age=3600"
    if request.if_none_match.contains(row.sha256):  # the browser has it: the store need not be asked
        response = make_response("", 304)
    elif link := attachments.presigned_link(row, store):  # JIFEN_S3_PRESIGNED=1: a 60-second link
        response, cache = redirect(link, 302), "private, no-store"
    else:  # streamed through the app from disk or the bucket
        try:
            blob = attachments.open_blob(row, store)
        except FileNotFoundError:
            abort(404)
        response = Response(blob.chunks, mimetype=row.content_type, direct_passthrough=True)
        response.content_length = blob.size
        response.headers["Content-Disposition"] = attachments.disposition(row)
    response.headers.update({"X-Content-Type-Options": "nosniff", "Cache-Control": cache,
                             "Content-Security-Policy": "default-src 'none'; sandbox"})
    response.set_etag(row.sha256)
    return response
