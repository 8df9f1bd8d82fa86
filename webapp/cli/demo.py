"""`jifen demo`: a seeded demo town on SQLite, served by the production server (webapp/cli/serve.py)."""

from __future__ import annotations

from datetime import date

import click
from flask_babel import gettext as _

from webapp.app import create_app
from webapp.cli.base import cli
from webapp.config import DemoConfig


@cli.command(with_appcontext=False)
@click.option("--port", default=5000, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16), help="Worker processes.")
@click.option("--no-serve", is_flag=True, help="Create and seed the database, then stop.")
def demo(port: int, host: str, workers: int, no_serve: bool) -> None:
    """Create (or reuse) a seeded demo town on SQLite and serve it under gunicorn, as `jifen serve` does."""
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
            click.echo(f"  {ROLE_NAMES[role]!s:<10} {username:<10} {password}")
        code, pin = DEMO_HOUSEHOLD_LOGIN
        click.echo(_("Household login (household code, PIN): %(code)s %(pin)s", code=code, pin=pin))
        db.session.remove()
        db.engine.dispose()  # seeded once, here; each worker opens its own connections after the fork
    if no_serve:
        return
    # The production server, as `jifen serve` runs it: keep-alive, several worker processes.
    from webapp.cli.serve import run_server

    run_server(lambda: create_app(DemoConfig), host, port, workers, threads=4, graceful_timeout=5,
               announce=lambda: _("Serving on http://%(host)s:%(port)s", host=host, port=port))
