"""`jifen user`: accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli.base import cli, fail


@cli.group()
def user() -> None:
    """Manage users."""


@user.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(
    ["town_admin", "village_admin", "scorer", "reviewer", "clerk", "villager", "auditor", "town_cadre"]))
@click.option("--town", "town_code", help="Town code (town_admin).")
@click.option("--village", "village_code", help="Village code (village_admin, reviewer, auditor, town_cadre; with --grid).")
@click.option("--grid", "grid_code", help="Grid code (scorer).")
@click.option("--store", "store_code", help="Store code (clerk).")
@click.option("--household", "household_code", help="Household code (villager).")
@click.option("--name", "display_name", default="", help="Name shown in the app.")
@click.password_option()
@with_appcontext
def user_create(username, role, town_code, village_code, grid_code, store_code, household_code, display_name, password):
    """Create a user with one role in one scope."""
    from webapp.core.refusal import Refusal
    from webapp.extensions import db
    from webapp.people.services.scopes import resolve_scope
    from webapp.people.services.users import create_user

    try:
        scope = resolve_scope(role, town_code, village_code, grid_code, store_code, household_code)
        create_user(username, password, role, display_name=display_name, **scope)
    except Refusal as error:
        db.session.rollback()
        fail(error.translated())
    db.session.commit()
    click.echo(_("User %(username)s created.", username=username))
