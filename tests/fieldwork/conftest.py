"""The fieldwork tests' world: the sync world of tests/worlds/fieldwork.py."""

from __future__ import annotations

import pytest

from tests.worlds.fieldwork import build_world


@pytest.fixture
def world(make) -> dict:
    return build_world(make)
