"""(being written)"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("photos", __name__, url_prefix="/photos")
