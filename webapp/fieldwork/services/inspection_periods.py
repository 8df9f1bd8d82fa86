"""Which periods an inspection form offers: the previous one until the rules' scoring deadline
(Fengsheng's `scoring_deadline_day: 3`, "可在次月3日前完成评分工作"), then only the current one.

The same rule runs three times: here for the page the server renders (and the no-JS form), in
fieldwork/scoring.js on the phone (offline, from the bootstrap's `scoring_deadline_day`), and in
sync's apply, which judges an arriving inspection by the day it was recorded, not the day it syncs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sync.periods import inspection_window, open_periods
from webapp.points.domain.scheme import SchemeRules


def offered_periods(rules: SchemeRules | None, day: date) -> dict[str, dict[str, Any]]:
    """Per kind of inspection in the rules: the periods a form filled in on `day` may be for (the
    previous one first while it is open) and the last day of the previous one (None when closed)."""
    if rules is None:
        return {}
    deadline = rules.policies.scoring_deadline_day
    offered: dict[str, dict[str, Any]] = {}
    for kind in rules.inspection_kinds:
        periods = open_periods(kind, day, deadline)
        until = inspection_window(periods[0], deadline)[1].isoformat() if len(periods) > 1 else None
        offered[kind] = {"periods": periods, "until": until}
    return offered


def period_for(rules: SchemeRules | None, kind: str, day: date, wanted: str | None) -> str:
    """The period a posted form is for: the one chosen when it is open on `day`, else the current one."""
    periods = open_periods(kind, day, rules.policies.scoring_deadline_day if rules is not None else None)
    return wanted if wanted in periods else periods[-1]
