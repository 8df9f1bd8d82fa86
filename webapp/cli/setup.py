"""`jifen init`: a town and its first town admin from nothing (issue 11)."""

from __future__ import annotations

from webapp.cli.base import cli  # noqa: F401
