"""Pure tests of sync/: an in-memory port, no Flask, no database."""

from __future__ import annotations

import pytest

from tests.sync.fake_port import FakePort


@pytest.fixture
def port() -> FakePort:
    return FakePort()
