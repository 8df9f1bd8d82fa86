"""`jifen worker` and `jifen jobs run-due`: work outside the request (issue 11)."""

from __future__ import annotations

from webapp.cli.base import cli  # noqa: F401
