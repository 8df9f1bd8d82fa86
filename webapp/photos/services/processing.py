"""Photo uploads: check, decode safely, re-encode without metadata, store content-addressed.

(A phone's upload is accepted only for an entry or inspection of the uploading user that listed
its hash: webapp/fieldwork/services/photo_upload.py.) Decoding is guarded: a size limit before anything is decoded, a pixel limit (a
decompression bomb raises instead of warning), a full verify, and only JPEG, PNG and WebP
judged by content. The stored JPEG keeps no metadata but the capture time.

Memory follows the pixels decoded, not the file's size. A JPEG is decoded already scaled down (1/2 to
1/8, `Image.draft`), so a phone camera's full-size photo (12–108 MP, when the browser could not
downscale it) costs at most about 40 MB; PNG and WebP decode whole (4 bytes a pixel), so they are
held to screenshot sizes and scaled down (`Image.reduce`) before anything else is done with them.
A JPEG that ends early is refused even when an end marker was stuck on (libjpeg would fill the
rest with grey and only warn).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from sync import MAX_PHOTO_BYTES
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.photos.models import Photo
from webapp.photos.services.storage import PhotoStore

ZONE = ZoneInfo("Asia/Shanghai")  # camera times without an offset are the villages' local time
FORMATS = ("JPEG", "PNG", "WEBP")
MAX_JPEG_PIXELS = 110_000_000  # a 108 MP phone camera's full-size photo; decoded at ≤ 1/4 scale
MAX_PIXELS = 12_000_000  # PNG and WebP (screenshots; a 12 MP camera size): decoded whole, ~100 MB at most
# Phones send a long edge ≤ 1600. Bigger photos are scaled down by a power of two (a JPEG while it
# decodes, which costs nothing) to the smallest size still ≥ 1600, so stored photos stay < 3200.
LONG_EDGE = 1600
ORIENTATION = 0x0112
THUMB_EDGE = 320
QUALITY = 85
EXIF_IFD, DATETIME, DATETIME_ORIGINAL, OFFSET_ORIGINAL = 0x8769, 0x0132, 0x9003, 0x9011

Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS  # Pillow warns above this and refuses above twice this
# Stuck in before a JPEG's end marker: a complete JPEG ignores it, one that ends early decodes it.
_FILLER = bytes(range(1, 255, 3)) * 2  # no 0xFF: pure entropy-coded bits
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # a marker after entropy-coded data (not a restart)


class PhotoRefused(Refusal):
    """A refused upload: an HTTP status, a machine code and a message; nothing was stored."""

    def __init__(self, status: int, code: str, msgid: str, **params: object) -> None:
        super().__init__(msgid, **params)
        self.status = status
        self.code = code


@dataclass(frozen=True, slots=True)
class Processed:
    data: bytes
    thumb: bytes
    sha256: str
    width: int
    height: int
    taken_at: datetime | None  # naive UTC


def _not_an_image() -> PhotoRefused:
    return PhotoRefused(422, "not_an_image", N_("This file is not a JPEG, PNG or WebP photo, or it is damaged."))


def too_large() -> PhotoRefused:
    """413: over the upload limit (the web layer checks Content-Length before reading the body)."""
    return PhotoRefused(413, "too_large", N_("The photo is larger than %(mb)s MB."), mb=MAX_PHOTO_BYTES // 2**20)


def _too_many_pixels(limit: int = MAX_PIXELS) -> PhotoRefused:
    return PhotoRefused(422, "too_many_pixels", N_("This picture has too many pixels (at most %(mp)s megapixels)."),
                        mp=limit // 1_000_000)


def process_image(body: bytes, zone: tzinfo = ZONE) -> Processed:
    """Decode, check and re-encode one uploaded photo (raises PhotoRefused 422)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(body), formats=FORMATS) as probe:
                limit = MAX_JPEG_PIXELS if probe.format == "JPEG" else MAX_PIXELS
                if probe.width * probe.height > limit:
                    raise _too_many_pixels(limit)
                probe.verify()
            with Image.open(io.BytesIO(body), formats=FORMATS) as image:
                if image.format == "JPEG":  # decode at 1/2, 1/4 … scale when that still covers LONG_EDGE
                    image.draft("RGB", _draft_size(image))
                image.load()
                if image.format == "JPEG" and not _jpeg_is_whole(body, image):
                    raise _not_an_image()
                return _reencode(image, _taken_at(image, zone))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # past both limits, at open
            raise _too_many_pixels(MAX_JPEG_PIXELS if body.startswith(b"\xff\xd8") else MAX_PIXELS) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise _not_an_image() from None


def _draft_size(image: Image.Image) -> tuple[int, int]:
    ratio = min(1.0, LONG_EDGE / max(image.size))
    return round(image.width * ratio), round(image.height * ratio)


def _reencode(image: Image.Image, taken_at: datetime | None) -> Processed:
    picture = _reduced(image)  # before transposing and flattening, which copy every pixel
    if image.getexif().get(ORIENTATION, 1) != 1:  # transposing copies: only when needed
        picture = ImageOps.exif_transpose(picture)
    picture = _plain(picture)
    if max(picture.size) >= 2 * LONG_EDGE:  # never for a JPEG, which draft() already scaled
        picture = picture.copy()
        picture.thumbnail((2 * LONG_EDGE - 1, 2 * LONG_EDGE - 1), reducing_gap=2.0)
    data = _jpeg(picture, taken_at)
    scale = THUMB_EDGE / max(picture.size)
    thumb = picture if scale >= 1 else picture.resize(
        (max(1, round(picture.width * scale)), max(1, round(picture.height * scale))), reducing_gap=2.0)
    return Processed(data, _jpeg(thumb, None, quality=80), hashlib.sha256(data).hexdigest(),
                     picture.width, picture.height, taken_at)


def _reduced(image: Image.Image) -> Image.Image:
    """Scaled down by a whole factor to a long edge from LONG_EDGE to 2 × LONG_EDGE (a PNG or WebP;
    a JPEG is already that small)."""
    factor = max(image.size) // LONG_EDGE
    if factor < 2:
        return image
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if image.mode in ("PA", "P") and "transparency" in image.info
                              or "A" in image.mode else "RGB")
    return image.reduce(factor)


def _jpeg_is_whole(body: bytes, decoded: Image.Image) -> bool:
    """Whether a JPEG's scans end at its end marker, not before it: the picture (decoded at the scale
    it is stored at) comes out the same with filler bytes put in just before that marker."""
    end = _end_of_scans(body)
    if end is None:
        return False
    with Image.open(io.BytesIO(body[:end] + _FILLER + body[end:]), formats=("JPEG",)) as filled:
        filled.draft("RGB", _draft_size(filled))
        filled.load()
        return (filled.size == decoded.size and filled.mode == decoded.mode
                and ImageChops.difference(filled, decoded).getbbox() is None)


def _end_of_scans(body: bytes) -> int | None:
    """Where the end marker (FF D9) of a JPEG's first image is, walking its segments; None if it has none."""
    pos = 2  # after the start marker FF D8
    while pos + 4 <= len(body):
        if body[pos] != 0xFF:
            return None
        marker = body[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0xD9:
            return pos
        elif 0xD0 <= marker <= 0xD8 or marker == 0x01:  # markers without a length
            pos += 2
        else:
            pos += 2 + int.from_bytes(body[pos + 2:pos + 4], "big")
            if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
                found = _MARKER.search(body, pos)
                if found is None:
                    return None
                pos = found.start()
    return pos if body[pos:pos + 2] == b"\xff\xd9" else None


def _plain(image: Image.Image) -> Image.Image:
    """RGB or greyscale, transparency flattened onto white (JPEG has no alpha)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image, taken_at: datetime | None, quality: int = QUALITY) -> bytes:
    """JPEG bytes without metadata, except (for the full photo) the capture time in UTC."""
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(EXIF_IFD).update({DATETIME_ORIGINAL: taken_at.strftime("%Y:%m:%d %H:%M:%S"),
                                       OFFSET_ORIGINAL: "+00:00"})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes() if taken_at else b"")
    return out.getvalue()


def _taken_at(image: Image.Image, zone: tzinfo) -> datetime | None:
    """The capture time from EXIF as naive UTC (camera time is local unless an offset is given)."""
    try:
        exif = image.getexif()
        ifd = exif.get_ifd(EXIF_IFD)
        text = ifd.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
        if not isinstance(text, str):
            return None
        moment = datetime.strptime(text.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        offset = ifd.get(OFFSET_ORIGINAL)
        if isinstance(offset, str) and len(offset) >= 6 and offset[0] in "+-":
            sign = 1 if offset[0] == "+" else -1
            local = moment.replace(tzinfo=timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))))
        else:
            local = moment.replace(tzinfo=zone)
        return local.astimezone(UTC).replace(tzinfo=None)
    except Exception:  # noqa: BLE001 - a broken EXIF block only costs the capture time
        return None


def store_photo(user_id: int, body: bytes, store: PhotoStore,
                zone: tzinfo = ZONE) -> tuple[Photo, bool]:
    """The Photo of these uploaded bytes, processed and stored once; and whether it is new.

    Also for photos sent with a web form (an objection, a self-declaration)."""
    if len(body) > MAX_PHOTO_BYTES:
        raise too_large()
    sha256 = hashlib.sha256(body).hexdigest()
    photo = db.session.scalar(select(Photo).where(Photo.upload_sha256 == sha256))
    if photo is not None:
        return photo, False
    processed = process_image(body, zone)
    store.put(processed.sha256, "full", processed.data)
    store.put(processed.sha256, "thumb", processed.thumb)
    photo = Photo(upload_sha256=sha256, stored_sha256=processed.sha256, width=processed.width,
                  height=processed.height, bytes=len(processed.data), taken_at=processed.taken_at,
                  uploaded_by_id=user_id)
    db.session.add(photo)
    db.session.flush()
    return photo, True
