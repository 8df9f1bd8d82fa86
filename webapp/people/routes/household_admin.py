"""Households on the page: add, edit, move, members and participation dates (filled in by issue 11)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("household_admin", __name__, url_prefix="/admin/households")
