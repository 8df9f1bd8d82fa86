"""Satisfaction surveys (满意度测评) (issue 13): the town writes, opens and closes a survey and reads its
results; a household answers once from its phone; a clerk or the village admin records a paper answer;
a 包村干部 reads the results of their villages."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.core.refusal import Refusal
from webapp.people.domain.access import OVERSEERS, Role
from webapp.people.services.households import own_household
from webapp.town.domain import surveys as rules
from webapp.town.services import survey_results as results_service, surveys as service
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

TOWN = (Role.TOWN_ADMIN,)
RESULT_READERS = (Role.TOWN_ADMIN, *OVERSEERS)
PAPER = (Role.CLERK, Role.VILLAGE_ADMIN)
HOUSEHOLD = (Role.VILLAGER,)


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(_l("Introduction (optional)"), validators=[Length(max=2000)])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on"), validators=[DataRequired()])
    villages = SelectMultipleField(_l("Open to villages"), coerce=int, validators=[DataRequired()])


@bp.app_context_processor
def survey_invitations() -> dict[str, object]:
    """`survey_invitations()` in any template: how many surveys a household's login may answer today."""

    def count() -> int:
        if not current_user.is_authenticated or not any(g.role == Role.VILLAGER for g in current_user.grants):
            return 0
        household = own_household(current_user)
        return sum(1 for _s, done in service.open_surveys_for(household, date.today()) if not done) if household else 0

    return {"survey_invitations": count}


def _names() -> dict[str, object]:
    return {"state_names": {k: _(v) for k, v in rules.STATE_NAMES.items()},
            "kind_names": {k: _(v) for k, v in rules.KIND_NAMES.items()},
            "scale_names": {k: _(v) for k, v in rules.SCALE_NAMES.items()}}


@bp.get("")
@role_required(*RESULT_READERS)
def index():
    is_admin = bool(service.admin_town_ids(current_user))
    return render("town/surveys.html", surveys=results_service.readable_surveys(current_user), is_admin=is_admin,
                  **_names())


def _survey_form(survey=None) -> SurveyForm:  # type: ignore[no-untyped-def]
    form = SurveyForm(obj=survey) if survey is not None and request.method == "GET" else SurveyForm()
    form.villages.choices = [(v.id, v.name) for v in service.town_villages(current_user)]
    if survey is not None and request.method == "GET":
        form.villages.data = sorted(survey.village_ids)
    return form


@bp.route("/new", methods=["GET", "POST"])
@role_required(*TOWN)
def new():
    form = _survey_form()
    if request.method == "GET":
        form.villages.data = [v for v, _n in form.villages.choices]
    if form.validate_on_submit():
        survey = service.create_survey(current_user, form.title.data, form.intro.data or "", form.opens_on.data,
                                       form.closes_on.data, form.villages.data)
        flash(_("The survey is saved as a draft. Add its questions, then open it."), "info")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    return render("town/survey_form.html", form=form, survey=None, status=422 if form.errors else 200, **_names())


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@role_required(*TOWN)
def edit(survey_id: int):
    survey = service.town_survey(current_user, survey_id)
    form = _survey_form(survey)
    if form.validate_on_submit():
        service.update_survey(current_user, survey, form.title.data, form.intro.data or "", form.opens_on.data,
                              form.closes_on.data, form.villages.data)
        flash(_("Saved."), "info")
        return redirect(url_for("surveys.edit", survey_id=survey.id))
    return render("town/survey_form.html", form=form, survey=survey, status=422 if form.errors else 200,
                  kinds=rules.KINDS, **_names())


@bp.post("/<int:survey_id>/questions")
@role_required(*TOWN)
def add_question(survey_id: int):
    survey = service.town_survey(current_user, survey_id)
    service.add_question(current_user, survey, request.form.get("kind", ""), request.form.get("prompt", ""),
                         request.form.get("options", ""))
    return redirect(url_for("surveys.edit", survey_id=survey.id) + "#questions")


@bp.post("/<int:survey_id>/questions/<int:question_id>/remove")
@role_required(*TOWN)
def remove_question(survey_id: int, question_id: int):
    survey = service.town_survey(current_user, survey_id)
    service.remove_question(current_user, survey, question_id)
    return redirect(url_for("surveys.edit", survey_id=survey.id) + "#questions")


@bp.post("/<int:survey_id>/<any(open, close):action>")
@role_required(*TOWN)
def change(survey_id: int, action: str):
    survey = service.town_survey(current_user, survey_id)
    service.change_state(current_user, survey, action)
    flash(_("The survey is open.") if action == "open" else _("The survey is closed."), "info")
    return redirect(url_for("surveys.results", survey_id=survey.id))


@bp.get("/<int:survey_id>/results")
@role_required(*RESULT_READERS)
def results(survey_id: int):
    survey, village_ids = results_service.readable_survey(current_user, survey_id)
    per_village, total = results_service.results(survey, village_ids)

    def chart(tally) -> Markup:  # type: ignore[no-untyped-def]
        bars = [(results_service.value_label(tally.question, v, _), c, p) for v, c, p in tally.rows()]
        return Markup(rules.bar_chart_svg(bars, tally.question.prompt))  # ElementTree escaped every text

    return render("town/survey_results.html", survey=survey, per_village=per_village, total=total, chart=chart,
                  is_admin=survey.town_id in service.admin_town_ids(current_user), TEXT=rules.TEXT,
                  value_label=lambda q, v: results_service.value_label(q, v, _), **_names())


@bp.get("/<int:survey_id>/results.xlsx")
@role_required(*RESULT_READERS)
def results_xlsx(survey_id: int):
    survey, village_ids = results_service.readable_survey(current_user, survey_id)
    body = results_service.results_xlsx(survey, village_ids, _)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="survey-{survey.id}.xlsx"'})


@bp.get("/my")
@role_required(*HOUSEHOLD)
def mine():
    household = own_household(current_user)
    if household is None:
        abort(404)
    return render("town/survey_mine.html", surveys=service.open_surveys_for(household, date.today()))


def _raw_answers() -> dict[int, str]:
    return {int(k[1:]): v for k, v in request.form.items() if k.startswith("q") and k[1:].isdigit()}


@bp.route("/<int:survey_id>/answer", methods=["GET", "POST"])
@role_required(*HOUSEHOLD)
def answer(survey_id: int):
    household = own_household(current_user)
    survey = service.survey_for_household(household, survey_id)
    status, chosen = 200, {}
    if request.method == "POST":
        chosen = _raw_answers()
        try:
            service.answer_survey(survey, household, chosen, date.today())
        except Refusal as error:
            discard()
            flash(error.translated(), "error")
            status = 422
        else:
            flash(_("Thank you. Your household's answer is recorded."), "info")
            return redirect(url_for("surveys.mine"))
    answered = service.has_answered(survey.id, household.id)
    open_now = results_service.today_open(survey, date.today())
    return render("town/survey_answer.html", survey=survey, chosen=chosen, answered=answered, open_now=open_now,
                  action=url_for("surveys.answer", survey_id=survey.id), paper=False, status=status, **_names())


@bp.get("/paper")
@role_required(*PAPER)
def paper_index():
    return render("town/survey_paper.html", surveys=service.paper_surveys(current_user, date.today()))


@bp.route("/<int:survey_id>/paper", methods=["GET", "POST"])
@role_required(*PAPER)
def paper(survey_id: int):
    survey = next((s for s in service.paper_surveys(current_user, date.today()) if s.id == survey_id), None)
    if survey is None:
        abort(404)
    status, chosen, code = 200, {}, ""
    if request.method == "POST":
        chosen, code = _raw_answers(), request.form.get("code", "")
        try:
            household = service.household_for_paper(current_user, survey, code)
            service.answer_survey(survey, household, chosen, date.today(), recorded_by=current_user)
        except Refusal as error:
            discard()
            flash(error.translated(), "error")
            status = 422
        else:
            flash(_("The paper answer is recorded."), "info")
            return redirect(url_for("surveys.paper", survey_id=survey.id))
    return render("town/survey_answer.html", survey=survey, chosen=chosen, answered=False, open_now=True,
                  action=url_for("surveys.paper", survey_id=survey.id), paper=True, code=code, status=status,
                  **_names())
