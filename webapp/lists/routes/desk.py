"""The service desk (帮办代办) and disclosure posts: admin pages that name households."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.periods import Period
from webapp.lists.domain.lists import MATTER_STATES, actions_from
from webapp.lists.routes.blueprint import attachment_folder, bp, posted_date, posted_files
from webapp.lists.services import (
    attachments,
    disclosures,
    service_desk as desk,
)
from webapp.people.domain.access import ADMINS, DESK_READERS
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services.villages import managed_villages
from webapp.web.guards import role_required
from webapp.web.htmx import render

# --- service desk (names households: admins of the village only) ----------------------------------

@bp.route("/admin/desk", methods=["GET", "POST"])
@role_required(*DESK_READERS)  # the auditor (村务监督委员会) reads the log; every write asks managed_village
def desk_index():
    village = chosen_village(readable=request.method == "GET")
    can_write = village is not None and village in managed_villages(current_user)
    if village is not None and request.method == "POST":
        matter = desk.register(
            village, request.form.get("household", ""), request.form.get("item", type=int),
            posted_date("received_on") or date.today(), request.form.get("handler", ""), request.form.get("notes", ""),
            posted_date("due_on"), current_user.id)
        return redirect(url_for("lists.desk_matter", matter_id=matter.id))
    if village is not None and request.args.get("view") == "summary":
        month = request.args.get("month") or Period.of_date("month", date.today()).key
        return render("lists/desk_summary.html", village=village, month=month,
                      summary=desk.summary(village, month))
    args = {k: request.args.get(k, "") for k in ("status", "q", "month")}
    rows = desk.matters(village, date.today(), *args.values()) if village else []
    return render("lists/desk.html", block="results", village=village, villages=managed_villages(current_user),
                  rows=rows, args=args, states=MATTER_STATES, can_write=can_write,
                  items=desk.desk_items(village, date.today()) if village else [])


@bp.route("/admin/desk/<int:matter_id>", methods=["GET", "POST"])
@role_required(*DESK_READERS)
def desk_matter(matter_id: int):
    matter = desk.matter_for(current_user, matter_id, readable=request.method == "GET")
    can_write = matter.village_id in {v.id for v in managed_villages(current_user)}
    if request.method == "POST" and request.form.get("action") == "attach":
        attachments.attach_all(posted_files(), matter.village_id, current_user.id, root=attachment_folder(),
                               matter_id=matter.id)
        flash(_("The files were attached."), "info")
        return redirect(url_for("lists.desk_matter", matter_id=matter_id))
    if request.method == "POST":
        desk.transition(matter, request.form.get("action", ""), posted_date("on") or date.today(),
                        request.form.get("reason", ""), request.form.get("note", ""), current_user.id)
        flash(_("The matter was updated."), "info")
        return redirect(url_for("lists.desk_matter", matter_id=matter_id))
    return render("lists/desk_matter.html", matter=matter, actions=actions_from(matter.status) if can_write else (),
                  can_write=can_write)


# --- disclosures: admin ---------------------------------------------------------------------------

@bp.route("/admin/disclosures", methods=["GET", "POST"])
@role_required(*ADMINS)
def admin_disclosures():
    """Posts of the village; posting publishes one, or (with post=ID) attaches more files to it."""
    village = chosen_village()
    if village is not None and request.method == "POST":
        if request.form.get("post"):
            post = disclosures.managed_post(current_user, request.form.get("post", 0, type=int))
            disclosures.add_files(post, posted_files(), current_user.id, root=attachment_folder())
            flash(_("The files were attached."), "info")
        else:
            disclosures.post(village, request.form.get("category", ""), request.form.get("title", ""),
                             request.form.get("body", ""), posted_date("published_on"), posted_files(), current_user.id,
                             attachment_folder())
            flash(_("The post was published."), "info")
        return redirect(url_for("lists.admin_disclosures", village=village.id))
    return render("lists/admin_disclosures.html", village=village, villages=managed_villages(current_user),
                  posts=disclosures.all_posts(village) if village else [],
                  max_mb=attachments.MAX_BYTES // (1024 * 1024))
