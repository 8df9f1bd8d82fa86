"""The town reads, the committee decides (issue 13), route by route on the demo town (two villages, YF and WJ).

The town admin (`town`) sets its villages up — villages, staff, rosters, households, rules and list templates —
and reads every village's review queue and publications; every decision of a village's committee (review,
close, picks, publish, objections, final, freezes, reversals, the counter) is refused to it, for each village,
and nothing is written. A village admin and a grid worker are refused the town's own pages.

TOWN_WRITES lists the writes the town keeps; every other write is walked and must be refused, so a route
someone adds later is refused to the town unless this file says otherwise."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.refusals import refused
from tests.worlds.pages import Auth, csrf_token, zh
from tests.worlds.route_walk import (
    REFUSED,
    WRITES,
    demo_town,
    every_url_for_rule,
    fingerprint,
    rules,
    village_values,
    write_form,
)
from webapp.core.periods import Period
from webapp.demo.accounts import DEMO_ACCOUNTS
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Freeze
from webapp.publication.models import Objection, Publication
from webapp.publication.services import jobs as publication_jobs, objections, picks, publications

VILLAGES = ("YF", "WJ")
PASSWORDS = {username: password for _role, username, password in DEMO_ACCOUNTS}
COMMITTEE_ONLY = "Only the village committee decides this; the town reads it."

# The committee's (and reviewers', clerks') decisions for a village: each must be among the walked writes.
DECISIONS = {
    "review.decide_entry", "review.decide_inspection",                        # approve, reject, adjust
    "publications.close", "publications.step", "publications.finalise_due",   # close; picks, photos, prize,
    "publications.answer",                                                    # publish, finalise; objections
    "villagers.lift", "store.reverse", "store.lookup", "store.redeem",        # freezes, returns, the counter
    "jobs.run_again",                                                         # running a failed close again
}
# The writes the town keeps: setting villages up, staff and roles, rosters and households (and their
# login PINs and cards), the rules (pushed down as templates), list templates and the lists' pages, review
# groups, the stores it runs, phones of its staff. Not walked here: they write, on purpose.
TOWN_WRITES = {
    "town.add_place", "town.rename_place",  # a village's groups and grids (the town's other pages: its own)
    "town.photo_stamps",  # whether a village's evidence photos are stamped: set up like its groups
    "staff.new", "staff.switch", "staff.details", "staff.password", "staff.add_role", "staff.remove_role",
    "staff.import_file",
    "household_admin.new", "household_admin.edit", "household_admin.add_member", "household_admin.resume",
    "household_admin.stop", "household_admin.remove_member", "villagers.set_pin", "store.cards",
    "admin.roster", "schemes.scheme",
    "lists.admin_index", "lists.admin_list", "lists.admin_version", "lists.edit_item", "lists.change_item",
    "lists.desk_index", "lists.desk_matter", "lists.admin_disclosures",
    "review_groups.create", "review_groups.areas", "review_groups.delete", "review_groups.members",
    "review_groups.rename", "review_groups.target",
    "store.stock_write", "devices.revoke",
    "cases.edit",  # the town edits a case a village submitted (approving and returning are its own pages)
}
SESSION = {"auth.login", "auth.logout", "prefs.language", "prefs.large_type"}  # the session and own cookies

# The town's own pages: these blueprints, and the town's endpoints of `surveys` and `cases`.
TOWN_BLUEPRINTS = {"town", "town_dashboard", "evaluation", "surveys", "cases"}
FIRST_RUN = {"town.first_run"}  # the very first page, before any town exists (anyone; then it sends home)
PUBLIC = {"cases.public_index", "cases.public_detail", "cases.public_print"}  # the town's case library, public
# Endpoints of those blueprints that are for villages or households, not the town's:
FOR_VILLAGE_ADMINS = {
    "town.village", "town.add_place", "town.rename_place",  # a village admin keeps its own groups and grids
    "town.photo_stamps",  # the village chooses whether its evidence photos are stamped
    "surveys.paper_index", "surveys.paper",                 # the committee (or a clerk) records a paper answer
    "cases.index", "cases.new", "cases.detail", "cases.edit", "cases.submit",  # a village writes its cases
    "evaluation.index",  # the evaluation's published result, which the town publishes to its villages
}
FOR_HOUSEHOLDS = {"surveys.mine", "surveys.answer"}  # a household answers from its phone


def blueprint(endpoint: str) -> str:
    return endpoint.split(".", 1)[0]


@pytest.fixture
def world(app):
    """The demo town, with an open objection to each village's newest publication and a freeze on one of
    its households (so the walk's objection and freeze are real ones); the values of each village."""
    values = demo_town()
    today = date.today()
    for code in VILLAGES:
        village = db.session.scalar(select(Village).where(Village.code == code))
        newest = db.session.scalars(select(Publication).where(Publication.village_id == village.id)
                                    .order_by(Publication.period.desc())).first()
        household = db.session.scalars(select(Household).where(Household.village_id == village.id)
                                       .order_by(Household.code)).first()
        villager = db.session.scalar(select(User).where(User.username == "villager"))
        db.session.add(Objection(publication_id=newest.id, household_id=household.id, filed_by_id=villager.id,
                                 text="分数不对，请复查"))
        db.session.add(Freeze(household_id=household.id, starts_on=today - timedelta(days=3), reason="看看"))
    db.session.commit()
    return {code: village_values(values, code) for code in VILLAGES}


def login(client, username: str) -> str:
    assert Auth(client).login(username, PASSWORDS[username]).status_code in (302, 303)
    return csrf_token(client.get("/households").get_data(as_text=True))


def town_only(endpoint: str) -> bool:
    return (blueprint(endpoint) in TOWN_BLUEPRINTS and endpoint not in FIRST_RUN | PUBLIC
            and endpoint not in FOR_VILLAGE_ADMINS and endpoint not in FOR_HOUSEHOLDS)


def test_the_town_admin_is_refused_every_decision_of_each_village_and_nothing_is_written(app, client, world):
    """Every write but the town's own (TOWN_WRITES, its own pages), with each village's objects: 403, 404 or
    405 — review decisions, close, picks, publish, objections, final, freezes, reversals, the counter — and
    not one row of any table changes."""
    token = login(client, "town")
    before = fingerprint()
    wrong, walked = [], set()
    for values in world.values():
        for method in WRITES:
            for rule in rules(app, method):
                if rule.endpoint in SESSION or rule.endpoint in TOWN_WRITES or town_only(rule.endpoint):
                    continue
                for url in every_url_for_rule(app, rule, values):
                    answer = client.open(url, method=method, data=write_form(values, token),
                                         query_string={"village": values["village_id"]})
                    walked.add(rule.endpoint)
                    if answer.status_code not in REFUSED:
                        wrong.append((method, url, answer.status_code, answer.headers.get("Location")))
    assert wrong == []
    assert DECISIONS <= walked, DECISIONS - walked
    after = fingerprint()
    assert [name for name in before if before[name] != after[name]] == []


def test_the_town_admin_reads_the_queue_and_publications_of_both_villages_without_their_forms(client, world):
    """The review queue, the publications and a publication of each village answer 200, read-only: no
    decision, close, publish or answer form on them."""
    login(client, "town")
    for code, values in world.items():
        queue = client.get(f"/review?village={values['village_id']}")
        assert queue.status_code == 200, code
        assert "/review/entries/" not in queue.get_data(as_text=True)
        assert "/review/inspections/" not in queue.get_data(as_text=True)
        index = client.get(f"/admin/publications?village={values['village_id']}")
        assert index.status_code == 200, code
        page = index.get_data(as_text=True)
        assert zh("You can read this village's publications; its committee closes and publishes them.") in page
        assert "/admin/publications/close" not in page and "/admin/publications/finalise-due" not in page
        detail = client.get(f"/admin/publications/{values['publication_id']}")
        assert detail.status_code == 200, code
        assert not re.search(r'action="[^"]*/admin/publications/(?:\d+/|objections/)', detail.get_data(as_text=True))


def test_the_town_admins_home_links_the_read_pages_and_offers_no_decision(client, world):
    """One card per village with its queue and publications to read; no close, publish or review form."""
    login(client, "town")
    page = client.get("/home").get_data(as_text=True)
    for values in world.values():
        assert f"/review?village={values['village_id']}" in page
        assert f"/admin/publications?village={values['village_id']}" in page
    assert "/admin/publications/close" not in page and 'method="post" action="/admin/publications' not in page
    assert zh("Review queue") in page


@pytest.mark.parametrize("username", ["admin", "grid"])
def test_a_village_admin_and_a_grid_worker_are_refused_the_towns_pages(app, client, world, username):
    """Every route of the town's own pages (villages, dashboard, evaluation, the town's side of surveys and
    cases), read or written: 403. The grid worker is refused the village admin's pages there too."""
    token = login(client, username)
    values = world["YF"]
    own = FOR_VILLAGE_ADMINS if username == "admin" else set()
    before = fingerprint()
    wrong, walked = [], set()
    for method in ("GET", *WRITES):
        for rule in rules(app, method):
            if not (town_only(rule.endpoint) or (blueprint(rule.endpoint) in TOWN_BLUEPRINTS
                                                 and rule.endpoint in FOR_VILLAGE_ADMINS - own)):
                continue
            for url in every_url_for_rule(app, rule, values):
                answer = client.open(url, method=method, data=write_form(values, token) if method != "GET" else None,
                                     query_string={"village": values["village_id"]})
                walked.add(rule.endpoint)
                if answer.status_code != 403:
                    wrong.append((method, url, answer.status_code))
    assert wrong == []
    assert {"town.villages", "town.create_village", "town.retire_village"} <= walked
    after = fingerprint()
    assert [name for name in before if before[name] != after[name]] == []


def test_a_direct_service_call_by_the_town_admin_is_refused(app, world):
    """The services hold the rule too: closing, publishing, picks, answering an objection, making results
    final and starting a close as a job, called by the town admin, are refused and write nothing."""
    town = db.session.scalar(select(User).where(User.username == "town"))
    values = world["YF"]
    village = db.session.get(Village, values["village_id"])
    publication = db.session.get(Publication, values["publication_id"])
    objection = db.session.get(Objection, values["objection_id"])
    today = date.today()
    last_year = Period.whole_year(today.year - 1)
    before = fingerprint()
    for call in (
        lambda: publications.close_period(town, village, last_year, today),
        lambda: publication_jobs.start_close(town, village, last_year, today),
        lambda: publications.publish(town, publication, today),
        lambda: publications.finalise(town, publication, today),
        lambda: picks.set_picks(town, publication, "model", []),
        lambda: picks.decide_tied_prize(town, publication, values["household_id"], True),
        lambda: picks.set_photos(town, publication, []),
        lambda: objections.answer_objection(town, objection, "dismiss", "经核实评分无误"),
    ):
        with refused(COMMITTEE_ONLY):
            call()
        db.session.rollback()
    assert publications.finalise_due(today + timedelta(days=400), actor=town) == []
    db.session.rollback()
    assert fingerprint() == before
