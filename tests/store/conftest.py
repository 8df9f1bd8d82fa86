"""The store tests' shop (tests/worlds/store.py)."""

from __future__ import annotations

import pytest

from tests.worlds.store import Shop, build_shop


@pytest.fixture
def shop(make) -> Shop:
    return build_shop(make)
