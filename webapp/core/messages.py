"""Translatable messages for domain errors, kept as English msgids until the web layer translates them."""

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


class DomainError(Exception):
    """An error whose message is a msgid plus params, so any language can render it."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return render(self.msgid, self.params)
