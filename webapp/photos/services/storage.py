"""Where processed photos live: content-addressed blobs behind a small interface.

The filesystem store keeps `<DATA_DIR>/photos/aa/bb/<sha>.jpg` and its thumbnail beside it
as `<sha>.thumb.jpg`. An S3-compatible store would implement the same four methods with
keys `photos/aa/bb/<sha>.jpg` (PUT is idempotent there too, since keys name contents).
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from webapp.core.atomic_files import write_once

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
VARIANTS = ("full", "thumb")


def photo_key(sha256: str, variant: str = "full") -> str:
    """The relative key of a stored photo: photos/aa/bb/<sha>.jpg (or .thumb.jpg)."""
    if not SHA_RE.match(sha256) or variant not in VARIANTS:
        raise ValueError("not a photo key")
    suffix = ".jpg" if variant == "full" else ".thumb.jpg"
    return f"photos/{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"


class PhotoStore(ABC):
    """Blobs addressed by the SHA-256 of the full photo; writing the same key twice is harmless."""

    @abstractmethod
    def put(self, sha256: str, variant: str, data: bytes) -> None:
        """Store bytes under the key (atomically: readers never see half a file)."""

    @abstractmethod
    def get(self, sha256: str, variant: str = "full") -> bytes:
        """The stored bytes; FileNotFoundError when absent."""

    @abstractmethod
    def exists(self, sha256: str, variant: str = "full") -> bool:
        """Whether the key is stored."""

    @abstractmethod
    def delete(self, sha256: str, variant: str = "full") -> None:
        """Remove the key if present."""


class FileSystemPhotoStore(PhotoStore):
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, sha256: str, variant: str = "full") -> Path:
        return self.root / photo_key(sha256, variant)

    def put(self, sha256: str, variant: str, data: bytes) -> None:
        write_once(self.path(sha256, variant), data)

    def get(self, sha256: str, variant: str = "full") -> bytes:
        return self.path(sha256, variant).read_bytes()

    def exists(self, sha256: str, variant: str = "full") -> bool:
        return self.path(sha256, variant).exists()

    def delete(self, sha256: str, variant: str = "full") -> None:
        self.path(sha256, variant).unlink(missing_ok=True)


def photo_store(config: Mapping[str, Any]) -> PhotoStore:
    """The store an app's configuration names: the filesystem under its DATA_DIR. Routes pass their
    app's config; services receive the store as an argument."""
    return FileSystemPhotoStore(config["DATA_DIR"])
