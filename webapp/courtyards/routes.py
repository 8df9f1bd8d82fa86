"""Courtyard star ratings: rounds, the rating form, review (issue 13)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("courtyards", __name__, url_prefix="/courtyards")
