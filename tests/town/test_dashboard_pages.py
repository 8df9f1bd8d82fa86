"""Who reads the town's dashboard and reports: the town admin (all its villages), a 包村干部 (only theirs);
a village admin and a grid worker are refused. And the monthly figures run as a job."""

from __future__ import annotations

from tests.worlds.town.dispatch import TODAY, build_town_month
from webapp.jobs.services.registry import kind, no_progress
from webapp.town.services.dispatch_jobs import TOWN_DISPATCH


def test_a_village_admin_and_a_grid_worker_are_refused_the_towns_pages(app, make, client, auth):
    build_town_month(make)
    for username in ("yfadmin", "wangwu"):
        auth.login(username)
        for url in ("/town/dashboard", "/town/dashboard/dispatch.xlsx?month=2026-03",
                    "/town/dashboard/quarter.xlsx?quarter=2026-Q1"):
            assert client.get(url).status_code == 403, (username, url)
        auth.logout()


def test_a_town_cadre_sees_only_their_villages(app, make, client, auth):
    world = build_town_month(make)
    make.user("town_cadre", username="cadre", village_id=world.village_ids["WJ"])
    from webapp.extensions import db

    db.session.commit()
    auth.login("cadre")
    html = client.get("/town/dashboard?month=2026-03").get_data(as_text=True)
    assert 'data-village="WJ"' in html and 'data-village="YF"' not in html
    assert "油房村" not in html


def test_a_bad_month_is_a_bad_request(app, make, client, auth):
    build_town_month(make)
    auth.login("fsadmin")
    assert client.get("/town/dashboard?month=2026-13").status_code == 400
    assert client.get("/town/dashboard/quarter.xlsx?quarter=2026-03").status_code == 400


def test_the_monthly_figures_run_as_a_job(app, make):
    build_town_month(make)
    outcome = kind(TOWN_DISPATCH).function(no_progress, {"today": TODAY.isoformat(), "month": "2026-03"})
    town = outcome.result["towns"]["FS"]
    assert town["totals"]["entries"] == 6 and town["totals"]["publication"]["late"] == 1
    assert town["problems"] == {"YF": ["silent_grid", "objections_unanswered"], "WJ": ["no_entries", "notice_overdue"]}
