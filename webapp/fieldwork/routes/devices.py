"""Village admins see the phones that sync for their village's users, and revoke them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.web.guards import role_required
from webapp.extensions import db
from webapp.web.htmx import render
from webapp.fieldwork.services.devices import devices_for_admin, revoke_device
from webapp.core.refusal import NotFound

bp = Blueprint("devices", __name__, url_prefix="/admin/devices")

ADMINS = ("village_admin", "town_admin")


@bp.get("")
@role_required(*ADMINS)
def index():
    return render("fieldwork/devices.html", devices=devices_for_admin(current_user))


@bp.post("/<public_id>/revoke")
@role_required(*ADMINS)
def revoke(public_id: str):
    try:
        device = revoke_device(current_user, public_id)
    except NotFound as error:
        db.session.rollback()
        abort(render("error.html", status=404, code=404, message=error.translated()))
    db.session.commit()
    flash(_("The phone %(name)s can no longer sync. Its user must log in on it again.",
            name=device.name or str(device.public_id)[:8]), "info")
    return redirect(url_for("devices.index"))
