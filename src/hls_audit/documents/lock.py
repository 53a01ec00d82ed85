"""evidence.lock: the fingerprint of every document on file, and the drift since it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hls_audit.core.errors import InputError
from hls_audit.io.files import Folder

LOCK_FILE = "evidence.lock"
LOCK_FORMAT = "hls-audit/evidence-lock"


@dataclass(frozen=True)
class Fingerprint:
    """What the lock remembers of a document."""

    sha256: str
    size: int
    pages: int | None


@dataclass
class Drift:
    """Documents changed, added or removed since the lock was written."""

    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def lock_text(fingerprints: dict[str, Fingerprint]) -> str:
    """Stable, sorted, one document per block: a diff shows exactly what changed."""
    payload: dict[str, Any] = {
        "format": LOCK_FORMAT,
        "version": 1,
        "documents": {
            name: {"sha256": fp.sha256, "size": fp.size, "pages": fp.pages}
            for name, fp in sorted(fingerprints.items())
        },
    }
    import json

    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def read_lock(path: Path, display: str, folder: Folder) -> dict[str, Fingerprint]:
    """Read evidence.lock through the case study's door; anything malformed is located."""
    import json

    raw = folder.read_bytes(path, display, "lock file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the lock file is not valid UTF-8 (at byte {exc.start})",
            path=display,
            hint="regenerate it with `hls-audit lock`",
            code="HLS009",
        ) from None
    hint = "regenerate it with `hls-audit lock` (and review the diff)"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the lock file is not valid JSON: {exc.msg}",
            path=display,
            line=exc.lineno,
            column=exc.colno,
            hint=hint,
            code="HLS009",
        ) from None
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT:
        raise InputError(
            f'not an hls-audit evidence lock (expected "format": "{LOCK_FORMAT}")',
            path=display,
            line=1,
            column=1,
            hint=hint,
            code="HLS009",
        )
    if data.get("version") != 1:
        raise InputError(
            f"lock version {data.get('version')!r} is not one this hls-audit reads (1)",
            path=display,
            hint=hint,
            code="HLS009",
        )
    documents = data.get("documents")
    if not isinstance(documents, dict):
        raise InputError(
            'the lock has no "documents" mapping', path=display, hint=hint, code="HLS009"
        )
    out: dict[str, Fingerprint] = {}
    for name, entry in documents.items():
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and len(entry["sha256"]) == 64
            and isinstance(entry.get("size"), int)
            and (entry.get("pages") is None or isinstance(entry.get("pages"), int))
        )
        if not ok:
            line = next(
                (i for i, ln in enumerate(text.splitlines(), start=1) if f'"{name}"' in ln), None
            )
            raise InputError(
                f"the lock entry for {name!r} needs sha256 (64 hex digits), size and pages",
                path=display,
                line=line,
                column=1 if line else None,
                hint=hint,
                code="HLS009",
            )
        out[name] = Fingerprint(entry["sha256"], entry["size"], entry.get("pages"))
    return out


def compare(locked: dict[str, Fingerprint], current: dict[str, Fingerprint]) -> Drift:
    """What differs between the lock and the documents now on file."""
    return Drift(
        changed=sorted(n for n in locked.keys() & current.keys() if locked[n] != current[n]),
        added=sorted(current.keys() - locked.keys()),
        removed=sorted(locked.keys() - current.keys()),
    )
