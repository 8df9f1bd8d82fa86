"""Attachments (PDFs and pictures) of disclosures and service-desk matters.

What a file is, is judged by its content (magic bytes, and a full decode for pictures),
never by its name: a program renamed `.pdf` is refused. Bytes are stored content-addressed
under the key `attachments/aa/bb/<sha256>` with no extension — a file under DATA_DIR with no execute
bit, or an object in the S3-compatible bucket (JIFEN_STORAGE, docs/storage.md) — and are served only
after `visible_attachment`, with the type found here (see the public route for the headers).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.lists.models import Attachment, Disclosure
from webapp.people.services.villages import managed_villages
from webapp.photos.services.blobs import Blob, BlobStore
from webapp.photos.services.storage import blob_store

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
PICTURES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXECUTABLES = (b"\x7fELF", b"MZ", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"PK\x03\x04")
# Active content a village notice never needs: scripts, launching programs, embedded files.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)\b")


class AttachmentRefused(Refusal):
    """The upload is not an acceptable PDF or picture; nothing was written."""


@dataclass(frozen=True, slots=True)
class Checked:
    data: bytes
    content_type: str
    sha256: str


def check_upload(data: bytes) -> Checked:
    """Accept a PDF or a JPEG/PNG/WebP picture (by content), at most 10 MB; pictures lose their metadata."""
    if not data:
        raise AttachmentRefused(N_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise AttachmentRefused(N_("The file is too large (at most %(mb)s MB)."), mb=MAX_BYTES // (1024 * 1024))
    if data.startswith(EXECUTABLES):
        raise AttachmentRefused(N_(
            "This file is a program or an archive, not a PDF or a picture, whatever its name says. It was not saved."))
    if data.startswith(b"%PDF-"):
        if PDF_ACTIVE.search(data):
            raise AttachmentRefused(N_("This PDF contains scripts or embedded files; save it again as a plain PDF."))
        return Checked(data, "application/pdf", hashlib.sha256(data).hexdigest())
    return _picture(data)


def _picture(data: bytes) -> Checked:
    """Decode the picture fully (a damaged or disguised file fails), then re-encode it without metadata."""
    refused = AttachmentRefused(N_("Only PDF files and pictures (JPEG, PNG, WebP) can be attached. It was not saved."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=tuple(PICTURES)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise refused
                probe.verify()
            with Image.open(io.BytesIO(data), formats=tuple(PICTURES)) as image:
                fmt = image.format or "PNG"
                picture = ImageOps.exif_transpose(image)
                picture.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, UnidentifiedImageError,
                OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise refused from None
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=90)
    elif fmt == "WEBP":
        picture.save(out, "WEBP", quality=90)
    else:
        picture.save(out, "PNG", optimize=True)
    clean = out.getvalue()
    return Checked(clean, PICTURES[fmt], hashlib.sha256(clean).hexdigest())


def attachment_root(config: Mapping[str, Any]) -> BlobStore:
    """Where the app keeps attachments: files under its DATA_DIR (read-write for the owner, readable by
    the group, never executable) or its bucket. Routes pass their app's config; services take the store."""
    return blob_store(config, file_mode=0o640)


def blob_key(sha256: str) -> str:
    """The key of the bytes with this SHA-256; anything but a hex digest is refused (no path tricks)."""
    if not SHA_RE.match(sha256):
        raise ValueError("not an attachment key")
    return f"attachments/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _write_blob(checked: Checked, root: BlobStore) -> None:
    """Store the bytes atomically; the same content twice is stored once."""
    root.put(blob_key(checked.sha256), checked.data, checked.content_type)


def safe_filename(name: str, content_type: str) -> str:
    """The uploaded name without folders or control characters, with the extension of what it really is."""
    stem = PurePath((name or "").replace("\\", "/")).stem
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "", stem).strip(" .")[:80] or "attachment"
    ext = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type]
    return stem + ext


def attach(data: bytes, filename: str, village_id: int, actor_id: int | None = None,
           disclosure_id: int | None = None, matter_id: int | None = None, *, root: BlobStore) -> Attachment:
    """Check and store one upload for a disclosure or a matter under `root` (AttachmentRefused: nothing written)."""
    checked = check_upload(data)
    _write_blob(checked, root)
    row = Attachment(
        village_id=village_id, disclosure_id=disclosure_id, matter_id=matter_id, sha256=checked.sha256,
        content_type=checked.content_type, size=len(checked.data),
        filename=safe_filename(filename, checked.content_type), uploaded_by_id=actor_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def attach_all(files: list[tuple[str, bytes]], village_id: int, actor_id: int | None = None, *,
               root: BlobStore | None, **owner: int | None) -> list[Attachment]:
    """Check every file first, so one bad file refuses them all before anything is written."""
    for name, data in files:
        try:
            check_upload(data)
        except AttachmentRefused as refusal:
            raise AttachmentRefused(N_("%(name)s: %(reason)s"), name=name, reason=refusal.translated()) from None
    if files and root is None:
        raise ValueError("attachments need the store they are kept in")
    return [attach(data, name, village_id, actor_id, root=root, **owner) for name, data in files]  # type: ignore[arg-type]


def visible_attachment(user: Any, attachment_id: int, today: date) -> Attachment:
    """An attachment the asker may download: a public post's to anyone; a matter's only to the village's admins."""
    row = db.session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(N_("Not found."))
    manages = bool(getattr(user, "is_authenticated", False)) and any(
        v.id == row.village_id for v in managed_villages(user))
    if manages:
        return row
    if row.disclosure_id is not None:
        post = db.session.get(Disclosure, row.disclosure_id)
        if post is not None and post.published_on <= today:
            return row
    raise NotFound(N_("Not found."))


def read_blob(attachment: Attachment, root: BlobStore) -> bytes:
    """The stored bytes of an attachment (FileNotFoundError when they are gone)."""
    return root.get(blob_key(attachment.sha256))


def open_blob(attachment: Attachment, root: BlobStore) -> Blob:
    """The stored bytes of an attachment as a stream (FileNotFoundError when they are gone)."""
    return root.open(blob_key(attachment.sha256))


def disposition(attachment: Attachment) -> str:
    """Content-Disposition: PDFs download, pictures show inline; the name in ASCII and in UTF-8 (RFC 6266)."""
    kind = "attachment" if attachment.content_type == "application/pdf" else "inline"
    plain = unicodedata.normalize("NFKD", attachment.filename).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r'["\\]', "", plain) or "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(attachment.filename, safe='!#$&+-.^_`|~')}"


def presigned_link(attachment: Attachment, root: BlobStore) -> str | None:
    """A 60-second direct link when the store gives them (JIFEN_S3_PRESIGNED=1), else None."""
    return root.presigned_url(blob_key(attachment.sha256), attachment.content_type, disposition(attachment))
