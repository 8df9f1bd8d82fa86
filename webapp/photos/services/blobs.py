"""Content-addressed blobs on local disk or in an S3-compatible bucket (MinIO, Aliyun OSS, Tencent COS).

A key is a relative path such as `photos/aa/bb/<sha>.jpg` or `attachments/aa/bb/<sha>`: on disk a file
under the data folder, in a bucket an object key (after an optional prefix). The bytes under a key
never change (keys name contents), so writing a key twice is harmless, and both backends write
atomically: a reader never sees half a blob. Nothing here checks who may read a blob; the routes
do that before they serve one (docs/storage.md).
"""

from __future__ import annotations

import os
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from webapp.core.atomic_files import write_once

CHUNK = 64 * 1024
PRESIGN_SECONDS = 60  # a presigned link lives one minute: long enough to follow, too short to share


@dataclass(frozen=True, slots=True)
class Blob:
    """An opened blob: its size and its bytes in chunks (the file or connection closes when they run out)."""

    size: int
    chunks: Iterator[bytes]


def checked_key(key: str) -> str:
    """A relative key without `..`, absolute parts or backslashes (no path tricks)."""
    parts = PurePosixPath(key).parts
    if not key or "\\" in key or key.startswith("/") or any(p in ("..", ".") for p in parts):
        raise ValueError("not a blob key")
    return key


class BlobStore(ABC):
    """Blobs by key; `get`/`open` raise FileNotFoundError for a key that is not stored."""

    @abstractmethod
    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store the bytes under the key, atomically; an existing key is left as it is."""

    @abstractmethod
    def get(self, key: str) -> bytes:
        """All the stored bytes."""

    @abstractmethod
    def open(self, key: str) -> Blob:
        """The stored bytes as a stream of chunks (FileNotFoundError now, not when streaming)."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether the key is stored."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the key if present."""

    def presigned_url(self, key: str, content_type: str, disposition: str | None = None) -> str | None:
        """A short-lived direct link to the blob, or None when this store serves only through the app."""
        return None

    def check(self) -> str | None:
        """None when a probe blob can be written, read back and deleted; else a short reason."""
        key, probe = f".probe-{uuid.uuid4().hex}", os.urandom(16)
        try:
            self.put(key, probe)
            try:
                read = self.get(key)
            finally:
                self.delete(key)
        except Exception as exc:  # noqa: BLE001 - any failure is the answer
            return f"{self.describe()}: {type(exc).__name__}: {exc}"[:300]
        return None if read == probe else f"{self.describe()}: the probe read back different bytes"

    def describe(self) -> str:
        """Where the blobs are, for messages (never a secret)."""
        return type(self).__name__


class DiskBlobs(BlobStore):
    """Files under a folder (`<DATA_DIR>/photos/...`, `<DATA_DIR>/attachments/...`)."""

    def __init__(self, root: str | os.PathLike[str], mode: int | None = None) -> None:
        self.root = Path(root)
        self.mode = mode

    def path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        write_once(self.path(key), data, mode=self.mode)

    def get(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def open(self, key: str) -> Blob:
        handle = self.path(key).open("rb")
        return Blob(os.fstat(handle.fileno()).st_size, _file_chunks(handle))

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def describe(self) -> str:
        return f"disk {self.root}"


def _file_chunks(handle: Any) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


@dataclass(frozen=True, slots=True)
class S3Settings:
    """Where the bucket is and how to reach it (config S3_*, environment JIFEN_S3_*)."""

    bucket: str
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    prefix: str = ""
    addressing_style: str = "auto"  # "path" for MinIO, "virtual" for Aliyun OSS and Tencent COS
    signature_version: str = "s3v4"  # "s3" (V2) only for a provider that needs it
    presigned: bool = False


class S3Blobs(BlobStore):
    """Objects in an S3-compatible bucket, keys under the settings' prefix."""

    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings
        self.bucket = settings.bucket
        self.prefix = settings.prefix.strip("/") + "/" if settings.prefix.strip("/") else ""

    @property
    def client(self) -> Any:
        return s3_client(self.settings)

    def object_key(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        # One PUT is atomic in S3; the same key twice holds the same bytes, so no need to look first.
        self.client.put_object(Bucket=self.bucket, Key=self.object_key(key), Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        blob = self.open(key)
        return b"".join(blob.chunks)

    def open(self, key: str) -> Blob:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _missing(exc):
                raise FileNotFoundError(key) from None
            raise
        return Blob(int(answer["ContentLength"]), _body_chunks(answer["Body"]))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _missing(exc):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def presigned_url(self, key: str, content_type: str, disposition: str | None = None) -> str | None:
        if not self.settings.presigned:
            return None
        params = {"Bucket": self.bucket, "Key": self.object_key(key), "ResponseContentType": content_type,
                  "ResponseCacheControl": "private, no-store"}
        if disposition:
            params["ResponseContentDisposition"] = disposition
        return str(self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=PRESIGN_SECONDS))

    def describe(self) -> str:
        return f"s3 bucket {self.bucket} at {self.settings.endpoint_url or 'AWS'}"


class Misconfigured(BlobStore):
    """Storage settings that cannot work: every use fails with the reason, and `check` states it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(self.reason)

    put = get = open = exists = delete = _fail  # type: ignore[assignment]

    def check(self) -> str | None:
        return self.reason


def _missing(exc: Exception) -> bool:
    """Whether a botocore ClientError says the key (not the bucket) is absent."""
    error = getattr(exc, "response", {}).get("Error", {})
    return str(error.get("Code")) in ("NoSuchKey", "404", "NotFound")


def _body_chunks(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


# One client per process and settings, made on first use (so after gunicorn forks its workers):
# boto3 clients are thread-safe, but must not cross a fork.
_clients: dict[tuple[Any, ...], Any] = {}
_clients_lock = threading.Lock()


def s3_client(settings: S3Settings) -> Any:
    ident = (os.getpid(), settings.endpoint_url, settings.region, settings.access_key_id,
             settings.secret_access_key, settings.addressing_style, settings.signature_version)
    with _clients_lock:
        client = _clients.get(ident)
        if client is None:
            import boto3
            from botocore.config import Config as BotoConfig

            for stale in [k for k in _clients if k[0] != ident[0]]:
                del _clients[stale]  # made before a fork: its connections belong to the parent
            client = boto3.session.Session().client(
                "s3", endpoint_url=settings.endpoint_url, region_name=settings.region or "us-east-1",
                aws_access_key_id=settings.access_key_id, aws_secret_access_key=settings.secret_access_key,
                config=BotoConfig(
                    signature_version=settings.signature_version, s3={"addressing_style": settings.addressing_style},
                    connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                    # Aliyun OSS, Tencent COS and older MinIO refuse boto3's default CRC checksums.
                    request_checksum_calculation="when_required", response_checksum_validation="when_required",
                ))
            _clients[ident] = client
    return client
