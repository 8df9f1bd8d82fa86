"""(being written)"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review_groups", __name__, url_prefix="/admin/review-groups")
