"""The town admin's pages: the first run, villages with their groups and grids (filled in by issue 11)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("town", __name__, url_prefix="/town")
