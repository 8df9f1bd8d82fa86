"""Where processed photos live: content-addressed blobs behind a small interface.

On disk (the default) a photo is `<DATA_DIR>/photos/aa/bb/<sha>.jpg` and its thumbnail beside it
as `<sha>.thumb.jpg`. With JIFEN_STORAGE=s3 the same keys `photos/aa/bb/<sha>.jpg` are objects in an
S3-compatible bucket (MinIO, Aliyun OSS, Tencent COS; see docs/storage.md). PUT is idempotent on both,
since keys name contents. Attachments share the backend (webapp/lists/services/attachments.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from webapp.photos.services.blobs import Blob, BlobStore, DiskBlobs, Misconfigured, S3Blobs, S3Settings

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
VARIANTS = ("full", "thumb")
BACKENDS = ("disk", "s3")


def photo_key(sha256: str, variant: str = "full") -> str:
    """The relative key of a stored photo: photos/aa/bb/<sha>.jpg (or .thumb.jpg)."""
    if not SHA_RE.match(sha256) or variant not in VARIANTS:
        raise ValueError("not a photo key")
    suffix = ".jpg" if variant == "full" else ".thumb.jpg"
    return f"photos/{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"


class PhotoStore:
    """Blobs addressed by the SHA-256 of the full photo; writing the same key twice is harmless."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs

    def put(self, sha256: str, variant: str, data: bytes) -> None:
        """Store bytes under the key (atomically: readers never see half a file)."""
        self.blobs.put(photo_key(sha256, variant), data, "image/jpeg")

    def get(self, sha256: str, variant: str = "full") -> bytes:
        """The stored bytes; FileNotFoundError when absent."""
        return self.blobs.get(photo_key(sha256, variant))

    def open(self, sha256: str, variant: str = "full") -> Blob:
        """The stored bytes as a stream (FileNotFoundError when absent)."""
        return self.blobs.open(photo_key(sha256, variant))

    def exists(self, sha256: str, variant: str = "full") -> bool:
        """Whether the key is stored."""
        return self.blobs.exists(photo_key(sha256, variant))

    def delete(self, sha256: str, variant: str = "full") -> None:
        """Remove the key if present."""
        self.blobs.delete(photo_key(sha256, variant))

    def presigned_url(self, sha256: str, variant: str = "full") -> str | None:
        """A 60-second direct link when the store is configured for them (JIFEN_S3_PRESIGNED=1), else None."""
        return self.blobs.presigned_url(photo_key(sha256, variant), "image/jpeg")

    def check(self) -> str | None:
        """None when the store can be written and read (a probe object is written, read, deleted);
        else a short reason, for /healthz and `jifen check`."""
        return self.blobs.check()


class FileSystemPhotoStore(PhotoStore):
    def __init__(self, root: str | os.PathLike[str]) -> None:
        super().__init__(DiskBlobs(root))
        self.root = Path(root)

    def path(self, sha256: str, variant: str = "full") -> Path:
        return self.root / photo_key(sha256, variant)


class S3PhotoStore(PhotoStore):
    def __init__(self, settings: S3Settings) -> None:
        super().__init__(S3Blobs(settings))


def s3_settings(config: Mapping[str, Any]) -> S3Settings | str:
    """The bucket settings the configuration names, or why they are incomplete."""
    bucket = config.get("S3_BUCKET")
    if not bucket:
        return "JIFEN_STORAGE=s3 needs JIFEN_S3_BUCKET"
    style = config.get("S3_ADDRESSING_STYLE") or "auto"
    if style not in ("auto", "path", "virtual"):
        return f"JIFEN_S3_ADDRESSING_STYLE must be auto, path or virtual, not {style!r}"
    signature = config.get("S3_SIGNATURE_VERSION") or "s3v4"
    if signature not in ("s3v4", "s3"):
        return f"JIFEN_S3_SIGNATURE_VERSION must be s3v4 or s3, not {signature!r}"
    return S3Settings(
        bucket=bucket, endpoint_url=config.get("S3_ENDPOINT_URL") or None, region=config.get("S3_REGION") or None,
        access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None, prefix=config.get("S3_PREFIX") or "",
        addressing_style=style, signature_version=signature, presigned=bool(config.get("S3_PRESIGNED")),
    )


def blob_store(config: Mapping[str, Any], file_mode: int | None = None) -> BlobStore:
    """The blobs of an app's configuration: files under DATA_DIR (made with `file_mode`) or the bucket.
    Settings that cannot work give a store that fails with the reason (and says it in `check`)."""
    backend = config.get("STORAGE") or "disk"
    if backend == "disk":
        return DiskBlobs(config["DATA_DIR"], mode=file_mode)
    if backend != "s3":
        return Misconfigured(f"JIFEN_STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}")
    settings = s3_settings(config)
    return Misconfigured(settings) if isinstance(settings, str) else S3Blobs(settings)


def photo_store(config: Mapping[str, Any]) -> PhotoStore:
    """The store an app's configuration names (JIFEN_STORAGE: disk, the default, or s3). Routes pass
    their app's config; services receive the store as an argument."""
    blobs = blob_store(config)
    if isinstance(blobs, DiskBlobs):
        return FileSystemPhotoStore(blobs.root)
    return S3PhotoStore(blobs.settings) if isinstance(blobs, S3Blobs) else PhotoStore(blobs)
