"""The case library (典型案例库) (issue 13)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
