"""Numbers and text from the request that the database can hold: bounded ids, no control characters.

Every id column is a 32-bit INTEGER on PostgreSQL and a 64-bit one on SQLite; a number beyond
that range in a URL or a form must not reach a query, where it fails (500) instead of finding
nothing. So, centrally:

- `<int:…>` in every route is `BoundedIntegerConverter`: a number outside the 32-bit range does not
  match, and the URL is a 404 like any other id that does not exist;
- `request.args`, `request.form` and `request.values` are `BoundedMultiDict`s: `.get(x, type=int)`
  (and `.getlist(x, type=int)`) treat a number outside the range like a value that is not a
  number: "not given", the default. A request class rather than a helper, so that no route can
  forget it, and the routes keep reading parameters the ordinary way;
- `refuse_control_characters` answers 400 before any view runs when the path, the query, a form
  field or an upload's file name holds a C0 control character (NUL among them: PostgreSQL refuses
  it in text, SQLite would store it). Tab, CR and LF are allowed in form values (text areas),
  nowhere else.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request, request
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL's INTEGER, the narrower of the two databases

_CONTROL = re.compile(r"[\x00-\x1f]")  # any C0 control character
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")  # tab, LF, CR allowed


def bounded_int(text: Any) -> int:
    """int(text), but a ValueError (like any other non-number) outside the database's range."""
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(f"{value} is out of range")
    return value


def _bounded(kind: Any) -> Any:
    return bounded_int if kind is int else kind


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>`: a non-negative number up to INT_MAX; a larger one does not match (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=INT_MAX if max is None else max,
                         signed=signed)


class BoundedMultiDict(ImmutableMultiDict):
    """Query or form values whose `type=int` reads are bounded (see the module docstring)."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, _bounded(type))

    def getlist(self, key, type=None):
        return super().getlist(key, _bounded(type))


class BoundedCombinedMultiDict(CombinedMultiDict):
    """`request.values` with the same bounded `type=int` reads."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, _bounded(type))

    def getlist(self, key, type=None):
        return super().getlist(key, _bounded(type))


class BoundedRequest(Request):
    parameter_storage_class = BoundedMultiDict

    @cached_property
    def values(self) -> CombinedMultiDict:  # type: ignore[override]
        sources = [self.args] + ([self.form] if self.method != "GET" else [])
        return BoundedCombinedMultiDict([s if isinstance(s, MultiDict) else BoundedMultiDict(s) for s in sources])


def init_app(app: Flask) -> None:
    """Before the blueprints: their `<int:…>` rules are compiled with the converter in the map."""
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_control_characters)


def refuse_control_characters() -> None:
    """400 before any view when the request carries a control character where none belongs.

    JSON bodies are the API's to judge: the sync protocol refuses such an item alone (sync/apply.py),
    so that one bad item never blocks a phone's whole outbox."""
    if _CONTROL.search(request.path) or any(_CONTROL.search(k) or _CONTROL.search(v)
                                            for k, v in request.args.items(multi=True)):
        raise BadRequest()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if any(_CONTROL.search(k) or _CONTROL_IN_TEXT.search(v) for k, v in request.form.items(multi=True)):
        raise BadRequest()
    if any(_CONTROL.search(k) or _CONTROL.search(f.filename or "") for k, f in request.files.items(multi=True)):
        raise BadRequest()
