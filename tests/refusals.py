"""Expecting a refusal: the one a test is about, not just any refusal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from _pytest._code import ExceptionInfo

from webapp.core.refusal import Refusal


@contextmanager
def refused(msgid: str, kind: type[Refusal] = Refusal) -> Iterator[ExceptionInfo]:
    """The block must raise a refusal of `kind` carrying this msgid; yields pytest's ExceptionInfo,
    whose .value is the refusal once the block has ended (to check its params)."""
    with pytest.raises(kind) as caught:
        yield caught
    assert caught.value.msgid == msgid, f"refused with {caught.value.msgid!r}, not {msgid!r}"
