"""(being written)"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("publications", __name__, url_prefix="/admin/publications")
