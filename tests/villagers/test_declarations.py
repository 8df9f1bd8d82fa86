"""Self-declaration (个人申报): a household declares an annual item with evidence; it waits for review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from tests.data.photos.make_photos import gps_jpeg, text_as_jpeg
from tests.refusals import refused
from tests.worlds.photos import small_jpeg
from webapp.core.periods import Period
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.processing import PhotoRefused
from webapp.photos.services.storage import photo_store
from webapp.points.models.entry import Entry
from webapp.points.services.schemes import timeline, version_rules
from webapp.villagers.services.declarations import declarable_items, declarations, declare
from webapp.villagers.services.household_points import household_points


def _store():  # noqa: ANN202
    """The test app's photo store (services are handed it)."""
    return photo_store(current_app.config)

TODAY = date(2026, 3, 15)


@pytest.fixture
def world(make):
    v = make.village(code="YF")
    version = make.scheme(v)
    zhang = make.household(v, "张三丰", code="YF0001")
    li = make.household(v, "李四", code="YF0002")
    return {
        "village": v, "version": version, "zhang": zhang, "li": li,
        "home": make.user("villager", household_id=zhang.id),
        "neighbour": make.user("villager", household_id=li.id),
        "admin": make.user("village_admin", village_id=v.id),
    }


def counts() -> tuple[int, ...]:
    """Entries, photos, photo links, and files in the photo store."""
    rows = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Entry, Photo, EntryPhoto))
    return rows + (sum(1 for p in Path(current_app.config["DATA_DIR"]).rglob("*.jpg")),)


def test_the_declarable_items_are_the_annual_bonuses(world):
    """Fengsheng: J6–J9 are credited at year end (J6–J8 once a year, J9 per event); nothing else."""
    rules = timeline(world["village"].id).rules_for_month(2026, 3)
    assert [i.code for i in declarable_items(rules)] == ["J6", "J7", "J8", "J9"]
    assert declarable_items(version_rules(world["version"])) == declarable_items(rules)


def test_declaring_j6_records_a_self_declared_entry_with_its_photo(world):
    """Recorded by the household's account, flagged self_declared, today, quantity 1, the photo linked."""
    entry = declare(world["home"], world["zhang"], "J6", "流转了5亩地给合作社", [("land.jpg", gps_jpeg())], TODAY, store=_store())
    assert entry.status == "recorded" and entry.flags == ["self_declared"]
    assert entry.recorded_by_id == world["home"].id and entry.household_id == world["zhang"].id
    assert entry.occurred_on == TODAY and entry.member_id is None and entry.quantity == 1
    assert entry.item.code == "J6" and entry.scheme_version_id == world["version"].id
    assert entry.note == "流转了5亩地给合作社"
    slot = db.session.scalar(select(EntryPhoto).where(EntryPhoto.entry_id == entry.id))
    assert slot.client_uuid == entry.client_uuid and slot.item_code == "" and slot.photo_id is not None
    assert [d.photo_ids for d in declarations(world["zhang"], 2026)] == [(slot.photo_id,)]
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "entry.declare"))
    assert audit.object_id == entry.id and audit.actor_id == world["home"].id


def test_a_declaration_counts_for_nothing_until_approved(world):
    """J6 (20, credited in December) adds 0 to the year while recorded, 20 once approved."""
    entry = declare(world["home"], world["zhang"], "J6", "", [("land.jpg", small_jpeg())], TODAY, store=_store())
    year = Period.whole_year(2026)
    assert household_points(world["zhang"], year, date(2027, 1, 5)).statement.bonus == 0
    entry.status = "approved"
    db.session.flush()
    assert household_points(world["zhang"], year, date(2027, 1, 5)).statement.bonus == 20


def test_an_item_that_is_not_annual_is_refused(world):
    """J1 (per event, evidence required) is recorded by grid workers, not declared; nothing is written."""
    before = counts()
    with refused("%(item)s cannot be declared by a household; only annual bonus items can.") as caught:
        declare(world["home"], world["zhang"], "J1", "", [("a.jpg", small_jpeg())], TODAY, store=_store())
    assert caught.value.params == {"item": "J1"}
    with refused("%(item)s cannot be declared by a household; only annual bonus items can."):
        declare(world["home"], world["zhang"], "K1", "", [], TODAY, store=_store())
    assert counts() == before


def test_an_upload_that_is_not_a_photo_is_refused_with_nothing_written(world):
    """A text file named .jpg, even next to a good photo: no entry, no photo, no file in the store."""
    before = counts()
    with refused("This file is not a JPEG, PNG or WebP photo, or it is damaged.", PhotoRefused):
        declare(world["home"], world["zhang"], "J6", "", [("ok.jpg", small_jpeg()), ("x.jpg", text_as_jpeg())], TODAY, store=_store())
    assert counts() == before


def test_another_household_cannot_declare_for_this_one(world):
    """Only the household's own villager account declares for it; staff do not either."""
    for who in ("neighbour", "admin"):
        with refused("No such household.", NotFound):
            declare(world[who], world["zhang"], "J6", "", [("a.jpg", small_jpeg())], TODAY, store=_store())
    assert counts()[0] == 0


def test_a_second_declaration_of_the_item_in_the_same_year_is_refused(world):
    """J6 again while the first waits (or counts) is refused; after a rejection it may be declared again."""
    first = declare(world["home"], world["zhang"], "J6", "", [], TODAY, store=_store())
    with refused("You have already declared %(item)s this year."):
        declare(world["home"], world["zhang"], "J6", "", [], date(2026, 5, 1))
    first.status = "rejected"
    db.session.flush()
    declare(world["home"], world["zhang"], "J6", "", [], date(2026, 5, 1))
    declare(world["home"], world["zhang"], "J6", "", [], date(2027, 1, 3))  # a new year
    declare(world["home"], world["zhang"], "J7", "", [], TODAY, store=_store())  # another item


def test_the_same_photo_is_stored_once(world):
    """Two declarations with the same picture share one Photo row (by the upload's SHA-256)."""
    data = small_jpeg((10, 200, 10))
    declare(world["home"], world["zhang"], "J6", "", [("a.jpg", data), ("again.jpg", data)], TODAY, store=_store())
    declare(world["home"], world["zhang"], "J7", "", [("a.jpg", data)], TODAY, store=_store())
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    assert db.session.scalar(select(func.count()).select_from(EntryPhoto)) == 2


def test_evidence_required_needs_a_photo(world):
    """An annual item marked evidence: required is refused without a photo, with a clear message."""
    text = (world["version"].source_text
            .replace("{code: J7, points: 10, per: year,", "{code: J7, points: 10, per: year, evidence: required,"))
    from webapp.points.services.schemes import import_scheme

    import_scheme(world["village"], text, effective_from=date(2026, 1, 1))
    with refused("%(item)s needs a photo as evidence."):
        declare(world["home"], world["zhang"], "J7", "", [("", b"")], TODAY, store=_store())  # an empty file input
    assert declare(world["home"], world["zhang"], "J7", "", [("a.jpg", small_jpeg())], TODAY, store=_store()).item.evidence == "required"
