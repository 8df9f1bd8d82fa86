"""`jifen backup` and `jifen restore`: a consistent copy of the database and photos (issue 11)."""

from __future__ import annotations

from webapp.cli.base import cli  # noqa: F401
