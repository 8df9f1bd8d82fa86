"""The public notice board (公示栏), no login: the board on a phone, the village-hall TV, the printed
poster, the page that checks a poster's hash against the published snapshot, and the village's rules.

Only published results show (under notice or final); anything else, or another village's code,
is 404 (NotFound, answered by the edge). Every page is read-only: nothing here writes.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, make_response, request, url_for

from webapp.core.period_choices import period_label
from webapp.core.periods import Period
from webapp.core.qr_codes import qr_svg
from webapp.points.services.rule_book import public_rules
from webapp.publication.services import board as board_service, board_find
from webapp.web.htmx import render

bp = Blueprint("board", __name__)

POSTER_SIZES = ("A4", "A3")
TV_RELOAD_SECONDS = 600  # a new publication reaches the hall's TV within ten minutes


@bp.context_processor
def _helpers():
    return {"period_name": lambda key: period_label(Period.parse(key))}


def _board(vcode: str, period: str | None) -> board_service.Board:
    if period is None:
        period = board_service.newest_period(vcode)
    return board_service.board(vcode, period, date.today())


@bp.get("/v/<vcode>/board", defaults={"period": None})
@bp.get("/v/<vcode>/board/<period>")
def show(vcode: str, period: str | None):
    """The board on a phone: the newest publication (or the one asked for) and links to the others.
    ?find= is 查找我家 (a name, household code or initials): the rows found, each linked to its place in
    the ranking; htmx gets the answer alone. The board's own address is there to share, with its QR code."""
    b = _board(vcode, period)
    found = board_find.find_household(b.publication, b.snapshot, request.args.get("find", ""))
    share_url = url_for("board.show", vcode=b.village.code, period=None if period is None else b.publication.period,
                        _external=True)
    return render("publication/board/board.html", block="find", b=b, latest=period is None, found=found,
                  share_url=share_url, share_qr=qr_svg(share_url, fit=True))


@bp.get("/v/<vcode>/rules")
def rules(vcode: str):
    """The village's points rules in force, in plain words, for anyone (and printable on A4)."""
    return render("points/rules_public.html", book=public_rules(vcode, date.today()))


@bp.get("/v/<vcode>/board/tv", defaults={"period": None})
@bp.get("/v/<vcode>/board/<period>/tv")
def tv(vcode: str, period: str | None):
    """The village-hall TV: large type, no controls; without a period it follows the newest publication."""
    b = _board(vcode, period)
    board_url = url_for("board.show", vcode=b.village.code, period=b.publication.period, _external=True)
    return render("publication/board/tv.html", b=b, reload_seconds=TV_RELOAD_SECONDS, board_qr=qr_svg(board_url, fit=True))


@bp.get("/v/<vcode>/board/<period>/poster")
def poster(vcode: str, period: str):
    """The poster for the wall (?size=A4 or A3): one page, with the short hash and a QR code to check it."""
    b = _board(vcode, period)
    size = request.args.get("size", "A4").upper()
    if size not in POSTER_SIZES:
        size = "A4"
    check_url = url_for("board.check", vcode=b.village.code, period=b.publication.period,
                        h=b.short_hash.replace(" ", ""), _external=True)
    return render("publication/board/poster.html", b=b, size=size, sizes=POSTER_SIZES, check_url=check_url,
                  check_qr=qr_svg(check_url, fit=True), layout=board_service.poster_layout(b.snapshot, size))


@bp.get("/v/<vcode>/board/<period>/check")
def check(vcode: str, period: str):
    """Whether a typed or scanned hash matches the published snapshot, and whether the stored
    snapshot still hashes to the stored hash."""
    b = _board(vcode, period)
    result = board_service.check_hash(b.publication, request.args.get("h", "")[:100])
    return render("publication/board/check.html", block="verdict", b=b, result=result,
                  check_url=url_for("board.check", vcode=b.village.code, period=b.publication.period))


@bp.get("/v/<vcode>/board/<period>/snapshot.json")
def snapshot(vcode: str, period: str):
    """The stored canonical text, byte for byte: `sha256sum` of this file is the published hash."""
    publication = board_service.public_publication(vcode, period)
    response = make_response((publication.snapshot or "").encode("utf-8"))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    name = f"jifen-{publication.village.code}-{publication.period}.json"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
