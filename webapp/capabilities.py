"""The capabilities, in the order they may depend on each other, and their blueprints.

A capability imports only from those before it in CAPABILITIES (and from `core`, `web` and the
extensions); tests/test_architecture.py enforces the order. docs/architecture.md draws it.
"""

from __future__ import annotations

from flask import Flask

# Lowest first. `core` (refusals, periods, messages) and `web` (request plumbing) sit below them all.
CAPABILITIES = (
    "people",       # towns, villages, groups, grids, users and roles, households, roster, audit trail
    "jobs",         # work outside the request: the job table, the runner, a job's progress page
    "points",       # rule schemes, the rules engine, entries, inspections, ledgers, statements
    "photos",       # evidence photos: processing, storage, who may see one
    "publication",  # close, snapshot, notice and objections, the board, year-end awards
    "review",       # review groups, the queue, decisions (reads which months are closed)
    "courtyards",   # courtyard star ratings (美丽庭院星级户): rounds, ratings with photos, review, star shares
    "store",        # the points store: counter, stock, reports, household cards
    "lists",        # the list system: lists, flow charts, service desk, disclosures
    "fieldwork",    # offline scoring's web side: devices, sync ingest, the phone's pages
    "villagers",    # the household's side: its page, records, self-declaration, notices
    "home",         # each role's home page
    "town",         # the town office: dashboard and dispatch, village evaluation, surveys, the case library
)


def register_blueprints(app: Flask) -> None:
    """Every capability's routes, then the plumbing's own (language and large type); and the hooks by
    which a capability lends a lower one a rule (who may see a photo)."""
    from webapp.courtyards.services import photo_rules as courtyard_photo_rules
    from webapp.publication.services import jobs as publication_jobs, photo_rules

    photo_rules.register()
    courtyard_photo_rules.register()  # a courtyard rating's photo follows its household
    publication_jobs.register()  # the job kinds it runs outside the request (webapp/jobs)
    from webapp.town.services import evaluation as town_evaluation

    town_evaluation.register()  # an evaluation's evidence photos
    from webapp.town.services import dispatch_jobs

    dispatch_jobs.register()  # the town's monthly figures as a job kind (webapp/jobs)
    from webapp.points.services import whatif as points_whatif
    from webapp.publication.services.query import closed_months

    points_whatif.register_closed_months(closed_months)  # a draft's what-if replays the closed months
    from webapp.villagers.services.household_menu import household_menu

    app.jinja_env.globals["household_menu"] = household_menu  # villagers/_household_menu.html asks it

    from webapp.fieldwork.routes import devices, scoring, sync_api
    from webapp.courtyards import routes as courtyards
    from webapp.home import routes as home
    from webapp.lists import routes as lists
    from webapp.jobs import routes as jobs
    from webapp.people.routes import admin, auth, household_admin, staff, town
    from webapp.photos import routes as photos
    from webapp.points.routes import schemes, whatif
    from webapp.publication.routes import board, publications
    from webapp.review.routes import groups as review_groups, queue as review
    from webapp.store import routes as store
    from webapp.town.routes import cases, dashboard as town_dashboard, evaluation, surveys
    from webapp.villagers.routes import api, card_links, households, notices, villagers
    from webapp.web import prefs

    for module in (auth, prefs, home, households, admin, schemes, api, sync_api, scoring, store, lists, devices,
                   review_groups, review, publications, board, photos, villagers, notices, town, staff, household_admin,
                   jobs, courtyards, town_dashboard, evaluation, surveys, cases, whatif, card_links):
        app.register_blueprint(module.bp)
