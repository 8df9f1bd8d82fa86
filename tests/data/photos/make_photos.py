"""Test photos, made with Pillow on the fly (nothing binary is kept in the repository).

Run as a script to write them into this folder for a look: python tests/data/photos/make_photos.py
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image

GPS_IFD, EXIF_IFD, DATETIME_ORIGINAL, ORIENTATION = 0x8825, 0x8769, 0x9003, 0x0112
TAKEN = "2026:11:22 08:15:00"  # camera (local) time


def _scene(size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A little picture with some structure (a gradient and a block), not a flat colour."""
    image = Image.merge("RGB", [Image.linear_gradient("L").resize(size), Image.new("L", size, 120),
                                Image.linear_gradient("L").rotate(90).resize(size)])
    image.paste((200, 30, 30), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    return image


def gps_jpeg(orientation: int | None = None) -> bytes:
    """A JPEG as a phone camera writes it: make, capture time, GPS position (and maybe a rotation)."""
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"
    exif[0x0110] = "Redmi 12"
    if orientation:
        exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = TAKEN
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (40.0, 7.0, 12.5), 3: "E", 4: (116.0, 12.0, 3.25)})
    out = io.BytesIO()
    _scene().save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG cut off halfway (an upload that broke)."""
    data = gps_jpeg()
    return data[: len(data) // 2]


def png_bytes(mode: str = "RGBA") -> bytes:
    """A real PNG (with transparency); sent as image/jpeg named photo.jpg in the tests."""
    image = _scene((300, 200)).convert(mode)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def text_as_jpeg() -> bytes:
    """A text file renamed photo.jpg."""
    return "这不是照片。This is not a photo.\n".encode() * 20


@lru_cache(maxsize=4)
def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A small PNG (≈50 KB) whose header declares 20000×20000 pixels: a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def noise_jpeg(size: tuple[int, int] = (4000, 3000), sigma: int = 20, quality: int = 85) -> bytes:
    """A camera-sized JPEG with noise over a gradient (12 MP by default), for the benchmark."""
    base = Image.linear_gradient("L").resize(size)
    bands = [Image.blend(base.rotate(angle), Image.effect_noise(size, sigma), 0.5) for angle in (0, 90, 180)]
    out = io.BytesIO()
    Image.merge("RGB", bands).save(out, "JPEG", quality=quality)
    return out.getvalue()


if __name__ == "__main__":
    here = Path(__file__).parent
    for name, data in (("gps.jpg", gps_jpeg()), ("truncated.jpg", truncated_jpeg()), ("png-renamed.jpg", png_bytes()),
                       ("text-renamed.jpg", text_as_jpeg()), ("bomb.png", bomb_png())):
        (here / name).write_bytes(data)
        print(name, len(data))
