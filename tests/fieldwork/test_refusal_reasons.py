"""Refusal reasons, as the worker reads them on the phone: each says what to do next, in Chinese."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from sync.messages import REASONS
from tests.worlds.fieldwork import NOW, inspection
from webapp.extensions import db
from webapp.fieldwork.services.ingest import ingest_batch

ZH = Path(__file__).resolve().parents[2] / "webapp" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"

# What each refusal tells the worker to do next (the English msgid, then the Chinese the phone shows).
NEXT_STEP = {
    "already_inspected": ("record an event", "请记一条事件"),
    "outside_grid": ("Ask the village administrator", "联系"),
    "unknown_item": ("current rules", "现行规则"),
    "inspection_item": ("inspection", "入户评分"),
    "period_over": ("current month", "本月"),
    "period_not_begun": ("Check the phone's date", "检查手机日期"),
    "bad_time": ("check the phone's date", "检查手机日期"),
    "no_rules": ("Ask the village administrator", "联系"),
}


def test_every_refusal_reason_is_translated_and_says_what_to_do_next():
    with ZH.open("rb") as po:
        catalog = read_po(po)
    for code, msgid in REASONS.items():
        message = catalog.get(msgid)
        assert message is not None and message.string and not message.fuzzy, code
        if code in NEXT_STEP:
            english, chinese = NEXT_STEP[code]
            assert english in msgid and chinese in message.string, code


def test_a_second_inspection_is_refused_with_the_advice_to_record_an_event(world, app):
    """The worker who inspects a household twice in a month is told to record an event instead."""
    first = inspection(world, household="YF0001", period="2026-12", occurred_at="2026-12-02T09:00:00+08:00")
    again = dict(first, uuid="6f1c1c1e-0000-4000-8000-000000000001")
    with app.test_request_context(headers={"Cookie": "lang=zh_CN"}):
        results = ingest_batch(world["scorer"], world["device"], {"protocol": 1, "items": [first, again]},
                               now=NOW)["results"]
    db.session.commit()
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert results[1]["code"] == "already_inspected"
    assert results[1]["reason"] == "这户2026-12已评过；如需加减分，请记一条事件。"
