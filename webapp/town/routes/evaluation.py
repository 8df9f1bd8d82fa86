"""Village evaluation (行政村积分评价) (issue 13)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/town/evaluation")
