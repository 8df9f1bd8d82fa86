"""The `jifen` command group over create_app, and the helpers its commands share."""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from webapp.app import create_app


# load_dotenv=False: settings come from the environment, or from the env file named by --env-file or
# $JIFEN_ENV_FILE (read before the configuration is), never from a stray .env found above the cwd.
@click.group(cls=FlaskGroup, create_app=create_app, load_dotenv=False)
def cli() -> None:
    """Jifen (积分): village points and lists."""


def fail(message: str, problems: list[str] | None = None) -> None:
    """Say what went wrong (and each problem) on stderr and exit 1."""
    click.echo(message, err=True)
    for line in problems or []:
        click.echo(f"  - {line}", err=True)
    sys.exit(1)
