"""Satisfaction surveys (满意度测评): a survey, the villages it is opened to, its questions, and the answers.

A response keeps its household only so that a household answers once (unique per survey); no page,
export or report shows it. The village is kept on the response so results count per village.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Survey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft → open → closed (domain table)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", order_by="(SurveyQuestion.position, SurveyQuestion.id)", cascade="all, delete-orphan")
    villages: Mapped[list[SurveyVillage]] = relationship(back_populates="survey", cascade="all, delete-orphan")

    @property
    def village_ids(self) -> set[int]:
        return {v.village_id for v in self.villages}


class SurveyVillage(db.Model):
    """A village the survey is opened to."""

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)

    survey: Mapped[Survey] = relationship(back_populates="villages")


class SurveyQuestion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))          # scale / choice / text
    prompt: Mapped[str] = mapped_column(String(300))
    options: Mapped[str] = mapped_column(Text, default="")  # a single choice's options, one per line

    survey: Mapped[Survey] = relationship(back_populates="questions")

    @property
    def option_list(self) -> tuple[str, ...]:
        return tuple(line for line in self.options.splitlines() if line)


class SurveyResponse(db.Model):
    """One household's answer set. household_id enforces "once per household" and is never shown."""

    __table_args__ = (UniqueConstraint("survey_id", "household_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    channel: Mapped[str] = mapped_column(String(10), default="phone")  # phone / paper
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # the clerk, for a paper answer
    recorded_on: Mapped[date] = mapped_column(Date)

    answers: Mapped[list[SurveyAnswer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id"), index=True)
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
