"""What every template can use: locale, large type, role, points formatting."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from webapp.core.period_choices import period_label
from webapp.labels import (
    AUDIT_ACTION_NAMES,
    AUDIT_TOPIC_NAMES,
    BALANCE_NAMES,
    BASIS_NAMES,
    ENTRY_STATUS_NAMES,
    FLAG_NAMES,
    KIND_NAMES,
    LINE_STATUS_NAMES,
    OBJECTION_STATUS_NAMES,
    PERIOD_KIND_NAMES,
    PUBLIC_ITEM_KIND_NAMES,
    PUBLICATION_STATUS_NAMES,
    ROLE_NAMES,
)
from webapp.people.domain.access import home_role
from webapp.points.domain.statement import format_points


def init_app(app: Flask) -> None:
    app.jinja_env.filters["points"] = format_points
    app.jinja_env.filters["tr"] = translate_problem
    app.jinja_env.filters["where"] = problem_place
    app.jinja_env.globals["period_label"] = period_label
    app.jinja_env.filters["runs"] = runs
    app.jinja_env.globals["board_url"] = board_url

    @app.context_processor
    def shell_context() -> dict[str, Any]:
        role = home_role(current_user.domain_grants()) if current_user.is_authenticated else None
        return {
            "locale": str(get_locale()),
            "large_type": request.cookies.get("large_type") == "1",
            "demo_mode": app.config.get("DEMO_MODE", False),
            "home_role": role,
            "role_names": ROLE_NAMES,
            "kind_names": KIND_NAMES,
            "line_status_names": LINE_STATUS_NAMES,
            "balance_names": BALANCE_NAMES,
            "basis_names": BASIS_NAMES,
            "period_kind_names": PERIOD_KIND_NAMES,
            "entry_status_names": ENTRY_STATUS_NAMES,
            "flag_names": FLAG_NAMES,
            "publication_status_names": PUBLICATION_STATUS_NAMES,
            "objection_status_names": OBJECTION_STATUS_NAMES,
            "public_item_kind_names": PUBLIC_ITEM_KIND_NAMES,
            "audit_topic_names": AUDIT_TOPIC_NAMES,
            "audit_action_names": AUDIT_ACTION_NAMES,
        }


def translate_problem(problem: Any) -> str:
    """A domain or service problem (msgid + params) in the user's language."""
    params = dict(getattr(problem, "params", {}) or {})
    return _(problem.msgid, **params)


def problem_place(problem: Any) -> str:
    """Where a problem is: a spreadsheet row and column, or a place in a YAML file."""
    row, column = getattr(problem, "row", None), getattr(problem, "column", None)
    if row is not None:
        return _("row %(row)s, column %(column)s", row=row, column=column) if column else _("row %(row)s", row=row)
    line, path = getattr(problem, "line", None), getattr(problem, "path", "")
    if line is not None:
        return _("line %(line)s", line=line) + (f" · {path}" if path else "")
    return path or ""


def runs(items: Any, attribute: str) -> list[tuple[Any, list[Any]]]:
    """Group consecutive items by an attribute, keeping their order (Jinja's groupby sorts)."""
    from itertools import groupby
    from operator import attrgetter

    return [(key, list(group)) for key, group in groupby(items, key=attrgetter(attribute))]


def board_url(village_code: str, period: str) -> str:
    """The public notice board of one publication."""
    from flask import url_for

    return url_for("board.show", vcode=village_code, period=period)
