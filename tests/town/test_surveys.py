"""Satisfaction surveys (满意度测评): the pure rules (state table, answer checks, tallies) and the services
(a household answers once, only while the survey is open to its village; results count without names)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.refusals import refused
from tests.worlds.town.surveys import answers, survey_town
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.town.domain import surveys as rules
from webapp.town.models.surveys import SurveyResponse
from webapp.town.services import survey_results, surveys as service

DAY = date(2026, 12, 3)
SCALE = rules.Question(1, rules.SCALE, "满意吗？")
CHOICE = rules.Question(2, rules.CHOICE, "关心什么？", ("环境", "治安"))
TEXT = rules.Question(3, rules.TEXT, "建议")


# --- the pure rules -------------------------------------------------------------------------------------

def test_the_state_table_goes_draft_open_closed_and_refuses_everything_else():
    assert rules.next_state("draft", "edit") == "draft"
    assert rules.next_state("draft", "open") == "open"
    assert rules.next_state("open", "close") == "closed"
    for state, action in [("draft", "close"), ("open", "open"), ("open", "edit"), ("closed", "open"),
                          ("closed", "edit"), ("closed", "close")]:
        with refused("The survey cannot be changed that way in its present state."):
            rules.next_state(state, action)


def test_a_single_choice_needs_two_distinct_options_and_other_kinds_take_none():
    assert rules.parse_options("choice", "环境\n 治安 \n环境\n\n") == ("环境", "治安")
    assert rules.parse_options("scale", "anything") == ()
    with refused("A single-choice question needs between 2 and %(n)s options, one per line."):
        rules.parse_options("choice", "只有一个")
    with refused("Unknown question kind %(kind)s."):
        rules.parse_options("essay", "")


def test_an_answer_set_must_answer_every_scale_and_choice_with_one_of_its_values():
    assert rules.check_answers([SCALE, CHOICE, TEXT], {1: "satisfied", 2: "治安", 3: "  路灯  "}) == \
        {1: "satisfied", 2: "治安", 3: "路灯"}
    assert rules.check_answers([SCALE, TEXT], {1: "dissatisfied", 3: " "}) == {1: "dissatisfied"}
    with refused("Please answer every question: %(prompt)s"):
        rules.check_answers([SCALE, CHOICE], {1: "satisfied"})
    with refused("That is not one of the answers to: %(prompt)s"):
        rules.check_answers([SCALE], {1: "very"})
    with refused("That is not one of the answers to: %(prompt)s"):
        rules.check_answers([CHOICE], {2: "服务"})
    with refused("A written answer is at most %(n)s characters."):
        rules.check_answers([TEXT], {3: "长" * 301})


def test_an_answer_is_refused_outside_the_window_in_a_draft_or_closed_survey_and_in_another_village():
    rules.check_may_answer("open", DAY, DAY, DAY, 7, {7, 8})
    with refused("This survey is not open to your village."):
        rules.check_may_answer("open", DAY, DAY, DAY, 9, {7, 8})
    with refused("This survey is not open yet."):
        rules.check_may_answer("draft", DAY, DAY, DAY, 7, {7})
    with refused("This survey is not open yet."):
        rules.check_may_answer("open", DAY, DAY, DAY - timedelta(days=1), 7, {7})
    with refused("This survey is closed."):
        rules.check_may_answer("closed", DAY, DAY, DAY, 7, {7})
    with refused("This survey is closed."):
        rules.check_may_answer("open", DAY, DAY, DAY + timedelta(days=1), 7, {7})


def test_tallies_count_each_value_with_percentages_of_those_who_answered_and_keep_texts():
    sets = [{1: "satisfied", 2: "环境", 3: "修路"}, {1: "satisfied", 2: "治安"}, {1: "dissatisfied", 2: "环境"}]
    scale, choice, text = rules.tally([SCALE, CHOICE, TEXT], sets)
    assert scale.rows() == [("satisfied", 2, Decimal("66.7")), ("fairly_satisfied", 0, Decimal("0.0")),
                            ("dissatisfied", 1, Decimal("33.3"))]
    assert choice.rows() == [("环境", 2, Decimal("66.7")), ("治安", 1, Decimal("33.3"))]
    assert text.texts == ["修路"] and text.responses == 3
    assert rules.satisfaction_rate([scale, choice, text]) == Decimal("66.7")
    assert rules.satisfaction_rate(rules.tally([TEXT], sets)) is None
    assert rules.tally([SCALE], [])[0].rows()[0] == ("satisfied", 0, Decimal("0.0"))


def test_the_bar_chart_is_plain_svg_with_escaped_labels_and_no_script():
    svg = rules.bar_chart_svg([("<b>满意</b>", 2, Decimal("66.7")), ("不满意", 1, Decimal("33.3"))], "题<1>")
    assert svg.startswith("<svg") and "<script" not in svg
    assert "&lt;b&gt;" in svg and "2 · 66.7%" in svg and "题&lt;1&gt;" in svg


# --- the services ---------------------------------------------------------------------------------------

def test_a_household_answers_once_and_a_second_answer_is_refused(make):
    w = survey_town(make)
    service.answer_survey(w["survey"], w["zhang"], answers(w), w["today"])
    with refused("Your household has already answered this survey. Each household answers once."):
        service.answer_survey(w["survey"], w["zhang"], answers(w, scale="dissatisfied"), w["today"])
    with refused("Your household has already answered this survey. Each household answers once."):
        service.answer_survey(w["survey"], w["zhang"], answers(w), w["today"], recorded_by=w["clerk"])
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1


def test_the_database_itself_refuses_a_second_response_of_a_household(make):
    w = survey_town(make)
    for _ in range(2):
        db.session.add(SurveyResponse(survey_id=w["survey"].id, village_id=w["yf"].id, household_id=w["zhang"].id,
                                      channel="phone", recorded_on=w["today"]))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_survey_not_opened_to_the_village_refuses_its_households(make):
    w = survey_town(make)
    with refused("This survey is not open to your village."):
        service.answer_survey(w["survey"], w["zhao"], answers(w), w["today"])
    assert service.open_surveys_for(w["zhao"], w["today"]) == []
    assert service.open_surveys_for(w["zhang"], w["today"]) == [(w["survey"], False)]


@pytest.mark.parametrize("status, msgid", [("draft", "This survey is not open yet."),
                                           ("closed", "This survey is closed.")])
def test_a_draft_or_closed_survey_refuses_an_answer(make, status, msgid):
    w = survey_town(make, status=status)
    with refused(msgid):
        service.answer_survey(w["survey"], w["zhang"], answers(w), w["today"])
    assert service.open_surveys_for(w["zhang"], w["today"]) == []


def test_an_open_survey_refuses_an_answer_after_its_last_day(make):
    w = survey_town(make)
    with refused("This survey is closed."):
        service.answer_survey(w["survey"], w["zhang"], answers(w), w["today"] + timedelta(days=11))


def test_an_open_survey_can_no_longer_be_edited_and_a_survey_opens_only_with_questions_and_villages(make):
    w = survey_town(make)
    with refused("The survey cannot be changed that way in its present state."):
        service.add_question(w["admin"], w["survey"], "text", "再问一个", "")
    empty = service.create_survey(w["admin"], "空", "", w["today"], w["today"], [w["yf"].id])
    with refused("Add at least one question before opening the survey."):
        service.change_state(w["admin"], empty, "open")
    with refused("Choose villages of your town."):
        service.create_survey(w["admin"], "别镇", "", w["today"], w["today"], [make.village().id])
    with refused("The survey must close on or after the day it opens."):
        service.create_survey(w["admin"], "倒着", "", w["today"], w["today"] - timedelta(days=1), [w["yf"].id])


def test_a_clerk_records_a_paper_answer_for_a_household_of_their_store_villages_only(make):
    w = survey_town(make)
    household = service.household_for_paper(w["clerk"], w["survey"], "yf0002")
    response = service.answer_survey(w["survey"], household, answers(w), w["today"], recorded_by=w["clerk"])
    assert (response.channel, response.recorded_by_id) == ("paper", w["clerk"].id)
    with refused("No household with code %(code)s in your villages.", NotFound):
        service.household_for_paper(w["clerk"], w["survey"], "WJ0001")


def test_results_count_per_village_and_question_with_percentages_and_texts_without_households(make):
    w = survey_town(make)
    service.answer_survey(w["survey"], w["zhang"], answers(w, "satisfied", "环境", "路灯不亮"), w["today"])
    service.answer_survey(w["survey"], w["li"], answers(w, "dissatisfied", "治安"), w["today"],
                          recorded_by=w["clerk"])
    service.answer_survey(w["survey"], w["wang"], answers(w, "fairly_satisfied", "环境", "多办活动"), w["today"])
    found = service.village_results(w["survey"].id)
    yf, wj = found[w["yf"].id], found[w["wj"].id]
    assert (yf["village"], yf["responses"], yf["paper"], yf["satisfaction"]) == ("油房村", 2, 1, Decimal("50.0"))
    assert yf["questions"][w["scale"].id] == {"satisfied": 1, "fairly_satisfied": 0, "dissatisfied": 1}
    assert yf["questions"][w["choice"].id] == {"环境": 1, "治安": 1, "服务": 0}
    assert (wj["responses"], wj["satisfaction"]) == (1, Decimal("100.0"))
    assert w["xc"].id not in found
    _per_village, total = survey_results.results(w["survey"], w["survey"].village_ids)
    assert total.responses == 3 and total.tallies[0].rows()[0] == ("satisfied", 1, Decimal("33.3"))
    assert [t.texts for t in total.tallies if t.question.kind == "text"] == [["多办活动", "路灯不亮"]]
    assert "household" not in repr(found) and "YF0001" not in repr(found) and "张三丰" not in repr(found)


def test_the_xlsx_holds_counts_and_percentages_per_village_and_texts_without_names(make):
    w = survey_town(make)
    service.answer_survey(w["survey"], w["zhang"], answers(w, "satisfied", "环境", "=HYPERLINK(\"x\")"), w["today"])
    body = survey_results.results_xlsx(w["survey"], w["survey"].village_ids, lambda s: s)
    book = load_workbook(BytesIO(body))
    rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert "丰盛镇" in rows[0][0] and "2026年满意度测评" in rows[0][0]
    assert ("油房村", "您对本村积分制工作满意吗？", "Satisfied", 1, 100.0) in rows
    assert ("王家村", "Answer sets", None, 0, None) in rows
    texts = [tuple(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert texts[1] == ("油房村", "您的意见和建议", "=HYPERLINK(\"x\")")
    everything = repr(rows) + repr(texts)
    assert "张三丰" not in everything and "YF0001" not in everything


def test_the_quarter_summary_lists_the_surveys_whose_window_meets_the_quarter(make):
    w = survey_town(make, today=date(2026, 12, 3))
    service.answer_survey(w["survey"], w["zhang"], answers(w), date(2026, 12, 3))
    summary = service.quarter_survey_summary(w["town"].id, "2026-Q4")
    assert [(s["title"], s["villages"][w["yf"].id]["responses"]) for s in summary] == [("2026年满意度测评", 1)]
    assert service.quarter_survey_summary(w["town"].id, "2026-Q3") == []
    assert service.quarter_survey_summary(w["town"].id, "2027-Q1") == []


def test_a_cadre_reads_results_of_their_villages_only_and_others_read_none(make):
    w = survey_town(make)
    _survey, villages = survey_results.readable_survey(w["cadre"], w["survey"].id)
    assert villages == {w["wj"].id}
    assert survey_results.readable_survey(w["admin"], w["survey"].id)[1] == {w["yf"].id, w["wj"].id}
    for user in (w["clerk"], w["users"]["zhang"]):
        with pytest.raises(Refusal):
            survey_results.readable_survey(user, w["survey"].id)
