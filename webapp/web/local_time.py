"""Times as the village reads them: every `*_at` column stores UTC without tzinfo; a page shows it in the
village's (and town's) time zone, `TIMEZONE` (Asia/Shanghai), through the `localtime` filter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def zone() -> ZoneInfo:
    """The villages' time zone (the app's TIMEZONE setting)."""
    name = current_app.config.get("TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name or DEFAULT_ZONE)


def to_local(value: datetime) -> datetime:
    """A stored datetime (naive means UTC) in the villages' time zone, without tzinfo."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone()).replace(tzinfo=None)


def localtime(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`{{ e.at|localtime }}` → "2026-11-03 20:15" in Asia/Shanghai; `|localtime('%Y-%m-%d')` for its day.
    A date (no time) is shown as it is; None as the empty string."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.strftime(fmt if "%H" not in fmt else "%Y-%m-%d")
    return to_local(value).strftime(fmt)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = localtime
