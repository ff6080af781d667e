"""On-disk index versions, published atomically so a crash never leaves a half-written index.

Layout: INDEX_DIR/CURRENT names the live version folder; a build writes a new folder and
switches CURRENT with an atomic rename; older versions are removed after the switch.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

CURRENT = "CURRENT"
KEEP_VERSIONS = 2


def current_version(index_dir: Path) -> Path | None:
    """The live version folder, or None when no index was published."""
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    version = index_dir / pointer.read_text().strip()
    return version if version.is_dir() else None


def staging_dir(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / f"tmp-{uuid.uuid4().hex[:12]}"
    path.mkdir()
    return path


def publish(index_dir: Path, staged: Path) -> Path:
    """Make a staged folder the live version, atomically, then prune old ones."""
    version = index_dir / f"v-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    staged.rename(version)
    pointer_tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    with open(pointer_tmp, "w") as handle:
        handle.write(version.name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, index_dir / CURRENT)
    _prune(index_dir, keep=version)
    return version


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _prune(index_dir: Path, keep: Path) -> None:
    # The previous version stays for a moment so a reader that just resolved it can finish.
    versions = sorted((p for p in index_dir.glob("v-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    stale = [p for p in versions if p != keep][: max(0, len(versions) - KEEP_VERSIONS)]
    for path in stale + list(index_dir.glob("tmp-*")):
        if path != keep:
            shutil.rmtree(path, ignore_errors=True)
