"""Benchmark: server processing of one uploaded photo. Goal: ≤ 60 ms for a 12-megapixel JPEG.

Generates a 4000×3000 JPEG (noise over gradients, quality 85: ~2.7 MB, as busy as a real
camera photo) and a phone-sized 1600×1200 one, then times `process_image`: pixel-limit
check, verify, decode (a JPEG is decoded scaled by draft()), re-encode without metadata,
320 px thumbnail, SHA-256. Also times writing both files to the content-addressed store
(with fsync). Prints the figures; nothing is asserted.

    python bench/photos.py [--runs 9] [--sigma 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time

from PIL import Image

from webapp.photos.services.processing import process_image
from webapp.photos.services.storage import FileSystemPhotoStore


def camera_jpeg(size: tuple[int, int], sigma: int, quality: int = 85) -> bytes:
    base = Image.linear_gradient("L").resize(size)
    bands = [Image.blend(base.rotate(angle), Image.effect_noise(size, sigma), 0.5) for angle in (0, 90, 180)]
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:11:22 08:15:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (40.0, 7.0, 12.5), 3: "E", 4: (116.0, 12.0, 3.25)})
    out = io.BytesIO()
    Image.merge("RGB", bands).save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def timed(runs: int, work) -> tuple[float, float, float]:
    """Median and best wall-clock ms, and median CPU ms (steadier on a busy machine)."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), min(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sigma", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = FileSystemPhotoStore(folder)
        for label, size in (("12 MP 4000×3000", (4000, 3000)), ("phone 1600×1200", (1600, 1200))):
            data = camera_jpeg(size, args.sigma)
            done = process_image(data)
            median, best, cpu = timed(args.runs, lambda: process_image(data))

            def store_both() -> None:
                result = process_image(data)
                for variant, blob in (("full", result.data), ("thumb", result.thumb)):
                    store.delete(result.sha256, variant)
                    store.put(result.sha256, variant, blob)

            with_store, _, _ = timed(args.runs, store_both)
            print(f"{label}: input {len(data) / 1e6:.1f} MB → stored {done.width}×{done.height} "
                  f"{len(done.data) / 1e3:.0f} kB + thumb {len(done.thumb) / 1e3:.0f} kB")
            print(f"  process_image median {median:5.1f} ms  best {best:5.1f} ms  CPU {cpu:5.1f} ms"
                  f"   with store writes (fsync) {with_store:5.1f} ms")


if __name__ == "__main__":
    main()
