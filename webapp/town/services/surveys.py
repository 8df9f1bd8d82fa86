"""Satisfaction surveys (满意度测评): the town writes, opens and closes a survey; a household answers once,
from its phone or on paper through a clerk. Services flush and never commit.

Results (counts, percentages, charts, the .xlsx, the quarterly summary) are in survey_results.py;
village_results and quarter_survey_summary are re-exported here for the quarterly report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.stores import Store
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.town.domain import surveys as rules
from webapp.town.models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyVillage
from webapp.town.services.survey_results import (  # noqa: F401 - re-exported for the quarterly report
    quarter_survey_summary,
    questions_of,
    village_results,
)


def admin_town_ids(user: User) -> set[int]:
    return {g.town_id for g in user.grants if g.role == Role.TOWN_ADMIN and g.town_id is not None}


def town_surveys(user: User) -> list[Survey]:
    """The surveys of the towns this user administers, newest first."""
    towns = admin_town_ids(user)
    return list(db.session.scalars(select(Survey).where(Survey.town_id.in_(towns)).order_by(Survey.id.desc())))


def town_survey(user: User, survey_id: int) -> Survey:
    """A survey of the user's town (to change); NotFound otherwise."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.town_id not in admin_town_ids(user):
        raise NotFound(N_("No such survey."))
    return survey


def town_villages(user: User) -> list[Village]:
    """The villages of the user's town a survey may be opened to."""
    return list(db.session.scalars(select(Village).where(
        Village.town_id.in_(admin_town_ids(user)), Village.retired_on.is_(None)).order_by(Village.code)))


def survey_for_household(household: Household | None, survey_id: int) -> Survey:
    """A survey opened to the household's village (whatever its state); NotFound otherwise."""
    survey = db.session.get(Survey, survey_id)
    if household is None or survey is None or household.village_id not in survey.village_ids:
        raise NotFound(N_("No such survey."))
    return survey


def _town_villages(town_id: int, village_ids: list[int]) -> list[int]:
    found = set(db.session.scalars(select(Village.id).where(
        Village.town_id == town_id, Village.id.in_(village_ids), Village.retired_on.is_(None))))
    if found != set(village_ids):
        raise Refusal(N_("Choose villages of your town."))
    return sorted(found)


def create_survey(user: User, title: str, intro: str, opens_on: date, closes_on: date,
                  village_ids: list[int]) -> Survey:
    towns = admin_town_ids(user)
    if len(towns) != 1:
        raise Refusal(N_("Only a town admin writes surveys."))
    town_id = next(iter(towns))
    rules.check_window(opens_on, closes_on)
    survey = Survey(town_id=town_id, title=title.strip(), intro=intro.strip(), status=rules.DRAFT,
                    opens_on=opens_on, closes_on=closes_on, created_by_id=user.id)
    survey.villages = [SurveyVillage(village_id=v) for v in _town_villages(town_id, village_ids)]
    db.session.add(survey)
    db.session.flush()
    record(user.id, "survey.create", "survey", survey.id, title=survey.title)
    return survey


def update_survey(user: User, survey: Survey, title: str, intro: str, opens_on: date, closes_on: date,
                  village_ids: list[int]) -> Survey:
    survey.status = rules.next_state(survey.status, "edit")
    rules.check_window(opens_on, closes_on)
    survey.title, survey.intro, survey.opens_on, survey.closes_on = title.strip(), intro.strip(), opens_on, closes_on
    wanted = _town_villages(survey.town_id, village_ids)
    survey.villages = [v for v in survey.villages if v.village_id in wanted] + [
        SurveyVillage(village_id=v) for v in wanted if v not in survey.village_ids]
    db.session.flush()
    record(user.id, "survey.edit", "survey", survey.id)
    return survey


def add_question(user: User, survey: Survey, kind: str, prompt: str, options_text: str) -> SurveyQuestion:
    rules.next_state(survey.status, "edit")
    options = rules.parse_options(kind, options_text)
    if not prompt.strip():
        raise Refusal(N_("Write the question."))
    if len(survey.questions) >= rules.MAX_QUESTIONS:
        raise Refusal(N_("A survey has at most %(n)s questions."), n=rules.MAX_QUESTIONS)
    position = max((q.position for q in survey.questions), default=0) + 1
    question = SurveyQuestion(kind=kind, prompt=prompt.strip()[:300], options="\n".join(options), position=position)
    survey.questions.append(question)
    db.session.flush()
    return question


def remove_question(user: User, survey: Survey, question_id: int) -> None:
    rules.next_state(survey.status, "edit")
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        raise NotFound(N_("No such question."))
    survey.questions.remove(question)
    db.session.flush()


def change_state(user: User, survey: Survey, action: str) -> Survey:
    """Open (draft → open) or close (open → closed) a survey, by the state table."""
    new = rules.next_state(survey.status, action)
    if action == "open":
        rules.check_may_open(len(survey.questions), len(survey.villages))
    survey.status = new
    db.session.flush()
    record(user.id, f"survey.{action}", "survey", survey.id)
    return survey


def has_answered(survey_id: int, household_id: int) -> bool:
    return db.session.scalar(select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.household_id == household_id)) is not None


def open_surveys_for(household: Household, today: date) -> list[tuple[Survey, bool]]:
    """The surveys open to the household's village today, each with whether the household has answered."""
    surveys = db.session.scalars(select(Survey).join(SurveyVillage).where(
        SurveyVillage.village_id == household.village_id, Survey.status == rules.OPEN,
        Survey.opens_on <= today, Survey.closes_on >= today).order_by(Survey.closes_on, Survey.id))
    return [(s, has_answered(s.id, household.id)) for s in surveys]


def answer_survey(survey: Survey, household: Household, raw: Mapping[int, str], today: date,
                  recorded_by: User | None = None) -> SurveyResponse:
    """The household's one answer set: from its phone, or on paper when a clerk records it (recorded_by)."""
    rules.check_may_answer(survey.status, survey.opens_on, survey.closes_on, today,
                           household.village_id, survey.village_ids)
    if has_answered(survey.id, household.id):
        raise Refusal(N_("Your household has already answered this survey. Each household answers once."))
    answers = rules.check_answers(questions_of(survey), raw)
    response = SurveyResponse(survey_id=survey.id, village_id=household.village_id, household_id=household.id,
                              channel="paper" if recorded_by else "phone",
                              recorded_by_id=recorded_by.id if recorded_by else None, recorded_on=today)
    response.answers = [SurveyAnswer(question_id=q, value=v) for q, v in answers.items()]
    db.session.add(response)
    db.session.flush()  # a second answer racing this one meets the unique (survey, household) constraint
    if recorded_by:  # who recorded a paper answer, never what it said nor whose it was
        record(recorded_by.id, "survey.paper", "survey", survey.id, village_id=household.village_id)
    return response


def paper_village_ids(user: User) -> set[int]:
    """The villages whose paper answers this user records: a village admin's, a clerk's stores' villages."""
    ids = {g.village_id for g in user.grants if g.role == Role.VILLAGE_ADMIN and g.village_id is not None}
    store_ids = [g.store_id for g in user.grants if g.role == Role.CLERK and g.store_id is not None]
    if store_ids:
        for store in db.session.scalars(select(Store).where(Store.id.in_(store_ids))):
            ids |= {v.id for v in store.villages}
    return ids


def paper_surveys(user: User, today: date) -> list[Survey]:
    """Surveys open today to one of the villages this user records paper answers for."""
    villages = paper_village_ids(user)
    return list(db.session.scalars(select(Survey).join(SurveyVillage).where(
        SurveyVillage.village_id.in_(villages), Survey.status == rules.OPEN,
        Survey.opens_on <= today, Survey.closes_on >= today).distinct().order_by(Survey.id)))


def household_for_paper(user: User, survey: Survey, code: str) -> Household:
    """The household a paper answer is for, by its code: one of this user's villages, and the survey's."""
    household = db.session.scalar(select(Household).where(Household.code == code.strip().upper()))
    if household is None or household.village_id not in paper_village_ids(user):
        raise NotFound(N_("No household with code %(code)s in your villages."), code=code)
    return household
