"""Evidence before approval, through the service (issue 14): an item that needs evidence is approved
only with an UPLOADED photo — for entries and for inspections — and a photo the phone listed but
never uploaded (its slot still empty) is not evidence.

Rules: fengsheng, where J1 needs a photo; for inspections B1 (庭院“三不见”) is made to need one.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.factories import RULES
from tests.worlds.photos import attach, stored_photo
from webapp.extensions import db
from webapp.photos.models import EntryPhoto
from webapp.points.services.schemes import import_scheme
from webapp.review.services.decisions import ReviewRefused, review_entry, review_inspection

MARCH = date(2026, 3, 12)
NEEDS_PHOTO = "This item needs a photo as evidence before it can be approved"


@pytest.fixture
def yf(make):
    village = make.village()
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    text = text.replace("{code: B1, points: 6, default: met,", "{code: B1, points: 6, default: met, evidence: required,")
    version, _ = import_scheme(village, text, effective_from=date(2020, 1, 1))
    home = make.household(village, "张三")
    reviewer = make.user("reviewer", village_id=village.id)
    return {"version": version, "home": home, "reviewer": reviewer}


def listed_only(entry=None, inspection=None, item_code: str = "") -> None:
    """A photo the phone listed in what it sent, whose upload never arrived."""
    owner = entry or inspection
    db.session.add(EntryPhoto(client_uuid=owner.client_uuid or uuid.uuid4(), entry_id=entry.id if entry else None,
                              inspection_id=inspection.id if inspection else None, item_code=item_code,
                              upload_sha256=uuid.uuid4().hex * 2, photo_id=None))
    db.session.flush()


def test_a_photo_the_phone_listed_but_never_uploaded_is_no_evidence_for_an_entry(yf, make):
    entry = make.entry(yf["home"], yf["version"], "J1", MARCH, status="recorded")
    listed_only(entry=entry)
    with pytest.raises(ReviewRefused, match=NEEDS_PHOTO):
        review_entry(yf["reviewer"], entry.id, "approve")
    assert entry.status == "recorded"
    attach(stored_photo(), entry=entry)
    assert review_entry(yf["reviewer"], entry.id, "approve").status == "approved"


def test_an_inspection_whose_item_needs_evidence_is_not_approved_without_its_photo(yf, make):
    """B1 met, no photo: refused, approve and adjust alike; still recorded."""
    inspection = make.inspection(yf["home"], yf["version"], "2026-03", status="recorded")
    with pytest.raises(ReviewRefused, match=NEEDS_PHOTO):
        review_inspection(yf["reviewer"], inspection.id, "approve")
    with pytest.raises(ReviewRefused, match=NEEDS_PHOTO):
        review_inspection(yf["reviewer"], inspection.id, "adjust", "改", met={"B2": False})
    assert inspection.status == "recorded"


def test_a_listed_photo_or_a_photo_of_the_whole_inspection_is_no_evidence_for_its_item(yf, make):
    """B1's slot listed but empty, and an uploaded photo not of B1: refused; B1's uploaded photo: approved."""
    inspection = make.inspection(yf["home"], yf["version"], "2026-03", status="recorded")
    listed_only(inspection=inspection, item_code="B1")
    attach(stored_photo(), inspection=inspection, item_code="")
    attach(stored_photo(), inspection=inspection, item_code="B2")
    with pytest.raises(ReviewRefused, match=NEEDS_PHOTO):
        review_inspection(yf["reviewer"], inspection.id, "approve")

    attach(stored_photo(), inspection=inspection, item_code="B1")
    assert review_inspection(yf["reviewer"], inspection.id, "approve").status == "approved"


def test_an_item_not_met_needs_no_photo(yf, make):
    """Evidence is for points earned: B1 not met earns nothing and needs no photo."""
    inspection = make.inspection(yf["home"], yf["version"], "2026-03", not_met=("B1",), status="recorded")
    assert review_inspection(yf["reviewer"], inspection.id, "approve").status == "approved"
