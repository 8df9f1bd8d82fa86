"""The lists blueprint and what its pages share: template helpers, posted dates and files, the attachment folder."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, request

from webapp.lists.domain.lists import DISCLOSURE_CATEGORIES, LIST_KINDS
from webapp.lists.services import (
    attachments,
    catalog,
    versions,
)
from webapp.lists.services.charts import days_text, item_chart, qr_svg

bp = Blueprint("lists", __name__)


def attachment_folder():  # noqa: ANN202
    """Where this app keeps attachment files (services take it as an argument)."""
    return attachments.attachment_root(current_app.config)


@bp.context_processor
def _helpers():
    return {"item_chart": item_chart, "qr_svg": qr_svg, "days_text": days_text, "time_limit": versions.time_limit,
            "list_kinds": LIST_KINDS, "disclosure_categories": dict(DISCLOSURE_CATEGORIES), "today": date.today(),
            "in_force": catalog.in_force}


def posted_date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.values.get(name, ""))
    except ValueError:
        return None


def posted_files() -> list[tuple[str, bytes]]:
    return [(f.filename or "", f.read()) for f in request.files.getlist("files") if f and f.filename]
