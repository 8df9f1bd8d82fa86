"""Errors a service raises for the user: an English msgid and its parameters,
translated at the edge (page, JSON or CLI) into the user's language."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A refusal with a message for the user; nothing has been written."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params

    def translated(self) -> str:
        """The message in the current locale (needs an app context)."""
        from flask_babel import gettext

        return gettext(self.msgid, **self.params)


class NotFound(ServiceError):
    """The object does not exist, or the user may not know that it does."""
