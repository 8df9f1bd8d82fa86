"""The village an admin page acts on, from `?village=` (or the form's village field)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from webapp.core.refusal import NotFound
from webapp.people.models.geo import Village
from webapp.people.services.villages import managed_village, readable_village


def chosen_village(readable: bool = False) -> Village | None:
    """The village the page acts on; None when the user manages several and has not chosen.
    Naming a village the user does not manage is 404: its existence is not theirs to learn.
    `readable`: a read-only page, which a village's 包村干部 may also open."""
    asked = request.values.get("village", type=int)
    try:
        return (readable_village if readable else managed_village)(current_user, asked)
    except NotFound:
        if asked is not None:
            raise  # 404, by the edge (web/transaction.py)
        return None
