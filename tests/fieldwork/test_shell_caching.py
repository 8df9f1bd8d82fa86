"""What lets the service worker precache the shell without downloading it a second time (issue 16):
a file at its current ?v= hash is kept by the browser for good, the strings live in one cached
script instead of every page, and the scoring pages load no htmx."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.worlds.villages import youfang
from webapp.extensions import db

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"


@pytest.fixture
def world(make):
    world = youfang(make)
    make.user("scorer", username="w", grid_id=world["grid"].id)
    db.session.commit()
    return world


def test_a_shell_file_at_its_current_hash_is_kept_for_good_and_any_other_version_is_revalidated(client):
    digest = hashlib.sha256((STATIC / "fieldwork" / "sync.js").read_bytes()).hexdigest()[:12]
    with client.get(f"/static/fieldwork/sync.js?v={digest}") as current:
        assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert current.headers["ETag"].startswith(f'"{digest}')
    with client.get("/static/fieldwork/sync.js?v=000000000000") as stale:
        assert "immutable" not in stale.headers.get("Cache-Control", "")
    with client.get("/static/fieldwork/sync.js") as unversioned:
        assert "immutable" not in unversioned.headers.get("Cache-Control", "")


def test_the_strings_are_one_cached_script_not_part_of_every_page(world, auth, client):
    auth.login("w")
    pages = [client.get(path).get_data(as_text=True) for path in ("/score", "/score/event", "/score/outbox")]
    urls = {re.search(r'<script src="(/score/strings\.js\?v=\w+)"', page)[1] for page in pages}
    assert len(urls) == 1 and all('id="i18n"' not in page for page in pages)
    with client.get(urls.pop()) as script:
        assert script.headers["Cache-Control"] == "private, max-age=31536000, immutable"
        text = script.get_data(as_text=True)
    strings = json.loads(re.search(r"self\.JifenStrings = (.*);", text, re.DOTALL)[1])
    assert strings["saved"] == "已保存在本机，有网时自动上传。"
    assert "已保存" in text  # as UTF-8, not \\u escapes


def test_the_scoring_pages_load_no_htmx_and_the_worker_precaches_none(world, auth, client):
    auth.login("w")
    for path in ("/score", "/score/event", "/score/inspection", "/score/outbox", "/score/offline"):
        assert "htmx" not in client.get(path).get_data(as_text=True), path
    assert "htmx" in client.get("/home").get_data(as_text=True)  # the other pages still boost with it
    assert "htmx" not in client.get("/sw.js").get_data(as_text=True)


def test_the_outbox_answers_its_received_block_alone_for_the_refresh_after_an_upload(world, auth, client):
    auth.login("w")
    fragment = client.get("/score/outbox", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and 'id="received"' in fragment and "<html" not in fragment
