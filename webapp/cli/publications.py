"""`jifen publications`: published results (公示)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli.base import cli


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
