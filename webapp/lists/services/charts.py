"""The one-map of an item (its flow as SVG, worded in the reader's language) and QR codes for print."""

from __future__ import annotations

from flask_babel import gettext as _, ngettext
from markupsafe import Markup

from webapp.core.qr_codes import qr_svg
from webapp.lists.domain.flowchart import FlowChart, FlowStep, render_svg
from webapp.lists.models import ListItem
from webapp.lists.services.versions import time_limit


def days_text(days: int | None) -> str:
    """A time limit in words: 当日 for 0 days, N 日内 otherwise; nothing without a limit."""
    if days is None:
        return ""
    if days == 0:
        return _("the same day")
    return ngettext("within %(num)d day", "within %(num)d days", days)


def item_chart(item: ListItem, prefix: str = "flow") -> Markup:
    """The item's one-map: title, time limit, numbered steps (who, what, how long), supervision."""
    limit = time_limit(item)
    footer = []
    if item.supervisor or item.supervision:
        footer.append(_("Supervision: %(text)s", text="，".join(filter(None, (item.supervisor, item.supervision)))))
    if item.guide:
        footer.append(_("Guiding unit: %(unit)s", unit=item.guide))
    chart = FlowChart(
        title=item.name,
        subtitle=_("Time limit: %(limit)s", limit=days_text(limit)) if limit is not None else "",
        steps=[FlowStep(s.actor, s.action, days_text(s.days)) for s in item.steps],
        start=_("Start") if item.steps else "",
        end=_("Done") if item.steps else "",
        footer=footer,
    )
    return Markup(render_svg(chart, prefix=prefix))  # built with ElementTree, which escapes every text


__all__ = ["days_text", "item_chart", "qr_svg"]
