"""A survey's results: counts and percentages per village and question, free text without names, the
.xlsx, and the quarter's summary for the town's quarterly report.

Nothing here reads a response's household: results are counted from answers and villages only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound
from webapp.core.spreadsheets import workbook_bytes
from webapp.extensions import db
from webapp.people.domain.access import Role, overseen_village_ids
from webapp.people.models.geo import Town, Village
from webapp.people.models.user import User
from webapp.town.domain import surveys as rules
from webapp.town.models.surveys import Survey, SurveyAnswer, SurveyResponse, SurveyVillage


def questions_of(survey: Survey) -> list[rules.Question]:
    return [rules.Question(q.id, q.kind, q.prompt, q.option_list) for q in survey.questions]


def result_village_ids(user: User, survey: Survey) -> set[int] | None:
    """The villages of a survey whose results this user reads: all of them for the town's admin, their own
    for a 包村干部 (None: the user reads none)."""
    grants = user.domain_grants()
    if any(g.role == Role.TOWN_ADMIN and g.town_id == survey.town_id for g in grants):
        return survey.village_ids
    mine = overseen_village_ids(grants) & survey.village_ids
    return set(mine) or None


def readable_surveys(user: User) -> list[Survey]:
    """The surveys a user reads results of: the town's, or those opened to a 包村干部's villages."""
    grants = user.domain_grants()
    towns = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    villages = overseen_village_ids(grants)
    query = select(Survey).outerjoin(SurveyVillage).where(
        Survey.town_id.in_(towns) | (SurveyVillage.village_id.in_(villages) & (Survey.status != rules.DRAFT))).distinct()
    surveys = db.session.scalars(query).all()
    return sorted(surveys, key=lambda s: -s.id)


def readable_survey(user: User, survey_id: int) -> tuple[Survey, set[int]]:
    survey = db.session.get(Survey, survey_id)
    villages = result_village_ids(user, survey) if survey else None
    if survey is None or not villages:
        raise NotFound(N_("No such survey."))
    return survey, villages


@dataclass(slots=True)
class VillageResult:
    village_id: int
    village_name: str
    responses: int
    paper: int
    tallies: list[rules.Tally]

    @property
    def satisfaction(self) -> Decimal | None:
        return rules.satisfaction_rate(self.tallies)


def _answer_sets(survey: Survey, village_ids: set[int]) -> dict[int, list[tuple[dict[int, str], str]]]:
    """Per village: each response's answers {question: value} and its channel, in a fixed order."""
    rows = db.session.execute(
        select(SurveyResponse.id, SurveyResponse.village_id, SurveyResponse.channel,
               SurveyAnswer.question_id, SurveyAnswer.value)
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.village_id.in_(village_ids))
        .order_by(SurveyResponse.id))
    sets: dict[int, dict[int, tuple[dict[int, str], str]]] = defaultdict(dict)
    for response_id, village_id, channel, question_id, value in rows:
        answers, _ = sets[village_id].setdefault(response_id, ({}, channel))
        if question_id is not None:
            answers[question_id] = value
    return {v: list(by_id.values()) for v, by_id in sets.items()}


def results(survey: Survey, village_ids: set[int]) -> tuple[list[VillageResult], VillageResult]:
    """Each village's results (in village code order) and the total over them. Free texts are sorted,
    so their order says nothing about who answered when."""
    questions = questions_of(survey)
    sets = _answer_sets(survey, village_ids)
    villages = db.session.scalars(select(Village).where(Village.id.in_(village_ids)).order_by(Village.code)).all()
    per_village = []
    for village in villages:
        answer_sets = sets.get(village.id, [])
        tallies = rules.tally(questions, [a for a, _ in answer_sets])
        for t in tallies:
            t.texts.sort()
        per_village.append(VillageResult(village.id, village.name, len(answer_sets),
                                         sum(1 for _, c in answer_sets if c == "paper"), tallies))
    everything = [a for v in villages for a in sets.get(v.id, [])]
    total = rules.tally(questions, [a for a, _ in everything])
    for t in total:
        t.texts.sort()
    return per_village, VillageResult(0, "", len(everything), sum(1 for _, c in everything if c == "paper"), total)


def village_results(survey_id: int) -> dict[int, dict[str, object]]:
    """Per village the survey is opened to: its name, the answer sets counted, how many on paper, the
    满意度 (share of scale answers 满意 or 基本满意, None without any) and each question's counts."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(N_("No such survey."))
    per_village, _ = results(survey, survey.village_ids)
    return {r.village_id: {
        "village": r.village_name, "responses": r.responses, "paper": r.paper, "satisfaction": r.satisfaction,
        "questions": {t.question.id: dict(t.counts) for t in r.tallies if t.question.kind != rules.TEXT},
    } for r in per_village}


def quarter_survey_summary(town_id: int, quarter: str | Period) -> list[dict[str, object]]:
    """The town's surveys (opened or closed, not drafts) whose window meets the quarter ("2026-Q4"), each
    with its title, window, state and village_results(): one dict per survey, in window order."""
    period = quarter if isinstance(quarter, Period) else Period.parse(quarter)
    surveys = db.session.scalars(select(Survey).where(
        Survey.town_id == town_id, Survey.status != rules.DRAFT,
        Survey.opens_on < period.end, Survey.closes_on >= period.start).order_by(Survey.opens_on, Survey.id))
    return [{"survey_id": s.id, "title": s.title, "opens_on": s.opens_on, "closes_on": s.closes_on,
             "status": s.status, "villages": village_results(s.id)} for s in surveys]


def value_label(question: rules.Question, value: str, gettext) -> str:  # type: ignore[no-untyped-def]
    return gettext(rules.SCALE_NAMES[value]) if question.kind == rules.SCALE else value


def results_xlsx(survey: Survey, village_ids: set[int], gettext) -> bytes:  # type: ignore[no-untyped-def]
    """The results as a workbook: one sheet of counts and percentages (village rows and the total) and one
    of the written answers, by village, without names."""
    per_village, total = results(survey, village_ids)
    town = db.session.get(Town, survey.town_id)
    town_name = town.name if town else ""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Results")[:31]
    sheet.append([f"{town_name} · {survey.title} ({survey.opens_on.isoformat()} – {survey.closes_on.isoformat()})"])
    sheet.append([gettext("Village"), gettext("Question"), gettext("Answer"), gettext("Count"), gettext("Percent")])
    for result, name in [*((r, r.village_name) for r in per_village), (total, gettext("Total"))]:
        sheet.append([name, gettext("Answer sets"), "", result.responses, None])
        for t in result.tallies:
            if t.question.kind == rules.TEXT:
                continue
            for value, count, pct in t.rows():
                sheet.append([name, t.question.prompt, value_label(t.question, value, gettext), count, float(pct)])
    texts = book.create_sheet(gettext("Written answers")[:31])
    texts.append([gettext("Village"), gettext("Question"), gettext("Answer")])
    for result in per_village:
        for t in result.tallies:
            for text in t.texts:
                texts.append([result.village_name, t.question.prompt, text])
    return workbook_bytes(book)


def today_open(survey: Survey, today: date) -> bool:
    return rules.is_answerable(survey.status, survey.opens_on, survey.closes_on, today)
