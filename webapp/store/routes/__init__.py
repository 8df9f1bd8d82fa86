"""The points store (积分超市)'s pages: the counter and reservations, receipts and returns, stock and
reports, household cards. One blueprint; a module per page group."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("store", __name__, url_prefix="/store")

from webapp.store.routes import cards, counter, receipts, reservations, stock  # noqa: F401 - their routes
