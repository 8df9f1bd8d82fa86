"""Stamped copies (水印) of evidence photos: time, place and household written onto the picture, as
Chinese field apps (今日水印相机 and the like) do, so a photo shown apart from its entry still says
when, where and whose it is.

The stamp goes on a COPY: the original stays stored (Photo.stored_sha256) for the record, and the copy
(Photo.stamped_sha256) is what reviewers and the public are shown (routes.py serves `shown_sha256`).
The text is drawn with a Noto Sans CJK SC subset shipped in webapp/photos/fonts/ (made by
scripts/make_stamp_font.py: ASCII, GB2312's hanzi, CJK punctuation), so no system font is needed.
The same photo and text always give the same bytes, and a photo stamped once is never stamped again:
an upload repeated, or the same bytes arriving for a second entry, changes nothing.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from webapp.photos.models import Photo
from webapp.photos.services.processing import QUALITY, THUMB_EDGE
from webapp.photos.services.storage import PhotoStore

FONT_PATH = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansCJKsc-Stamp.otf"
MAX_LINE = 60  # characters of one line (a long place name is cut, not wrapped over the picture)
BAND_ALPHA = 140  # the dark band behind the text: readable on snow and on a white wall alike


@dataclass(frozen=True, slots=True)
class Stamped:
    data: bytes
    thumb: bytes
    sha256: str


@cache
def stamp_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def has_glyphs(text: str) -> bool:
    """Whether the shipped font draws every character of `text` (not its empty 'tofu' box)."""
    missing = _drawn("\ue000")  # a private-use code point: never in the font
    return all(ch.isspace() or _drawn(ch) != missing for ch in text)


def _drawn(ch: str) -> bytes:
    canvas = Image.new("L", (48, 48))
    ImageDraw.Draw(canvas).text((8, 0), ch, font=stamp_font(32), fill=255)
    return canvas.tobytes()


def stamp_image(jpeg: bytes, lines: Sequence[str]) -> Stamped:
    """The photo with the lines written in its lower left corner on a dark band, and its thumbnail."""
    with Image.open(io.BytesIO(jpeg)) as opened:
        picture = opened.convert("RGB")
    size = max(14, round(min(picture.size) / 22))
    font = stamp_font(size)
    texts = [line[:MAX_LINE] for line in lines if line.strip()]
    margin, gap = size // 2, size // 4
    heights = [max(1, font.getbbox(text)[3]) for text in texts]
    width = max((font.getlength(text) for text in texts), default=0)
    band_height = sum(heights) + gap * max(0, len(texts) - 1) + 2 * margin
    band = (0, picture.height - band_height, min(picture.width, int(width) + 3 * margin), picture.height)
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle(band, fill=(0, 0, 0, BAND_ALPHA))
    draw.rectangle((band[0], band[1], band[0] + max(3, size // 6), band[3]), fill=(255, 196, 0, 230))
    y = band[1] + margin
    for text, height in zip(texts, heights, strict=True):
        draw.text((margin + max(3, size // 6) + margin // 2, y), text, font=font, fill=(255, 255, 255, 255))
        y += height + gap
    stamped = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")
    data = _jpeg(stamped)
    thumb = stamped.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), reducing_gap=2.0)
    return Stamped(data, _jpeg(thumb, quality=80), hashlib.sha256(data).hexdigest())


def _jpeg(image: Image.Image, quality: int = QUALITY) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)  # no metadata at all: the stamp says the time
    return out.getvalue()


def stamp_photo(photo: Photo, lines: Sequence[str], store: PhotoStore) -> bool:
    """Give the photo its stamped copy unless it has one; whether it was stamped now."""
    if photo.stamped_sha256 is not None or not any(line.strip() for line in lines):
        return False
    stamped = stamp_image(store.get(photo.stored_sha256, "full"), lines)
    store.put(stamped.sha256, "full", stamped.data)  # content-addressed: writing twice is harmless
    store.put(stamped.sha256, "thumb", stamped.thumb)
    photo.stamped_sha256 = stamped.sha256
    return True
