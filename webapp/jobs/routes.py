"""A job's progress page: its state and progress (refreshed every 2 s while it waits or runs, by
htmx or, without JavaScript, by the page's meta refresh), its outcome, and "run again" when it failed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from webapp.jobs.services.enqueue import run_again as queue_again
from webapp.jobs.services.pages import job_page, may_run_again, visible_job
from webapp.web.htmx import render

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


class ActionForm(FlaskForm):
    """CSRF only."""


@bp.get("/<int:job_id>")
@login_required
def detail(job_id: int):
    page = job_page(visible_job(current_user, job_id))
    return render("jobs/detail.html", block="job", page=page, form=ActionForm(),
                  may_run_again=may_run_again(current_user, page.job))


@bp.post("/<int:job_id>/run-again")
@login_required
def run_again(job_id: int):
    job = visible_job(current_user, job_id)
    if not may_run_again(current_user, job):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    queued = queue_again(job)
    flash(_("The job is queued again."), "info")
    return redirect(url_for("jobs.detail", job_id=queued.id))
