"""Walking every route of the app: the demo town as the world, a real value for each path parameter,
and the demo accounts to walk as. Used by the security-header and bad-input tests."""

from __future__ import annotations

import hashlib
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
    def first(query):  # noqa: ANN001, ANN202
        return db.session.scalars(query.limit(1)).first()
    duty_list = first(select(DutyList).where(DutyList.village_id.is_not(None)).order_by(DutyList.id))
    village = db.session.get(Village, duty_list.village_id)
    version = first(select(ListVersion).where(ListVersion.list_id == duty_list.id).order_by(ListVersion.number))
    item = first(select(ListItem).where(ListItem.version_id == version.id))
    publication = first(select(Publication).where(Publication.village_id == village.id)) or first(select(Publication))
    values = {
        "vcode": village.code, "lcode": duty_list.code, "icode": item.code, "number": version.number,
        "tcode": village.town.code,
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
        if hasattr(converter, "items"):  # <any(a, b):x>: the choice the values name, or its first
            arguments[name] = values[name] if values.get(name) in converter.items else min(converter.items)
        elif ints is not None and type(converter).__name__.endswith("IntegerConverter"):
            arguments[name] = ints
        elif name in values:
            arguments[name] = values[name]
        elif type(converter).__name__.endswith("IntegerConverter"):
            arguments[name] = 1  # an id the world has no value for yet: some row, or none
        else:
            arguments[name] = {"action": "in", "public_id": "x", "sha256": "0" * 64}.get(name, "x")
    built = rule.build(arguments, append_unknown=False)
    assert built is not None, rule
    return built[1]


def as_everyone(client) -> Iterator[tuple[str, str]]:
    """Log the client in as each demo account in turn (and first as nobody); yield (who, CSRF token)."""
    def page() -> str:
        return client.get("/home", follow_redirects=True).get_data(as_text=True)
    yield "anonymous", csrf_token(page())
    for role, username, password in DEMO_ACCOUNTS:
        Auth(client).login(username, password)
        token = csrf_token(page())
        yield role, token
        client.post("/logout", data={"csrf_token": token})


def village_values(values: dict[str, object], village_code: str) -> dict[str, object]:
    """The world's values, with every object of one village of it: a household (and a member, a freeze), a
    recorded entry and inspection, a publication and an objection, a receipt, a review group, a photo, a device
    of one of its users. Walking the routes with two villages' values tells one's scope from the other's."""
    from webapp.fieldwork.models import Device
    from webapp.people.models.geo import Village
    from webapp.people.models.household import Household, Member
    from webapp.people.models.user import RoleGrant
    from webapp.photos.models import EntryPhoto
    from webapp.points.models.entry import Entry, Freeze, Inspection
    from webapp.publication.models import Objection, Publication
    from webapp.review.models import ReviewGroup
    from webapp.store.models import Redemption

    village = db.session.scalar(select(Village).where(Village.code == village_code))
    def first(query):  # noqa: ANN001, ANN202
        return db.session.scalars(query.limit(1)).first()
    def in_village(model):  # noqa: ANN001, ANN202
        return first(select(model).where(model.village_id == village.id).order_by(model.id))
    household = first(select(Household).where(Household.village_id == village.id).order_by(Household.code))
    mine = select(Household.id).where(Household.village_id == village.id)
    def recorded(model):  # noqa: ANN001, ANN202
        return first(select(model).where(model.village_id == village.id, model.status == "recorded")
                     .order_by(model.id)) or in_village(model)
    publication = in_village(Publication)
    found = {
        "vcode": village.code, "village_id": village.id, "code": household.code, "household_id": household.id,
        "member_id": _id(first(select(Member).where(Member.household_id == household.id))),
        "freeze_id": _id(first(select(Freeze).where(Freeze.household_id.in_(mine)))),
        "entry_id": _id(recorded(Entry)), "inspection_id": _id(recorded(Inspection)),
        "publication_id": _id(publication), "period": publication.period if publication else values["period"],
        "objection_id": _id(first(select(Objection).join(Publication, Publication.id == Objection.publication_id)
                                         .where(Publication.village_id == village.id))),
        "receipt_no": (in_village(Redemption) or Redemption(receipt_no="none")).receipt_no,
        "group_id": _id(in_village(ReviewGroup)),
        "photo_id": first(select(EntryPhoto.photo_id).join(Entry, Entry.id == EntryPhoto.entry_id).where(Entry.village_id == village.id,
                                                                        EntryPhoto.photo_id.is_not(None))) or 1,
    }
    device = first(select(Device).join(RoleGrant, RoleGrant.user_id == Device.user_id)
                   .where(RoleGrant.village_id == village.id))
    if device is not None:
        found["public_id"] = str(device.public_id)
    return {**values, **found}


WRITES = ("POST", "PUT", "PATCH", "DELETE")
REFUSED = {401, 403, 404, 405}


def fingerprint() -> dict[str, str]:
    """Every table's rows, hashed: equal before and after means nothing was written."""
    db.session.rollback()
    found = {}
    for table in db.metadata.sorted_tables:
        rows = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        found[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    db.session.rollback()
    return found


def to_login(answer) -> bool:
    return answer.status_code in (302, 303) and "/login" in answer.headers.get("Location", "")


def write_form(values: dict[str, object], token: str) -> dict[str, object]:
    """A plausible form for any write: the village's ids, a period, an action, a reason, a quantity."""
    from webapp.store.models import Store

    store_id = db.session.scalar(select(Store.id).order_by(Store.id))
    return {"csrf_token": token, "village": values["village_id"], "store": store_id, "period": values["period"],
            "household": values["household_id"], "code": values["code"], "action": "approve", "reason": "看看",
            "answer": "看看", "quantity": "1", "counted": "1", "price": "1", "name": "看看", "pin": "",
            "notice_days": "7", "model": values["household_id"], "honour": values["household_id"],
            "granted": "1", "item": "J2", "note": "看看", "member": values["member_id"], "change": "item"}


def every_url_for_rule(app: Flask, rule: Rule, values: dict[str, object]) -> list[str]:
    """The rule's URL for each choice of its `<any(…)>` parts (one URL when it has none)."""
    urls = [url_for_rule(app, rule, values)]
    for name, converter in rule._converters.items():
        if hasattr(converter, "items"):
            urls = [url_for_rule(app, rule, {**values, name: item}) for item in sorted(converter.items)]
    return urls


OWN_PREFERENCES = {"prefs.language", "prefs.large_type"}  # a cookie of the user's own, never the database


def writes_not_refused(app: Flask, client, villages, token: str, session: set[str]) -> tuple[list[tuple], int]:
    """Every method but GET on every route (except `session`'s), with each village's values: the answers
    that were not a refusal (401, 403, 404, 405 or the login page), and how many requests were walked."""
    wrong, walked = [], 0
    for values in villages:
        for method in WRITES:
            for rule in rules(app, method):
                if rule.endpoint in session:
                    continue
                url = url_for_rule(app, rule, values)
                answer = client.open(url, method=method, data=write_form(values, token),
                                     query_string={"village": values["village_id"]})
                walked += 1
                refused = answer.status_code in REFUSED or to_login(answer)
                if rule.endpoint in OWN_PREFERENCES:
                    refused = answer.status_code < 500
                if not refused:
                    wrong.append((method, url, answer.status_code, answer.headers.get("Location")))
    return wrong, walked


def reads_wrongly(app: Flask, client, mine: dict[str, object], readable: set[str], skip: set[str],
                  any_household) -> tuple[list[tuple], list[str]]:
    """GET of every route with the reader's own village: the readable pages (less `skip`) that did not
    answer 200, and the other pages, not public, that answered 200 with a household code in them."""
    public = set()
    for rule in rules(app):
        with app.test_client() as anonymous:
            if anonymous.get(url_for_rule(app, rule, mine)).status_code == 200:
                public.add(rule.endpoint)
    not_read, opened = [], []
    for rule in rules(app):
        url = url_for_rule(app, rule, mine)
        answer = client.get(url, query_string={"village": mine["village_id"]})
        if rule.endpoint in readable and rule.endpoint not in skip and answer.status_code != 200:
            not_read.append((url, answer.status_code))
        if answer.status_code == 200 and rule.endpoint not in readable and rule.endpoint not in public \
                and any_household.search(answer.get_data(as_text=True)):
            opened.append(url)
    return not_read, opened


def other_village_leaks(app: Flask, client, other: dict[str, object], readable: set[str], one_village: set[str],
                        their_codes) -> tuple[list[tuple], list[str]]:
    """GET of the readable routes with the other village's values: the one-village pages not refused (403,
    404), and the list pages that show one of its household codes."""
    opened, shown = [], []
    for rule in rules(app):
        if rule.endpoint not in readable:
            continue
        answer = client.get(url_for_rule(app, rule, other), query_string={"village": other["village_id"]})
        if rule.endpoint in one_village:
            if answer.status_code not in (403, 404):
                opened.append((rule.rule, answer.status_code))
        elif answer.mimetype.startswith(("text/", "application/json")) and their_codes.search(answer.get_data(True)):
            shown.append(rule.rule)
    return opened, shown
