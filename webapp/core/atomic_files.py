"""Writing content-addressed files: atomically, durably, once."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_once(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write data to target unless it exists; a crash never leaves a half-written file there."""
    if target.exists():
        return  # content-addressed: the same name holds the same bytes
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
