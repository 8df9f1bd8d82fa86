"""Roster files are bounded: bytes, rows and problems shown; a hostile file is refused in moments,
and any file at all is imported or refused, never a crash."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.models.household import Household, Member
from webapp.people.services import roster_file
from webapp.people.services.roster import RosterError, import_roster

HEADER = "户编码,户主,村民小组,联系电话"
TOO_MANY = "The file %(filename)s has more than %(max)s households; import at most %(max)s at a time, " \
           "for example one file per village group."


def written() -> tuple[int, int]:
    return db.session.scalar(select(func.count(Household.id))), db.session.scalar(select(func.count(Member.id)))


def upload(client, village_id: int, filename: str, content: bytes):
    page = client.get(f"/admin/roster?village={village_id}")
    return client.post("/admin/roster", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "village": str(village_id),
        "file": (io.BytesIO(content), filename)})


def xlsx_with_sheet(rows_xml: str, dimension: str | None = None) -> bytes:
    """A real workbook whose first sheet's rows (and <dimension>) are replaced by the XML given."""
    book = openpyxl.Workbook(write_only=True)
    book.create_sheet().append(["户编码", "户主"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                head, _sep, rest = text.partition("<sheetData>")
                _rows, _sep, tail = rest.partition("</sheetData>")
                if dimension:
                    head = head.replace("<sheetViews>", f'<dimension ref="{dimension}"/><sheetViews>')
                data = f"{head}<sheetData>{rows_xml}</sheetData>{tail}".encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def header_and_one_household() -> str:
    return ('<row r="1"><c r="A1" t="inlineStr"><is><t>户编码</t></is></c><c r="B1" t="inlineStr"><is><t>户主</t></is>'
            '</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>YF1</t></is></c><c r="B2" t="inlineStr"><is><t>张三'
            '</t></is></c></row>')


def test_an_xlsx_declaring_2_000_000_rows_is_refused_in_under_two_seconds(admin_village, client):
    """A small workbook whose sheet claims A1:K2000000 answers 422 at once, reading no row."""
    data = xlsx_with_sheet(header_and_one_household(), dimension="A1:K2000000")
    assert len(data) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    response = upload(client, admin_village.id, "roster.xlsx", data)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 422 and "10000" in response.get_data(as_text=True).replace(",", "")
    assert elapsed < 2 and peak < 50 * 2**20
    assert written() == (0, 0)


def test_an_xlsx_with_2_000_000_real_rows_stops_reading_at_the_limit(make):
    """Rows past the limit (here two million, blank ones included) are never read: refused in under 2 s."""
    village = make.village(make.town(code="FS"), code="YF")
    rows = header_and_one_household() + "<row/>" * 1_999_998  # rows without their number: openpyxl counts on
    data = xlsx_with_sheet(rows)
    assert len(data) < 1_000_000
    started = time.perf_counter()
    with refused("The file %(filename)s has more than %(max)s rows, counting blank ones; delete the empty rows "
                 "at its end and save it again.", RosterError):
        import_roster(village, "roster.xlsx", data)
    assert time.perf_counter() - started < 2
    assert written() == (0, 0)


def test_a_csv_with_more_households_than_the_limit_is_refused(make, monkeypatch):
    """One household past the limit and the whole file is refused, before a row is checked."""
    monkeypatch.setattr(roster_file, "MAX_ROSTER_ROWS", 50)
    village = make.village(make.town(code="FS"), code="YF")
    data = "\n".join([HEADER, *(f"YF{n},户主{n},一组," for n in range(51))]).encode()
    with refused(TOO_MANY, RosterError) as caught:
        import_roster(village, "big.csv", data)
    assert caught.value.params["max"] == 50 and written() == (0, 0)


def test_a_roster_file_over_4_mb_is_refused_before_it_is_read(make):
    """An 8.4 MB CSV (the probe's) is refused by its size, in the user's words, at once."""
    village = make.village(make.town(code="FS"), code="YF")
    data = (HEADER + "\n" + "bad,,," * 10 + "\n").encode() * 120_000
    assert len(data) > 8 * 2**20
    started = time.perf_counter()
    with refused("The file %(filename)s is %(size)s MB; at most %(max)s MB can be imported at once. Split it "
                 "into smaller files, for example one per village group.", RosterError) as caught:
        import_roster(village, "bad.csv", data)
    assert time.perf_counter() - started < 0.5
    assert caught.value.params["max"] == 4


def test_a_roster_of_bad_rows_lists_the_first_100_problems_and_counts_the_rest(admin_village, client):
    """3,000 bad rows: the page lists 100 problems, says how many more there are, and stays small."""
    rows = [HEADER, *(f"YF{n},,一组,12" for n in range(3000))]  # no head, and a bad phone: 2 problems a row
    started = time.perf_counter()
    response = upload(client, admin_village.id, "bad.csv", "\n".join(rows).encode())
    elapsed = time.perf_counter() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("<tr><td>") == 100 and 'id="more-problems"' in page and "5900" in page
    assert len(page) < 100_000 and elapsed < 5
    assert written() == (0, 0)


def test_an_xlsx_that_unpacks_to_more_than_64_mb_is_refused_unread(make):
    """A zip bomb (a small file whose parts unpack to gigabytes) is refused by what its directory declares."""
    village = make.village(make.town(code="FS"), code="YF")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (65 * 2**20))
    assert len(out.getvalue()) < 200_000
    with refused(TOO_MANY, RosterError):
        import_roster(village, "bomb.xlsx", out.getvalue())


CELL = st.one_of(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), st.sampled_from(["YF1", "张三", "是", "否", "2024-01-01", "13800138000",
                                                        "李四（配偶）、王五", "110101199001011234", "=1+1", ""]))
HEADERS = st.lists(st.sampled_from(["户编码", "户主", "村民小组", "网格", "联系电话", "身份证号", "家庭成员", "常住",
                                    "入户日期", "备注", "户编码", ""]), min_size=0, max_size=8)


@st.composite
def roster_files(draw) -> tuple[str, bytes]:
    """A CSV or .xlsx of arbitrary cells under a plausible header, or arbitrary bytes."""
    kind = draw(st.sampled_from(["csv", "xlsx", "bytes"]))
    header = draw(HEADERS)
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=6))
    if kind == "bytes":
        return draw(st.sampled_from(["r.csv", "r.xlsx", "r.txt"])), draw(st.binary(max_size=300))
    if kind == "csv":
        text = "\n".join(",".join(c.replace(",", "，") for c in row) for row in [header, *rows])
        return "r.csv", text.encode(draw(st.sampled_from(["utf-8", "gb18030"])), "replace")
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append([c if not c.startswith("=") else "'" + c for c in row])
    out = io.BytesIO()
    book.save(out)
    return "r.xlsx", out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(upload_file=roster_files())
def test_any_roster_file_is_imported_or_refused_and_a_refusal_writes_nothing(make, upload_file):
    """Whatever the file, the import succeeds or raises RosterError; refused, nothing was added."""
    village = make.village(make.town(), code=None)
    before = written()
    filename, data = upload_file
    try:
        with db.session.begin_nested():
            import_roster(village, filename, data)
    except RosterError:
        assert written() == before
    db.session.rollback()
