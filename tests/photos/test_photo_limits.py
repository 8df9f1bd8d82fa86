"""Photo decoding is bounded by what phones really send: a JPEG is decoded already scaled down, a PNG
or WebP only up to screenshot sizes; a JPEG that ends early is refused even with an end marker stuck on."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.data.photos import make_photos as pics
from webapp.photos.services.processing import MAX_JPEG_PIXELS, MAX_PIXELS, PhotoRefused, process_image

ROOT = Path(__file__).resolve().parents[2]
# Processes one photo in a fresh interpreter and prints the memory it took (peak RSS over the baseline).
MEASURE = """
import resource, sys
from webapp.photos.services.processing import process_image
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
done = process_image(data)
print(done.width, done.height, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def measured(tmp_path, data: bytes) -> tuple[int, int, int]:
    """(width, height, MB) of processing the photo in a child process."""
    path = tmp_path / "photo"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    width, height, megabytes = map(int, out.stdout.split())
    return width, height, megabytes


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_a_40_megapixel_png_is_refused_at_once():
    """The probe's 164 KB PNG of 40 MP (495 MB, 6 s before): refused by its header, in milliseconds."""
    data = pics.bomb_png(8000, 5000)
    started = time.perf_counter()
    with pytest.raises(PhotoRefused) as caught:
        process_image(data)
    assert time.perf_counter() - started < 0.5
    assert (caught.value.status, caught.value.code, caught.value.params["mp"]) == (422, "too_many_pixels", 12)


def test_a_png_at_the_limit_is_accepted_within_bounded_memory(tmp_path):
    """A 12 MP PNG with transparency (a tablet screenshot is 6) is stored at 2000 px, in well under 200 MB."""
    assert 4000 * 3000 <= MAX_PIXELS
    width, height, megabytes = measured(tmp_path, encoded(Image.new("RGBA", (4000, 3000), (0, 90, 0, 128)), "PNG"))
    assert (width, height) == (2000, 1500) and megabytes < 200


def test_a_50_megapixel_phone_jpeg_is_accepted_and_decoded_at_a_quarter_scale(tmp_path):
    """A phone camera's full-size 50 MP JPEG (the browser could not downscale it) costs tens of MB, not 200."""
    data = encoded(Image.linear_gradient("L").resize((8160, 6120)), "JPEG", quality=70)
    width, height, megabytes = measured(tmp_path, data)
    assert (width, height) == (2040, 1530) and megabytes < 60


def test_a_jpeg_over_110_megapixels_is_refused():
    """Past a 108 MP camera's full size, a JPEG is refused by its header, without decoding."""
    data = encoded(Image.new("L", (12_800, 8_800)), "JPEG", quality=10)
    assert 12_800 * 8_800 > MAX_JPEG_PIXELS
    with pytest.raises(PhotoRefused) as caught:
        process_image(data)
    assert caught.value.code == "too_many_pixels" and caught.value.params["mp"] == 110


@pytest.mark.parametrize("progressive", [False, True])
@pytest.mark.parametrize("kept", [0.2, 0.5, 0.9, 0.99])
def test_a_jpeg_cut_short_with_an_end_marker_stuck_on_is_refused(progressive, kept):
    """An upload that broke off and was closed with FF D9 (libjpeg would fill it with grey): 422 not_an_image."""
    whole = encoded(Image.open(io.BytesIO(pics.noise_jpeg((1600, 1200)))), "JPEG", quality=85,
                    progressive=progressive)
    with pytest.raises(PhotoRefused) as caught:
        process_image(whole[: int(len(whole) * kept)] + b"\xff\xd9")
    assert (caught.value.status, caught.value.code) == (422, "not_an_image")


@pytest.mark.parametrize("build", [
    lambda: pics.gps_jpeg(),
    lambda: encoded(Image.open(io.BytesIO(pics.gps_jpeg())), "JPEG", progressive=True),
    lambda: encoded(Image.open(io.BytesIO(pics.gps_jpeg())), "JPEG", restart_marker_blocks=4),
    lambda: pics.gps_jpeg() + b"\0" * 100,  # trailing bytes after the end marker, as some cameras write
    lambda: pics.gps_jpeg() + pics.gps_jpeg(),  # a second picture after the first (MPF, a phone's depth map)
    lambda: pics.noise_jpeg((3300, 2500)),
])
def test_whole_jpegs_are_still_accepted(build):
    """Baseline, progressive, with restart markers, with trailing data or a second picture: all accepted."""
    done = process_image(build())
    assert done.width >= 640
