"""Staff and roles: accounts, bulk import, password resets, deactivation (filled in by issue 11)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/admin/staff")
