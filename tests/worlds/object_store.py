"""Where the tests' photos and attachments live: on disk, and in a bucket of a real S3 API server.

`object_store` runs a test twice: with the data folder (JIFEN_STORAGE=disk), then with a fresh bucket
on moto's S3 server, spoken to over HTTP on loopback like MinIO, Aliyun OSS or Tencent COS would be.
`.ci/run` starts that server and exports JIFEN_TEST_S3_URL; without it the session starts its own on
a free loopback port, so a plain `python -m pytest` covers S3 too. When no server can be had the S3
half skips with the reason, or fails under JIFEN_NO_SKIP=1 (as with PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.worlds.databases import skip_or_fail
from tests.worlds.server import free_port
from webapp.photos.services.blobs import S3Settings, s3_client

BACKENDS = ("disk", "s3")
START_SECONDS = 30.0


def answers(url: str, timeout: float = 2.0) -> str | None:
    """None when an S3 server answers at url, else why not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return None
    except urllib.error.HTTPError:
        return None  # it answered, if only to refuse
    except OSError as exc:
        return f"no S3 server at {url}: {type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def s3_server_url(tmp_path_factory) -> Iterator[str]:
    """$JIFEN_TEST_S3_URL, or a moto server of this session's own on loopback (stopped at the end)."""
    url = os.environ.get("JIFEN_TEST_S3_URL")
    if url:
        problem = answers(url)
        if problem:
            skip_or_fail(problem)
        yield url
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log_path, "wb") as log:
        try:
            process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                       stdout=log, stderr=log)
        except OSError as exc:
            skip_or_fail(f"cannot start moto's S3 server: {exc}")
        try:
            deadline = time.monotonic() + START_SECONDS
            while (problem := answers(url, timeout=1.0)) and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            if problem:
                skip_or_fail(f"moto's S3 server did not start ({problem}); see {log_path}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def s3_config(url: str, bucket: str) -> dict[str, Any]:
    """App configuration for a bucket on the test server (moto takes any key)."""
    return {"STORAGE": "s3", "S3_ENDPOINT_URL": url, "S3_BUCKET": bucket, "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "jifen-test", "S3_SECRET_ACCESS_KEY": "jifen-test-secret", "S3_PREFIX": "",
            "S3_ADDRESSING_STYLE": "path", "S3_PRESIGNED": False}


def settings_of(config: Mapping[str, Any]) -> S3Settings:
    return S3Settings(bucket=config["S3_BUCKET"], endpoint_url=config["S3_ENDPOINT_URL"], region=config["S3_REGION"],
                      access_key_id=config["S3_ACCESS_KEY_ID"], secret_access_key=config["S3_SECRET_ACCESS_KEY"],
                      addressing_style=config["S3_ADDRESSING_STYLE"])


def stored_keys(config: Mapping[str, Any], under: str = "") -> list[str]:
    """Every stored key (photos/..., attachments/...) starting with `under`, on either backend."""
    if config.get("STORAGE") == "s3":
        client = s3_client(settings_of(config))
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=config["S3_BUCKET"], Prefix=under)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
    root = Path(config["DATA_DIR"])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.relative_to(root).as_posix().startswith(under)
                  and p.relative_to(root).parts[0] in ("photos", "attachments"))


def new_bucket(url: str) -> dict[str, Any]:
    """A fresh, empty bucket on the test server; the app configuration that names it."""
    config = s3_config(url, f"jifen-{uuid.uuid4().hex[:16]}")
    s3_client(settings_of(config)).create_bucket(Bucket=config["S3_BUCKET"])
    return config


def drop_bucket(config: Mapping[str, Any]) -> None:
    client = s3_client(settings_of(config))
    for key in stored_keys(config):
        client.delete_object(Bucket=config["S3_BUCKET"], Key=key)
    client.delete_bucket(Bucket=config["S3_BUCKET"])


@pytest.fixture(params=BACKENDS)
def object_store(request, app) -> Iterator[str]:
    """The app's photos and attachments on disk (an emptied data folder), then in a fresh bucket on the
    loopback S3 server; yields "disk" or "s3". The app's configuration is restored afterwards."""
    for folder in ("photos", "attachments"):  # the data folder is shared by a backend's tests
        shutil.rmtree(Path(app.config["DATA_DIR"]) / folder, ignore_errors=True)
    if request.param == "disk":
        yield "disk"
        return
    config = new_bucket(request.getfixturevalue("s3_server_url"))
    saved = {key: app.config.get(key) for key in config}
    app.config.update(config)
    try:
        yield "s3"
    finally:
        app.config.update(saved)
        drop_bucket(config)
