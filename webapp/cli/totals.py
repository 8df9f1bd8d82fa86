"""`jifen totals`: the stored figures of closed periods and the store's running accounts.

`verify` recomputes every closed period from the entries its close counted and checks each
household's account against its earned and redeemed points; `store` writes the figures of closed
periods that have none (run once after upgrading to a version that stores them)."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli.base import cli


@cli.group()
def totals() -> None:
    """Stored figures of closed periods, and the store's accounts."""


@totals.command("verify")
@with_appcontext
def totals_verify() -> None:
    """Recompute every stored period and check every account; print each difference, exit 1 on any."""
    from webapp.points.services.figures_verify import verify_figures

    periods, differences = verify_figures()
    for difference in differences:
        click.echo(str(difference))
    from webapp.store.services.accounts import verify_accounts

    accounts = verify_accounts(date.today())
    for problem in accounts:
        click.echo(problem)
    click.echo(_("%(periods)s closed periods checked: %(figures)s differences; %(accounts)s account differences.",
                 periods=periods, figures=len(differences), accounts=len(accounts)))
    if differences or accounts:
        sys.exit(1)


@totals.command("store")
@with_appcontext
def totals_store() -> None:
    """Store the figures of closed periods that have none (once, after upgrading)."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.points.services.figures_verify import store_missing
    from webapp.publication.models import Publication

    publications = db.session.execute(select(Publication.id, Publication.village_id, Publication.period)).all()
    stored = store_missing((p.id, p.village_id, p.period) for p in publications)
    db.session.commit()
    click.echo(_("Figures stored for %(count)s closed periods.", count=stored))
