"""`jifen scheme import` and `jifen roster import`: files a village loads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli.base import cli, fail


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
        fail(_("The rules were not imported. Please correct the file."),
              [f"{problem_place(p)}: {translate_problem(p)}" for p in error.problems])
    except Refusal as error:
        fail(error.translated())
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
        fail(error.translated(), [f"{problem_place(p)}: {translate_problem(p)}" for p in error.problems])
    except Refusal as error:
        db.session.rollback()
        fail(error.translated())
    db.session.commit()
    click.echo(_("Roster imported: %(created)s new households, %(updated)s updated.",
                 created=result.created, updated=result.updated))
