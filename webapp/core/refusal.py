"""The one refusal type: what a user is told when Jifen will not do what they asked.

A refusal carries an English msgid and its parameters; the edge (a page, a JSON answer, the
command line) translates it into the user's language. Whoever raises one has written nothing
that will stay: the request's single commit point rolls back when a refusal reaches it
(webapp/web/transaction.py). Domain modules raise it too: it imports nothing from Flask.
"""

from __future__ import annotations

from typing import Any

from webapp.core.messages import render


class Refusal(Exception):
    """A refusal with a message for the user; nothing has been written."""

    status = 422  # the HTTP status when it reaches a page or the API unhandled

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return render(self.msgid, self.params)

    def translated(self) -> str:
        """The message in the current locale (needs an app context)."""
        from flask_babel import gettext

        return gettext(self.msgid, **self.params)


class NotFound(Refusal):
    """The object does not exist, or the user may not know that it does."""

    status = 404
