"""`jifen serve` and `jifen check`: production serving and a deployment's pre-flight check (issue 11)."""

from __future__ import annotations

from webapp.cli.base import cli  # noqa: F401
