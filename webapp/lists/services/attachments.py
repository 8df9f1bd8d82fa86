"""Attachments (PDFs and pictures) of disclosures and service-desk matters.

What a file is, is judged by its content (magic bytes, and a full decode for pictures),
never by its name: a program renamed `.pdf` is refused. Bytes are stored content-addressed
under `<DATA_DIR>/attachments/aa/bb/<sha256>` with no extension and no execute bit, and are
served only with the type found here (see the blueprint for the headers).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.core.atomic_files import write_once
from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.lists.models import Attachment, Disclosure
from webapp.people.services.villages import managed_villages

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


def attachment_root(config: Mapping[str, Any]) -> Path:
    """The attachment folder under the app's DATA_DIR (routes pass their app's config)."""
    return Path(config["DATA_DIR"]) / "attachments"


def blob_path(sha256: str, root: Path) -> Path:
    """Where the bytes with this SHA-256 live; anything but a hex digest is refused (no path tricks)."""
    if not SHA_RE.match(sha256):
        raise ValueError("not an attachment key")
    return root / sha256[:2] / sha256[2:4] / sha256


def _write_blob(checked: Checked, root: Path) -> None:
    """Store the bytes atomically; the same content twice is stored once."""
    write_once(blob_path(checked.sha256, root), checked.data, mode=0o640)


def safe_filename(name: str, content_type: str) -> str:
    """The uploaded name without folders or control characters, with the extension of what it really is."""
    stem = PurePath((name or "").replace("\\", "/")).stem
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "", stem).strip(" .")[:80] or "attachment"
    ext = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type]
    return stem + ext


def attach(data: bytes, filename: str, village_id: int, actor_id: int | None = None,
           disclosure_id: int | None = None, matter_id: int | None = None, *, root: Path) -> Attachment:
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
               root: Path | None, **owner: int | None) -> list[Attachment]:
    """Check every file first, so one bad file refuses them all before anything is written."""
    for name, data in files:
        try:
            check_upload(data)
        except AttachmentRefused as refusal:
            raise AttachmentRefused(N_("%(name)s: %(reason)s"), name=name, reason=refusal.translated()) from None
    if files and root is None:
        raise ValueError("attachments need the folder they are stored in")
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


def read_blob(attachment: Attachment, root: Path) -> bytes:
    """The stored bytes of an attachment, from the folder `root`."""
    return blob_path(attachment.sha256, root).read_bytes()
