"""Translatable messages, kept as English msgids until the edge translates them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def N_(msgid: str) -> str:
    """Mark a msgid for extraction without translating it (gettext's no-op marker)."""
    return msgid


def render(msgid: str, params: Mapping[str, Any]) -> str:
    """Fill the %(name)s placeholders of an English msgid."""
    # A msgid without params may still contain a literal "%", so only format when there is something to fill.
    return msgid % dict(params) if params else msgid
