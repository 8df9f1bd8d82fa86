"""Satisfaction surveys (满意度测评) (issue 13)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
