"""`jifen init`: a town and its first town admin from nothing (issue 11)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli.base import cli, fail


def _password(password_file: Path | None) -> str:
    """From --password-file (its first line), $JIFEN_INIT_PASSWORD, or asked twice without echo."""
    import os

    if password_file is not None:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    if os.environ.get("JIFEN_INIT_PASSWORD"):
        return os.environ["JIFEN_INIT_PASSWORD"]
    return click.prompt(_("Password of the town admin"), hide_input=True, confirmation_prompt=True)


@cli.command()
@click.option("--town", "town_name", required=True, help="The town's name, such as 丰盛镇.")
@click.option("--code", "town_code", required=True, help="The town's short code, such as FS.")
@click.option("--area-code", default="", help="The town's 12-digit statistical area code (统计用区划代码), optional.")
@click.option("--admin", "username", required=True, help="Username of the first town admin.")
@click.option("--name", "display_name", default="", help="The town admin's name as the app shows it.")
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the password from this file's first line (else $JIFEN_INIT_PASSWORD, else asked).")
@with_appcontext
def init(town_name: str, town_code: str, area_code: str, username: str, display_name: str,
         password_file: Path | None) -> None:
    """Create the database's tables, the town and its first town admin (refused once a town exists)."""
    from flask_migrate import upgrade

    from webapp.core.refusal import Refusal
    from webapp.extensions import db
    from webapp.people.services.village_setup import create_town, has_town

    upgrade()
    if has_town():
        fail(_("A town already exists; the first run is over. Town admins add villages and staff."))
    password = _password(password_file)
    try:
        admin = create_town(town_name, town_code, area_code, username, display_name, password)
    except Refusal as error:
        db.session.rollback()
        fail(error.translated())
    db.session.commit()
    click.echo(_("Town %(town)s created with its town admin %(username)s. Log in and add the villages.",
                 town=town_name.strip(), username=admin.username))
