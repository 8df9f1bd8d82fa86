"""Three-affairs disclosure (三务公开): dated public posts on party, village and financial affairs.

A post is public from its date; the archive groups posts by month, newest first.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from pathlib import Path

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.lists.domain.lists import DISCLOSURE_CATEGORIES
from webapp.lists.models import Disclosure
from webapp.lists.services.attachments import attach_all
from webapp.lists.services.service_desk import month_bounds
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.villages import managed_village

CATEGORY_CODES = tuple(code for code, _name in DISCLOSURE_CATEGORIES)


def post(village: Village, category: str, title: str, body: str, published_on: date | None,
         files: list[tuple[str, bytes]] | None = None, actor_id: int | None = None,
         root: Path | None = None) -> Disclosure:
    """Publish a post with its attachments (all checked before anything is written)."""
    if category not in CATEGORY_CODES:
        raise Refusal(N_("Choose party, village or financial affairs."))
    if not title.strip():
        raise Refusal(N_("Give the post a title."))
    if published_on is None:
        raise Refusal(N_("Give the date of the post."))
    disclosure = Disclosure(village_id=village.id, category=category, title=title.strip()[:200],
                            body=body.strip(), published_on=published_on, created_by_id=actor_id)
    db.session.add(disclosure)
    db.session.flush()
    attach_all(files or [], village.id, actor_id, root=root, disclosure_id=disclosure.id)
    record(actor_id, "disclosure.post", "disclosure", disclosure.id, village_id=village.id, category=category)
    db.session.expire(disclosure, ["attachments"])
    return disclosure


def add_files(disclosure: Disclosure, files: list[tuple[str, bytes]], actor_id: int | None = None, *,
              root: Path) -> None:
    """Attach more files to a post (stored under `root`)."""
    if not files:
        raise Refusal(N_("Choose a file to upload."))
    attach_all(files, disclosure.village_id, actor_id, root=root, disclosure_id=disclosure.id)
    db.session.expire(disclosure, ["attachments"])


def managed_post(user: User, disclosure_id: int) -> Disclosure:
    disclosure = db.session.get(Disclosure, disclosure_id)
    if disclosure is None:
        raise NotFound(N_("Not found."))
    managed_village(user, disclosure.village_id)
    return disclosure


def public_posts(village: Village, today: date, category: str = "", month: str = "") -> list[Disclosure]:
    """Posts whose date has come, newest first; by category and month (YYYY-MM) when asked."""
    stmt = select(Disclosure).where(Disclosure.village_id == village.id, Disclosure.published_on <= today)
    if category in CATEGORY_CODES:
        stmt = stmt.where(Disclosure.category == category)
    if month:
        first, last = month_bounds(month)
        stmt = stmt.where(Disclosure.published_on.between(first, last))
    return list(db.session.scalars(stmt.order_by(Disclosure.published_on.desc(), Disclosure.id.desc())))


def by_month(posts: list[Disclosure]) -> OrderedDict[str, list[Disclosure]]:
    """The archive: posts grouped under their YYYY-MM month, in the order given."""
    months: OrderedDict[str, list[Disclosure]] = OrderedDict()
    for item in posts:
        months.setdefault(Period.of_date("month", item.published_on).key, []).append(item)
    return months


def public_post(village: Village, disclosure_id: int, today: date) -> Disclosure:
    disclosure = db.session.get(Disclosure, disclosure_id)
    if disclosure is None or disclosure.village_id != village.id or disclosure.published_on > today:
        raise NotFound(N_("Not found."))
    return disclosure


def all_posts(village: Village) -> list[Disclosure]:
    """Every post of the village, including those dated in the future (for its admins)."""
    return list(db.session.scalars(select(Disclosure).where(Disclosure.village_id == village.id)
                                   .order_by(Disclosure.published_on.desc(), Disclosure.id.desc())))
