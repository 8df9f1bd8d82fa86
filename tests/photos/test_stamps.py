"""The stamp (水印) drawn on a copy of a photo: what it changes, what it keeps, and that it is
drawn the same way every time."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from tests.data.photos import make_photos as pics
from webapp.photos.models import Photo
from webapp.photos.services.stamps import FONT_PATH, stamp_image, stamp_photo

LINES = ["2026-11-22 08:15", "油房村 一组 · 村口", "张三丰 · YF0001"]


class MemoryStore:
    def __init__(self) -> None:
        self.blobs: dict[tuple[str, str], bytes] = {}

    def put(self, sha256: str, variant: str, data: bytes) -> None:
        self.blobs[(sha256, variant)] = data

    def get(self, sha256: str, variant: str = "full") -> bytes:
        return self.blobs[(sha256, variant)]


def test_the_stamped_copy_differs_from_the_original_only_near_its_lower_left_corner():
    original = pics.gps_jpeg()
    stamped = stamp_image(original, LINES)
    with Image.open(io.BytesIO(original)) as a, Image.open(io.BytesIO(stamped.data)) as b:
        assert a.size == b.size
        top = (0, 0, a.width, a.height // 2)
        diff = [abs(x - y) for x, y in zip(a.convert("L").crop(top).tobytes(), b.convert("L").crop(top).tobytes())]
        assert max(diff) < 40  # the top half is the same picture (JPEG noise aside)
    assert stamped.sha256 == hashlib.sha256(stamped.data).hexdigest() and stamped.data != original


def test_the_same_photo_and_text_give_the_same_bytes():
    original = pics.gps_jpeg()
    assert stamp_image(original, LINES).sha256 == stamp_image(original, LINES).sha256
    assert stamp_image(original, LINES).sha256 != stamp_image(original, [*LINES[:2], "王五 · YF0002"]).sha256


def test_a_photo_is_stamped_once_and_its_original_is_left_alone():
    store, original = MemoryStore(), pics.gps_jpeg()
    store.put("a" * 64, "full", original)
    photo = Photo(upload_sha256="b" * 64, stored_sha256="a" * 64, width=640, height=480, bytes=len(original))

    assert stamp_photo(photo, LINES, store) is True
    first = photo.stamped_sha256
    assert stamp_photo(photo, ["other text"], store) is False and photo.stamped_sha256 == first
    assert store.get("a" * 64) == original and (first, "thumb") in store.blobs


def test_the_shipped_font_is_a_subset_of_a_few_megabytes_with_its_licence():
    assert 500_000 < FONT_PATH.stat().st_size < 5_000_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_PATH.parent / "OFL.txt").read_text(encoding="utf-8")
