"""The public check page speaks to villagers first: one sentence on what the fingerprint is, whether the
notice is intact in big plain words, and the technical proof (full hash, JSON, sha256sum) folded below."""

from __future__ import annotations

import re

import pytest

from tests.worlds.board import published_board
from webapp.extensions import db


@pytest.fixture
def board(make):
    return published_board(make)


def test_the_check_page_explains_the_fingerprint_and_says_the_notice_is_intact_before_any_proof(client, board):
    publication = board["publication"]
    html = client.get(f"/v/YF/board/{board['last'].key}/check").get_data(as_text=True)
    explain = html.index('class="check-explain"')
    intact = html.index('class="intact intact-yes"')
    proof = html.index('<details class="check-proof">')  # folded: no `open`
    assert explain < intact < proof
    assert "指纹" in html[explain:intact]  # in Chinese, the sentence says what a fingerprint is
    assert html.index(publication.sha256) > proof  # the full hash is only in the folded proof
    assert html.index("snapshot.json") > proof and html.index("sha256sum") > proof
    assert re.search(r'<p class="intact intact-yes" id="intact">✓ [^<]*完好', html)


def test_a_notice_changed_after_publication_says_so_in_plain_words_and_unfolds_the_proof(client, board):
    publication = board["publication"]
    publication.snapshot = publication.snapshot.replace("张三丰", "张三风")
    db.session.commit()
    html = client.get(f"/v/YF/board/{board['last'].key}/check").get_data(as_text=True)
    assert 'class="intact intact-no"' in html and 'class="intact intact-yes"' not in html
    assert '<details class="check-proof" open>' in html
