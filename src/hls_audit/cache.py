"""A cache of extracted document text, keyed by content hash, kept outside the case study."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from hls_audit.documents import EXTRACTOR_VERSION, Extracted


def cache_dir() -> Path | None:
    """HLS_AUDIT_CACHE_DIR, else $XDG_CACHE_HOME/hls-audit, else ~/.cache/hls-audit.

    Setting HLS_AUDIT_CACHE_DIR to an empty string turns the cache off.
    """
    configured = os.environ.get("HLS_AUDIT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hls-audit"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(digest: str) -> Path | None:
    folder = cache_dir()
    return folder / f"{digest}-v{EXTRACTOR_VERSION}.json" if folder else None


def lookup(digest: str) -> Extracted | None:
    """The cached text of a document with this content hash, if any."""
    entry = _entry(digest)
    if entry is None or not entry.is_file():
        return None
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        return Extracted(data["kind"], list(data["pages"]), data["error"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is simply extracted again


def store(digest: str, result: Extracted) -> None:
    """Keep extracted text for next time; a cache that cannot be written is skipped."""
    entry = _entry(digest)
    if entry is None:
        return
    put(entry, {"kind": result.kind, "pages": result.pages, "error": result.error})


def put(entry: Path, payload: object) -> None:
    """Write one cache entry atomically; a cache that cannot be written is skipped."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}")
        temporary.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(temporary, entry)
    except OSError:
        pass  # the cache is an optimisation; a read-only home must not fail the audit
