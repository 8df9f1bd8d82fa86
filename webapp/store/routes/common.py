"""What the store's pages share: the store asked for, the user itself, the store picker."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from webapp.people.models.user import User
from webapp.store.services.scope import stores_for
from webapp.web.htmx import render


def store_id_asked() -> int | None:
    return request.values.get("store", type=int)


def the_user() -> User:
    """The user itself, not the proxy: a store write begins its own transaction (the lock) and keeps it."""
    return current_user._get_current_object()


def pick_store(endpoint: str) -> Response:
    """The user serves several stores and named none (or one not theirs): let them choose."""
    return render("store/pick_store.html", stores=stores_for(current_user), endpoint=endpoint)
