"""The `jifen` command: a Flask CLI group over create_app, plus the project's own commands.

Each topic's commands live in a module of their own and attach themselves to the group on import.
"""

from __future__ import annotations

from webapp.cli import backup, check, demo, imports, jobs, publications, serve, setup, totals, users  # noqa: F401  (registers them)
from webapp.cli.base import cli


def main() -> None:
    cli(prog_name="jifen")
