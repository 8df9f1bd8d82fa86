"""Closing a period freezes its ranking; late entries wait for the next publication; published
snapshots and their hashes never change; objections are answered with corrections."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.refusals import refused
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.models.entry import Entry
from webapp.points.services.points import computed_ranking
from webapp.publication.domain.publication import snapshot_hash
from webapp.publication.models import Objection, Publication
from webapp.publication.services import objections, publications
from webapp.publication.services.query import period_is_closed
from webapp.review.services.decisions import review_entry

MARCH, APRIL = Period.month(2026, 3), Period.month(2026, 4)


@pytest.fixture
def yf(make):
    """油房村 under the Fengsheng rules: three households inspected in March and April.

    March: 张三 65 (defaults) + J2 0.5 = 65.5; 李四 65 − 6 (B1 not met) = 59; 王五 65."""
    village = make.village(code="YF")
    version = make.scheme(village)
    group = make.group(village, "一组")
    homes = {name: make.household(village, name, code=code, group=group, phone="13800001111")
             for name, code in (("张三", "YF0001"), ("李四", "YF0002"), ("王五", "YF0003"))}
    for period in ("2026-03", "2026-04"):
        make.inspection(homes["张三"], version, period)
        make.inspection(homes["李四"], version, period, not_met=("B1",) if period == "2026-03" else ())
        make.inspection(homes["王五"], version, period)
    make.entry(homes["张三"], version, "J2", date(2026, 3, 12))
    admin = make.user("village_admin", "cunweihui", village_id=village.id)
    reviewer = make.user("reviewer", "pingyi", village_id=village.id)
    scorer = make.user("village_admin", "wangge", village_id=village.id)
    villager = make.user("villager", "YF0002", household_id=homes["李四"].id)
    return {"village": village, "version": version, "homes": homes, "admin": admin, "reviewer": reviewer,
            "scorer": scorer, "villager": villager}


def rows_of(publication: Publication) -> list[tuple[str, int, str]]:
    return [(row["name"], row["rank"], row["points"]) for row in publication.frozen["rows"]]


def close_and_publish(yf, period: Period, today: date) -> Publication:
    publication = publications.close_period(yf["admin"], yf["village"], period, today)
    return publications.publish(yf["admin"], publication, today)  # with the proposed model households


def test_closing_a_month_freezes_its_ranking(yf, make):
    """The frozen ranking is the month's totals at close; later approvals do not move it."""
    publication = publications.close_period(yf["admin"], yf["village"], MARCH, date(2026, 4, 3))
    assert rows_of(publication) == [("张三", 1, "65.5"), ("王五", 2, "65"), ("李四", 3, "59")]
    late = make.entry(yf["homes"]["李四"], yf["version"], "J4", date(2026, 3, 20), status="recorded",
                      recorded_by_id=yf["scorer"].id)
    review_entry(yf["reviewer"], late.id, "approve")
    _, scores = computed_ranking(yf["village"].id, MARCH)
    assert scores[yf["homes"]["李四"].id] == Decimal(60)  # the live figure moved …
    db.session.refresh(publication)
    assert rows_of(publication)[2] == ("李四", 3, "59")  # … the closed month did not


def test_a_late_entry_is_not_in_the_closed_month_and_waits_for_the_next_publication(yf, make):
    """An entry approved after its month closed is flagged late and appears in the next publication."""
    march = close_and_publish(yf, MARCH, date(2026, 4, 3))
    assert period_is_closed(yf["village"].id, "2026-03") and not period_is_closed(yf["village"].id, "2026-04")
    late = make.entry(yf["homes"]["李四"], yf["version"], "J4", date(2026, 3, 20), status="recorded",
                      recorded_by_id=yf["scorer"].id)
    review_entry(yf["reviewer"], late.id, "approve")
    assert late.publication_id is None and late.status == "approved"
    assert "J4" not in march.snapshot
    april = publications.close_period(yf["admin"], yf["village"], APRIL, date(2026, 5, 2))
    assert late.publication_id == april.id and late.status == "published"
    [carried] = april.frozen["carried"]
    assert (carried["name"], carried["period"], carried["item"], carried["points"], carried["kind"]) == (
        "李四", "2026-03", "J4", "1", "late")
    # The March entries were claimed by March, not carried again.
    assert db.session.scalar(select(Entry.publication_id).where(Entry.item_id == late.item_id,
                                                                Entry.id != late.id)) is None


def test_publishing_fixes_the_snapshot_and_its_hash(yf):
    """The hash is the SHA-256 of the stored canonical snapshot, which shows names and points only."""
    march = close_and_publish(yf, MARCH, date(2026, 4, 3))
    assert march.status == "notice" and march.sha256 == snapshot_hash(march.snapshot)
    assert (march.notice_starts_on, march.notice_ends_on) == (date(2026, 4, 3), date(2026, 4, 9))  # 7 days
    snapshot = json.loads(march.snapshot)
    assert [(r["rank"], r["name"], r["group"], r["points"]) for r in snapshot["ranking"]] == [
        (1, "张三", "一组", "65.5"), (2, "王五", "一组", "65"), (3, "李四", "一组", "59")]
    assert "13800001111" not in march.snapshot and "YF0001" not in march.snapshot
    with refused("This cannot be done now (state: %(state)s).") as caught:
        publications.publish(yf["admin"], march, date(2026, 4, 4))
    assert caught.value.params == {"state": "notice"}


def test_an_upheld_objection_makes_a_correction_that_appears_in_the_next_publication(yf):
    """李四 objects to B1; upheld with a correction: the March snapshot and hash stay; April lists it."""
    march = close_and_publish(yf, MARCH, date(2026, 4, 3))
    text, digest = march.snapshot, march.sha256
    objection = objections.file_objection(yf["villager"], march, yf["homes"]["李四"].id,
                                          "我家院子当天已经打扫干净了", date(2026, 4, 5))
    correction = objections.Correction(met={"B1": True})
    objections.answer_objection(yf["admin"], objection, "uphold", "复查属实，庭院整洁", correction)
    assert objection.status == "upheld" and objection.correction_inspection_id is not None
    _, scores = computed_ranking(yf["village"].id, MARCH)
    assert scores[yf["homes"]["李四"].id] == Decimal(65)
    db.session.refresh(march)
    assert (march.snapshot, march.sha256) == (text, digest) and snapshot_hash(march.snapshot) == digest
    april = close_and_publish(yf, APRIL, date(2026, 5, 2))
    snapshot = json.loads(april.snapshot)
    assert snapshot["objections"] == [{"name": "李四", "group": "一组", "period": "2026-03", "outcome": "upheld",
                                       "points": ""}]
    [carried] = snapshot["late_and_corrections"]
    assert (carried["name"], carried["period"], carried["points"], carried["kind"]) == (
        "李四", "2026-03", "65", "correction")
    assert db.session.get(Objection, objection.id).listed_in_id == april.id


def test_an_upheld_objection_on_an_item_adds_a_signed_correction_entry(yf):
    """Upholding 'the J2 of 张三 never happened' takes its 0.5 back with a −1 correction entry."""
    march = close_and_publish(yf, MARCH, date(2026, 4, 3))
    j2 = db.session.scalar(select(Entry).where(Entry.household_id == yf["homes"]["张三"].id))
    objection = objections.file_objection(yf["villager"], march, yf["homes"]["张三"].id,
                                          "那天他没有参加志愿服务", date(2026, 4, 4))
    objections.answer_objection(yf["admin"], objection, "uphold", "核实无此事",
                                objections.Correction(quantity=Decimal(-1), entry_id=j2.id))
    correction = db.session.get(Entry, objection.correction_entry_id)
    assert (correction.quantity, correction.corrects_entry_id, correction.flags) == (Decimal(-1), j2.id, ["correction"])
    assert computed_ranking(yf["village"].id, MARCH)[1][yf["homes"]["张三"].id] == Decimal(65)


def test_objections_are_refused_outside_the_notice_window_and_without_a_reason_to_answer(yf):
    """No objection after the notice ends; no answer without a reason."""
    march = close_and_publish(yf, MARCH, date(2026, 4, 3))
    with refused("Objections can be filed only while the public notice is open."):
        objections.file_objection(yf["villager"], march, yf["homes"]["李四"].id, "太晚了但是有问题", date(2026, 4, 10))
    objection = objections.file_objection(yf["villager"], march, yf["homes"]["李四"].id, "分数不对请核实", date(2026, 4, 9))
    with refused("Write the committee's answer (the reason)."):
        objections.answer_objection(yf["admin"], objection, "dismiss", "  ")
    objections.answer_objection(yf["admin"], objection, "dismiss", "经核实评分无误")
    with refused("This cannot be done now (state: %(state)s).") as caught:
        objections.answer_objection(yf["admin"], objection, "uphold", "again")
    assert caught.value.params == {"state": "dismissed"}


def test_results_become_final_after_the_notice_once_every_objection_is_answered(yf):
    """Finalising waits for the end of the notice and for the answers."""
    march = close_and_publish(yf, MARCH, date(2026, 4, 3))
    objection = objections.file_objection(yf["villager"], march, yf["homes"]["李四"].id, "分数不对请核实", date(2026, 4, 4))
    with refused("The public notice runs until %(day)s; results become final after it."):
        publications.finalise(yf["admin"], march, date(2026, 4, 9))
    with refused("%(count)s objections still wait for an answer."):
        publications.finalise(yf["admin"], march, date(2026, 4, 10))
    objections.answer_objection(yf["admin"], objection, "dismiss", "经核实评分无误")
    assert publications.finalise_due(date(2026, 4, 10)) == [march]
    assert march.status == "final"
    assert set(db.session.scalars(select(Entry.status).where(Entry.publication_id == march.id))) == {"final"}


def test_a_month_cannot_close_before_it_ends_or_twice(yf):
    """March closes from 1 April, once."""
    with refused("%(period)s has not ended yet; it can be closed from %(day)s."):
        publications.close_period(yf["admin"], yf["village"], MARCH, date(2026, 3, 31))
    publications.close_period(yf["admin"], yf["village"], MARCH, date(2026, 4, 1))
    with refused("%(period)s is already closed."):
        publications.close_period(yf["admin"], yf["village"], MARCH, date(2026, 4, 2))
    with refused("This village's rules do not publish results by %(kind)s."):  # Fengsheng: months and years
        publications.close_period(yf["admin"], yf["village"], Period.quarter(2026, 1), date(2026, 4, 2))
