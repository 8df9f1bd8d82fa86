"""A job's progress page (filled in by issue 11)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
