"""The `jifen` command: a Flask CLI group over create_app, plus the project's own commands."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _

from webapp.app import create_app
from webapp.config import DemoConfig


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Jifen (积分): village points and lists."""


def main() -> None:
    cli(prog_name="jifen")


def _fail(message: str, problems: list[str] | None = None) -> None:
    click.echo(message, err=True)
    for line in problems or []:
        click.echo(f"  - {line}", err=True)
    sys.exit(1)


@cli.command()
@click.option("--port", default=5000, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--no-serve", is_flag=True, help="Create and seed the database, then stop.")
def demo(port: int, host: str, no_serve: bool) -> None:
    """Create (or reuse) a seeded demo town on SQLite and serve it."""
    from flask_migrate import upgrade

    from webapp.demo.accounts import DEMO_ACCOUNTS, DEMO_HOUSEHOLD_LOGIN
    from webapp.demo.seed import is_seeded, seed_demo
    from webapp.extensions import db
    from webapp.labels import ROLE_NAMES

    app = create_app(DemoConfig)
    with app.app_context():
        upgrade()
        if is_seeded():
            click.echo(_("Reusing the demo database at %(url)s", url=db.engine.url.render_as_string()))
        else:
            click.echo(_("Seeding the demo town (this takes a few seconds)…"))
            seed_demo(date.today())
            db.session.commit()
        click.echo(_("Demo accounts (role, username, password):"))
        for role, username, password in DEMO_ACCOUNTS:
            click.echo(f"  {str(ROLE_NAMES[role]):<10} {username:<10} {password}")
        code, pin = DEMO_HOUSEHOLD_LOGIN
        click.echo(_("Household login (household code, PIN): %(code)s %(pin)s", code=code, pin=pin))
    if no_serve:
        return
    click.echo(_("Serving on http://%(host)s:%(port)s", host=host, port=port))
    # Flask's app.run() refuses to start inside a CLI command, so serve with Werkzeug directly.
    from werkzeug.serving import run_simple

    from webapp.web.security_headers import BannerlessRequestHandler

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False,
               request_handler=BannerlessRequestHandler)  # no `Server:` line naming Werkzeug


@cli.group()
def user() -> None:
    """Manage users."""


@user.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(
    ["town_admin", "village_admin", "scorer", "reviewer", "clerk", "villager", "auditor"]))
@click.option("--town", "town_code", help="Town code (town_admin).")
@click.option("--village", "village_code", help="Village code (village_admin, reviewer, auditor; with --grid).")
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
        _fail(error.translated())
    db.session.commit()
    click.echo(_("User %(username)s created.", username=username))


@cli.group()
def scheme() -> None:
    """Rule schemes."""


@scheme.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--village", "village_code", required=True, help="Village code.")
@click.option("--effective", type=click.DateTime(formats=["%Y-%m-%d"]), help="In force from (default today).")
@with_appcontext
def scheme_import(file: Path, village_code: str, effective) -> None:
    """Import a rule scheme from YAML as a new version."""
    from webapp.core.refusal import Refusal
    from webapp.extensions import db
    from webapp.people.services.villages import village_by_code
    from webapp.points.domain.scheme_loader import SchemeError
    from webapp.points.services.schemes import import_scheme, read_scheme_file
    from webapp.templating import problem_place, translate_problem

    try:
        village = village_by_code(village_code)
        version, created = import_scheme(
            village, read_scheme_file(file.read_bytes()), effective.date() if effective else date.today()
        )
    except SchemeError as error:  # a Refusal too, with a problem per place in the file
        db.session.rollback()
        _fail(_("The rules were not imported. Please correct the file."),
              [f"{problem_place(p)}: {translate_problem(p)}" for p in error.problems])
    except Refusal as error:
        _fail(error.translated())
    db.session.commit()
    if created:
        click.echo(_("Rules imported as version %(number)s, in force from %(day)s.",
                     number=version.number, day=version.effective_from.isoformat()))
    else:
        click.echo(_("These rules are already the latest version; nothing changed."))


@cli.group()
def roster() -> None:
    """Household rosters."""


@roster.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--village", "village_code", required=True, help="Village code.")
@with_appcontext
def roster_import(file: Path, village_code: str) -> None:
    """Import households from .xlsx or .csv; a file with bad rows is refused whole."""
    from webapp.core.refusal import Refusal
    from webapp.extensions import db
    from webapp.people.services.roster import RosterError, import_roster
    from webapp.people.services.villages import village_by_code
    from webapp.templating import problem_place, translate_problem

    try:
        village = village_by_code(village_code)
        result = import_roster(village, file.name, file.read_bytes())
    except RosterError as error:
        db.session.rollback()
        _fail(error.translated(), [f"{problem_place(p)}: {translate_problem(p)}" for p in error.problems])
    except Refusal as error:
        db.session.rollback()
        _fail(error.translated())
    db.session.commit()
    click.echo(_("Roster imported: %(created)s new households, %(updated)s updated.",
                 created=result.created, updated=result.updated))



@cli.group()
def publications() -> None:
    """Published results (公示)."""


@publications.command("finalise-due")
@with_appcontext
def publications_finalise_due() -> None:
    """Make final every public notice that has ended with no objection left open (run daily)."""
    from webapp.extensions import db
    from webapp.publication.services.publications import finalise_due

    done = finalise_due(date.today())
    db.session.commit()
    for publication in done:
        click.echo(_("%(village)s %(period)s is final.", village=publication.village.name, period=publication.period))
    click.echo(_("%(count)s publications are now final.", count=len(done)))
