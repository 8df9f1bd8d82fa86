"""Attachments of disclosures and matters: only PDFs and pictures, judged by content, size-limited,
stored content-addressed under DATA_DIR/attachments and never executable; refusals write nothing."""

from __future__ import annotations

import io
import os
import shutil
import stat
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.lists import ELF, MZ, PDF, jpeg
from webapp.extensions import db
from webapp.lists.models import Attachment
from webapp.lists.services import attachments


def _root() -> Path:
    """The test app's attachment folder (services are told where it is)."""
    return attachments.attachment_root(current_app.config)


def png_with_metadata() -> bytes:
    """A PNG carrying a text chunk and EXIF with a GPS-like note, as a phone might send."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "张三丰 13800000000")
    exif = Image.Exif()
    exif[0x010E] = "location 29.5N 106.5E"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG", pnginfo=info, exif=exif.tobytes())
    return out.getvalue()


def stored_files(app) -> list[Path]:
    root = Path(app.config["DATA_DIR"]) / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def village(app, make):
    """A village, and an empty attachment folder (the data folder is shared by the session's tests)."""
    shutil.rmtree(Path(app.config["DATA_DIR"]) / "attachments", ignore_errors=True)
    return make.village(make.town(code="FS"), code="YF")


def test_a_pdf_is_stored_content_addressed_and_not_executable(app, village):
    """The bytes land at attachments/aa/bb/<sha256>, without an extension or an execute bit."""
    row = attachments.attach(PDF, "2026年3月财务公开.pdf", village.id, root=_root())
    path = attachments.blob_path(row.sha256, _root())
    assert path.read_bytes() == PDF
    assert path.relative_to(Path(app.config["DATA_DIR"])).parts == ("attachments", row.sha256[:2], row.sha256[2:4], row.sha256)
    assert not os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    assert (row.content_type, row.size, row.filename) == ("application/pdf", len(PDF), "2026年3月财务公开.pdf")


def test_the_same_file_twice_is_stored_once(app, village):
    """Content addressing: one blob, two rows."""
    a = attachments.attach(PDF, "a.pdf", village.id, root=_root())
    b = attachments.attach(PDF, "b.pdf", village.id, root=_root())
    assert a.sha256 == b.sha256 and len(stored_files(app)) == 1


def test_a_picture_is_kept_but_its_metadata_is_not(app, village):
    """Names, phone numbers and places hidden in a picture's metadata never reach the public page."""
    row = attachments.attach(png_with_metadata(), "公示照片.png", village.id, root=_root())
    data = attachments.read_blob(row, _root())
    assert row.content_type == "image/png"
    assert "张三丰".encode() not in data and b"13800000000" not in data and b"location" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (40, 30) and not image.getexif()


def test_a_file_is_judged_by_its_content_not_its_name(village):
    """A JPEG named .pdf is a JPEG (and gets the .jpg name); a PDF named .png is a PDF."""
    assert attachments.attach(jpeg(), "scan.pdf", village.id, root=_root()).content_type == "image/jpeg"
    assert attachments.attach(jpeg(), "scan.pdf", village.id, root=_root()).filename == "scan.jpg"
    assert attachments.attach(PDF, "photo.png", village.id, root=_root()).content_type == "application/pdf"


@pytest.mark.parametrize(("data", "name", "msgid_part"), [
    (ELF, "财务报表.pdf", "program"),
    (MZ, "invoice.pdf", "program"),
    (b"#!/bin/sh\nrm -rf /\n", "notice.png", "program"),
    (b"PK\x03\x04" + b"\x00" * 50, "table.pdf", "program"),
    (b"<html><script>alert(1)</script></html>", "notice.pdf", "Only PDF"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken.png", "Only PDF"),  # a picture's header, then junk
    (PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"), "a.pdf", "scripts"),
    (b"", "empty.pdf", "empty"),
])
def test_anything_but_a_pdf_or_a_picture_is_refused_and_nothing_is_written(app, village, data, name, msgid_part):
    """A renamed program, a web page, a damaged picture or an active PDF: refused with a message, no file, no row."""
    with pytest.raises(attachments.AttachmentRefused) as caught:
        attachments.attach(data, name, village.id, root=_root())
    assert msgid_part in caught.value.msgid
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_a_file_over_ten_megabytes_is_refused(app, village):
    """The limit is checked before anything is decoded."""
    with refused("The file is too large (at most %(mb)s MB).", attachments.AttachmentRefused) as caught:
        attachments.attach(PDF + b"0" * attachments.MAX_BYTES, "big.pdf", village.id, root=_root())
    assert caught.value.params == {"mb": 10}
    assert stored_files(app) == []


def test_one_bad_file_among_several_refuses_them_all(app, village):
    """Checked first, written after: a post never goes out with half its attachments."""
    with refused("%(name)s: %(reason)s", attachments.AttachmentRefused) as caught:
        attachments.attach_all([("a.pdf", PDF), ("b.pdf", ELF)], village.id, root=_root())
    assert caught.value.params["name"] == "b.pdf"
    assert stored_files(app) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\会计\\三月.pdf", "三月.pdf"),
    ('a"b<c>.pdf', "abc.pdf"),
    ("", "attachment.pdf"),
])
def test_the_download_name_keeps_no_folders_or_control_characters(name, expected):
    """The name is for the download only, and is made harmless."""
    assert attachments.safe_filename(name, "application/pdf") == expected


def test_a_blob_key_must_be_a_sha256(app):
    """No path tricks through the key."""
    with pytest.raises(ValueError):
        attachments.blob_path("../../secret_key", _root())
