"""Walking every route of the app: the demo town as the world, a real value for each path parameter,
and the demo accounts to walk as. Used by the security-header and bad-input tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.worlds.pages import Auth, csrf_token
from webapp.demo.accounts import DEMO_ACCOUNTS
from webapp.extensions import db

SKIPPED = {"static"}  # files, not pages
# Query and form names the routes read as numbers (`type=int`): given huge values in the walk.
INT_PARAMETERS = ("village", "group", "grid", "store", "product", "page", "scorer", "before", "number", "household",
                  "item", "post", "town", "member", "entry", "notice_days")


def demo_town() -> dict[str, object]:
    """Seed the demo town (committed) and return a real value for each path parameter name."""
    from webapp.demo.seed import seed_demo
    from webapp.lists.models import Attachment, Disclosure, DutyList, ListItem, ListVersion, ServiceMatter
    from webapp.people.models.geo import Village
    from webapp.people.models.household import Household
    from webapp.photos.models import Photo
    from webapp.publication.models import Publication
    from webapp.store.models import Redemption

    seed_demo(date.today())
    db.session.commit()
    first = lambda query: db.session.scalars(query.limit(1)).first()
    duty_list = first(select(DutyList).where(DutyList.village_id.is_not(None)).order_by(DutyList.id))
    village = db.session.get(Village, duty_list.village_id)
    version = first(select(ListVersion).where(ListVersion.list_id == duty_list.id).order_by(ListVersion.number))
    item = first(select(ListItem).where(ListItem.version_id == version.id))
    publication = first(select(Publication).where(Publication.village_id == village.id)) or first(select(Publication))
    values = {
        "vcode": village.code, "lcode": duty_list.code, "icode": item.code, "number": version.number,
        "list_id": duty_list.id, "version_id": version.id, "item_id": item.id,
        "matter_id": _id(first(select(ServiceMatter))), "post_id": _id(first(select(Disclosure))),
        "attachment_id": _id(first(select(Attachment))), "photo_id": _id(first(select(Photo))),
        "publication_id": _id(publication), "period": publication.period if publication else "2026-01",
        "code": first(select(Household).where(Household.village_id == village.id).order_by(Household.code)).code,
        "receipt_no": (first(select(Redemption)) or Redemption(receipt_no="none")).receipt_no,
    }
    db.session.commit()
    return values


def _id(row: object) -> int:
    return row.id if row is not None else 1  # type: ignore[attr-defined]


def rules(app: Flask, method: str = "GET") -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint not in SKIPPED]


def url_for_rule(app: Flask, rule: Rule, values: dict[str, object], ints: object = None) -> str:
    """The rule's URL with the world's values (every `<int:…>` set to `ints` when given)."""
    arguments = {}
    for name, converter in rule._converters.items():
        if hasattr(converter, "items"):  # <any(a, b):x>: its first choice
            arguments[name] = min(converter.items)
        elif ints is not None and type(converter).__name__.endswith("IntegerConverter"):
            arguments[name] = ints
        elif name in values:
            arguments[name] = values[name]
        else:
            arguments[name] = {"action": "in", "public_id": "x", "sha256": "0" * 64}.get(name, "x")
    built = rule.build(arguments, append_unknown=False)
    assert built is not None, rule
    return built[1]


def as_everyone(client) -> Iterator[tuple[str, str]]:
    """Log the client in as each demo account in turn (and first as nobody); yield (who, CSRF token)."""
    page = lambda: client.get("/home", follow_redirects=True).get_data(as_text=True)
    yield "anonymous", csrf_token(page())
    for role, username, password in DEMO_ACCOUNTS:
        Auth(client).login(username, password)
        token = csrf_token(page())
        yield role, token
        client.post("/logout", data={"csrf_token": token})
