"""Village admins see the phones that sync for their village's users, and revoke them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.fieldwork.services.devices import devices_for_admin, revoke_device
from webapp.people.domain.access import ADMINS
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("devices", __name__, url_prefix="/admin/devices")


@bp.get("")
@role_required(*ADMINS)
def index():
    return render("fieldwork/devices.html", devices=devices_for_admin(current_user))


@bp.post("/<public_id>/revoke")
@role_required(*ADMINS)
def revoke(public_id: str):
    device = revoke_device(current_user, public_id)
    flash(_("The phone %(name)s can no longer sync. Its user must log in on it again.",
            name=device.name or str(device.public_id)[:8]), "info")
    return redirect(url_for("devices.index"))
