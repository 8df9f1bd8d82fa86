"""Attachments of disclosures and matters: only PDFs and pictures, judged by content, size-limited,
stored content-addressed as attachments/aa/bb/<sha256> (a file under DATA_DIR, never executable, or an
object in the bucket: tests/worlds/object_store.py runs these on both); refusals write nothing."""

from __future__ import annotations

import io
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from flask import current_app
from PIL import Image
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.lists import ELF, MZ, PDF, jpeg
from tests.worlds.object_store import settings_of, stored_keys
from webapp.extensions import db
from webapp.lists.models import Attachment
from webapp.lists.services import attachments, disclosures
from webapp.photos.services.blobs import BlobStore, s3_client


def _root() -> BlobStore:
    """The test app's attachment store (services are told where it is)."""
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


def stored_files(app) -> list[str]:
    return stored_keys(app.config, "attachments/")


@pytest.fixture
def village(app, make, object_store):
    """A village, and no attachments yet: an emptied folder, then a fresh bucket."""
    return make.village(make.town(code="FS"), code="YF")


def test_a_pdf_is_stored_content_addressed_and_not_executable(app, village, object_store):
    """The bytes land at attachments/aa/bb/<sha256>, without an extension or an execute bit (on disk),
    with their checked type (in the bucket)."""
    row = attachments.attach(PDF, "2026年3月财务公开.pdf", village.id, root=_root())
    key = attachments.blob_key(row.sha256)
    assert key == f"attachments/{row.sha256[:2]}/{row.sha256[2:4]}/{row.sha256}" and stored_files(app) == [key]
    assert attachments.read_blob(row, _root()) == PDF
    if object_store == "disk":
        assert not os.stat(Path(app.config["DATA_DIR"]) / key).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    else:
        head = s3_client(settings_of(app.config)).head_object(Bucket=app.config["S3_BUCKET"], Key=key)
        assert head["ContentType"] == "application/pdf"
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


def test_a_blob_key_must_be_a_sha256():
    """No path tricks through the key."""
    with pytest.raises(ValueError):
        attachments.blob_key("../../secret_key")


# --- serving, on disk and from the bucket -------------------------------------------------------

@pytest.fixture
def served(app, village):
    """A published post with a PDF and a picture, a post still to come, a file of no post (as a matter's)."""
    root = _root()
    post = disclosures.post(village, "finance", "三月财务公开", "", date(2026, 3, 31),
                            files=[("三月收支.pdf", PDF), ("公示栏.jpg", jpeg())], root=root)
    later = disclosures.post(village, "finance", "未来", "", date.today() + timedelta(days=5),
                             files=[("x.pdf", PDF + b"%later")], root=root)
    matter_file = attachments.attach(PDF + b"%matter", "户口簿.pdf", village.id, root=root)
    db.session.commit()
    return {"pdf": post.attachments[0], "picture": post.attachments[1], "later": later.attachments[0],
            "matter": matter_file}


def test_a_public_attachment_is_streamed_with_its_type_length_and_etag(client, served):
    """The PDF downloads under its UTF-8 name, the picture shows inline; the browser revalidates by ETag."""
    pdf = client.get(f"/attachments/{served['pdf'].id}")
    assert pdf.status_code == 200 and pdf.data == PDF and pdf.mimetype == "application/pdf"
    assert int(pdf.headers["Content-Length"]) == len(PDF) and pdf.headers["ETag"] == f'"{served["pdf"].sha256}"'
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E4%B8%89%E6%9C%88%E6%94%B6%E6%94%AF.pdf" in pdf.headers["Content-Disposition"]
    assert pdf.headers["Cache-Control"] == "private, max-age=3600"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    picture = client.get(f"/attachments/{served['picture'].id}")
    assert picture.mimetype == "image/jpeg" and picture.headers["Content-Disposition"].startswith("inline;")
    again = client.get(f"/attachments/{served['pdf'].id}", headers={"If-None-Match": pdf.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_a_future_posts_or_a_matters_file_is_404_to_the_public(client, served):
    """The access check runs before the store is read, on disk and in the bucket alike."""
    assert client.get(f"/attachments/{served['later'].id}").status_code == 404
    assert client.get(f"/attachments/{served['matter'].id}").status_code == 404
    assert client.get("/attachments/999999").status_code == 404


def test_an_attachment_missing_from_the_store_is_404(app, client, served):
    """The row is there but the bytes are gone: not found, never a 500."""
    _root().delete(attachments.blob_key(served["picture"].sha256))
    assert client.get(f"/attachments/{served['picture'].id}").status_code == 404


def test_presigned_attachment_links_are_opt_in_and_follow_the_access_check(app, client, served, object_store):
    """With JIFEN_S3_PRESIGNED=1 a visible file redirects to a 60-second link that serves it with its type
    and name; a hidden one is still 404. On disk the app streams as before."""
    app.config["S3_PRESIGNED"] = True
    try:
        hidden = client.get(f"/attachments/{served['matter'].id}")
        answer = client.get(f"/attachments/{served['pdf'].id}")
    finally:
        app.config["S3_PRESIGNED"] = False
    assert hidden.status_code == 404 and "Location" not in hidden.headers
    if object_store == "disk":
        assert answer.status_code == 200 and answer.data == PDF
        return
    assert answer.status_code == 302 and answer.headers["Cache-Control"] == "private, no-store"
    assert "X-Amz-Expires=60" in answer.headers["Location"]
    fetched = requests.get(answer.headers["Location"], timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert "response-content-disposition=attachment" in answer.headers["Location"]  # S3 answers with it
