"""The audit trail reads as sentences with names: "张三 通过了 李四 户 2026-11 入户评分", never a database id, `None`
or a raw key, every time in the village's time zone."""

from __future__ import annotations

from datetime import date, datetime

from tests.worlds.pages import zh
from webapp.extensions import db
from webapp.people.domain.audit_sentences import GENERAL, WITH_HOUSEHOLD, Names, sentence
from webapp.people.models.audit import AuditEvent
from webapp.people.services.audit import record
from webapp.people.services.audit_log import lines


def test_an_inspection_decision_reads_with_the_reviewer_household_and_period(app):
    said = sentence("inspection.approve", {"household": "YF0002", "period": "2026-11", "status": "approved"},
                    Names(actor="张三", household="李四", period="2026-11"))
    assert zh(said.msgid, **said.params) == "张三 通过了 李四 户 2026-11 入户评分"


def test_a_rejection_keeps_its_reason_under_a_label_not_a_raw_key(app):
    said = sentence("entry.reject", {"household": "YF0002", "reason": "照片与事由不符", "status": "rejected"},
                    Names(actor="评议员老王", household="李四"))
    assert zh(said.msgid, **said.params) == "评议员老王 驳回了 李四 户的一条积分记录"
    assert [zh(msgid, text=text) for msgid, text in said.notes] == ["理由：照片与事由不符"]


def test_a_sentence_missing_a_name_falls_back_and_never_says_none():
    """An event whose household is gone reads "<actor> <what was done>", not "None 户"."""
    said = sentence("entry.approve", {"household": None, "reason": None}, Names(actor="张三"))
    assert said.msgid == GENERAL and said.action == "entry.approve" and said.notes == ()
    assert "None" not in repr(said.params)
    moved = sentence("household.move", {"before": {"grid_id": 3}}, Names(actor="张三", household="李四"))
    assert moved.msgid == WITH_HOUSEHOLD and moved.params == {"actor": "张三", "household": "李四"}


def test_the_trail_names_people_and_households_and_shows_local_time(client, auth, make):
    """An approval by a reviewer of 张三's household, stored at 12:34 UTC, reads as a sentence at 20:34 on the
    auditor's page, with no object id or raw detail key."""
    village = make.village()
    household = make.household(village, "张三")
    reviewer = make.user("reviewer", "pingyi", display_name="评议员老王", village_id=village.id)
    event = record(reviewer.id, "inspection.approve", "inspection", 4242, village_id=village.id,
                   household=household.code, period="2026-11", reason="", status="approved")
    event.at = datetime(2026, 12, 3, 12, 34)
    db.session.commit()
    [line] = lines([db.session.get(AuditEvent, event.id)])
    assert line.sentence.params == {"actor": "评议员老王", "household": "张三", "period": "2026-11"}
    make.user("auditor", "jiandu", village_id=village.id)
    auth.login("jiandu")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "评议员老王 通过了 张三 户 2026-11 入户评分" in page
    assert "2026-12-03 20:34" in page and "UTC" not in page
    assert "4242" not in page and "status=" not in page and "inspection " not in page
    assert date(2026, 12, 3).isoformat() in page
