"""A private cache outside the case study: document text by content hash, portfolio results.

The cache is used only when its folder is a real folder owned by the user with no access for
anyone else (mode 0700), and never when it lies inside the case study. Each entry carries a keyed
digest (HMAC-SHA256) made with a secret that lives in the cache folder (mode 0600), so an entry
written by anything but hls-audit, or changed since, is a miss: a forged entry can never turn an
absent quote into a verified one or a failing case study into a pass. Malformed entries are
misses too, never a crash. Writing goes through a temporary file created exclusively, then a
rename; a cache that cannot be used is skipped with a one-line note.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hls_audit.documents.extract import EXTRACTOR_VERSION, KINDS, Extracted
from hls_audit.io.files import MAX_TEXT_CHARS, MiB

SECRET_FILE = "secret.key"
MAX_ENTRY_BYTES = 8 * MAX_TEXT_CHARS  # JSON of the largest text, with room for escapes
_TEXT_KINDS = frozenset(KINDS.values()) | {"unknown"}
_NOTED: set[str] = set()


def cache_dir() -> Path | None:
    """HLS_AUDIT_CACHE_DIR, else $XDG_CACHE_HOME/hls-audit, else ~/.cache/hls-audit.

    HLS_AUDIT_CACHE_DIR set to an empty string turns the cache off. A relative path in either
    variable is ignored, as the XDG Base Directory specification says, so the cache can never
    land in the working folder (and so inside a case study).
    """
    configured = os.environ.get("HLS_AUDIT_CACHE_DIR")
    if configured is not None:
        if not configured:
            return None
        if os.path.isabs(configured):
            return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "hls-audit"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    return home / ".cache" / "hls-audit" if home.is_absolute() else None


def note(message: str) -> None:
    """Say once per process why the cache is not used."""
    if message in _NOTED:
        return
    _NOTED.add(message)
    from hls_audit.core.sanitize import one_line

    sys.stderr.write(f"hls-audit: note: {one_line(message)}; caching is off for this run\n")


@dataclass(frozen=True)
class Cache:
    """An open, private cache folder and its secret."""

    folder: Path
    secret: bytes

    def _mac(self, kind: str, key: str, body: str) -> str:
        return hmac.new(self.secret, f"{kind}|{key}|{body}".encode(), hashlib.sha256).hexdigest()

    def _read(self, name: str) -> Any:
        raw = _read_private(self.folder / name, MAX_ENTRY_BYTES)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            return None

    def text(self, digest: str, kind: str) -> Extracted | None:
        """The cached text of a document with this content hash read as this kind, if ours.

        The kind is part of the key: the same bytes named .txt and .docx read differently.
        """
        data = self._read(f"{digest}-{kind}-v{EXTRACTOR_VERSION}.json")
        if not isinstance(data, dict) or set(data) != {"kind", "pages", "error", "mac"}:
            return None
        stored, pages, error, mac = data["kind"], data["pages"], data["error"], data["mac"]
        if (
            stored != kind
            or kind not in _TEXT_KINDS
            or not isinstance(pages, list)
            or not all(isinstance(p, str) for p in pages)
            or not (error is None or isinstance(error, str))
            or not isinstance(mac, str)
        ):
            return None
        body = json.dumps([kind, pages, error], ensure_ascii=False)
        if not hmac.compare_digest(mac, self._mac("text", digest, body)):
            return None
        return Extracted(kind, pages, error)

    def store_text(self, digest: str, kind: str, result: Extracted) -> None:
        body = json.dumps([kind, result.pages, result.error], ensure_ascii=False)
        payload = {
            "kind": kind,
            "pages": result.pages,
            "error": result.error,
            "mac": self._mac("text", digest, body),
        }
        self._write(f"{digest}-{kind}-v{EXTRACTOR_VERSION}.json", payload)

    def result(self, key: str) -> dict[str, Any] | None:
        """A portfolio result stored under this key, if the entry is ours and well formed.

        The entry is the keyed digest, a newline, then the JSON body it was made over: the
        bytes that are checked are the bytes that are read, and nothing is encoded again."""
        raw = _read_private(self.folder / f"audit-{key}.entry", MAX_ENTRY_BYTES)
        if raw is None:
            return None
        mac, _, body = raw.partition(b"\n")
        expected = self._mac_bytes(b"audit|" + key.encode() + b"|" + body)
        if not hmac.compare_digest(mac, expected.encode()):
            return None
        try:
            payload = _loads(body)
        except (ValueError, RecursionError):
            return None
        if not _looks_like_result(payload):
            return None
        result: dict[str, Any] = payload
        return result

    def store_result(self, key: str, payload: dict[str, Any]) -> None:
        try:
            body = _dumps(payload)
        except (TypeError, ValueError):
            return  # the cache is an optimisation; it never fails the audit
        mac = self._mac_bytes(b"audit|" + key.encode() + b"|" + body)
        self._write_bytes(f"audit-{key}.entry", mac.encode() + b"\n" + body)

    def _mac_bytes(self, message: bytes) -> str:
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def _write(self, name: str, payload: object) -> None:
        """Write one JSON entry atomically; a cache that cannot be written is skipped."""
        try:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        except (ValueError, TypeError, UnicodeEncodeError):
            return
        self._write_bytes(name, data)

    def _write_bytes(self, name: str, data: bytes) -> None:
        """Write one entry atomically; a cache that cannot be written is skipped."""
        temporary = ""
        try:
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.folder / name)
            temporary = ""
        except (OSError, ValueError, TypeError):
            pass  # the cache is an optimisation; it never fails the audit
        finally:
            if temporary:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _dumps(payload: object) -> bytes:
    """JSON bytes by orjson (several times faster); a lone surrogate, which it refuses, is
    escaped the standard way."""
    import orjson

    try:
        return orjson.dumps(payload)
    except TypeError:
        return json.dumps(payload, ensure_ascii=True).encode("ascii")


def _loads(body: bytes) -> Any:
    import orjson

    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)  # what orjson refuses, such as an escaped lone surrogate


def _looks_like_result(payload: object) -> bool:
    if not isinstance(payload, dict):
        return False
    result = payload.get("result")
    return (
        isinstance(payload.get("text"), str)
        and isinstance(result, dict)
        and type(result.get("exit_code")) is int
        and result["exit_code"] in (0, 1, 2, 3)
        and type(result.get("passed")) is bool
    )


def _read_private(path: Path, limit: int) -> bytes | None:
    """A regular file of ours, read with a bound; None for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid():
            return None
        if status.st_size > limit:
            return None
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(4 * MiB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _private_folder(folder: Path) -> str:
    """Make the folder (mode 0700) if absent; why it cannot be used, or ''."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        status = os.lstat(folder)
    except OSError as exc:
        return f"the cache folder {folder} cannot be made ({exc.strerror or 'error'})"
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISDIR(status.st_mode):
        return f"the cache folder {folder} is not a plain folder (a link or a file)"
    if status.st_uid != os.geteuid():
        return f"the cache folder {folder} belongs to another user"
    if status.st_mode & 0o077:
        return (
            f"the cache folder {folder} is open to other users "
            f"(mode {stat.S_IMODE(status.st_mode):04o}; make it 0700)"
        )
    return ""


def _secret(folder: Path) -> bytes | None:
    path = folder / SECRET_FILE
    raw = _read_private(path, 64)
    if raw is not None:
        try:
            mode = stat.S_IMODE(os.lstat(path).st_mode)
        except OSError:
            return None
        return raw if len(raw) == 32 and not mode & 0o077 else None
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)  # created 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(32))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # never replaces a secret another process just made
    except OSError:
        return None
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    raw = _read_private(path, 64)
    return raw if raw is not None and len(raw) == 32 else None


def open_cache(case_root: Path | None = None, quiet: bool = False) -> Cache | None:
    """The cache, when it can be trusted and lies outside the case study; else None."""
    folder = cache_dir()
    if folder is None:
        return None
    if case_root is not None:
        try:
            real = _REAL.get(folder) or _REAL.setdefault(folder, os.path.realpath(folder))
            root = os.path.realpath(case_root)
        except (OSError, ValueError):
            return None
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            if not quiet:
                note(f"the cache folder {folder} lies inside the case study")
            return None
    opened = _OPENED.get(folder)
    if opened is None:
        opened = _open(folder)
        _OPENED[folder] = opened
    if isinstance(opened, str):
        if not quiet:
            note(opened)
        return None
    return opened


_OPENED: dict[Path, Cache | str] = {}  # each folder is checked once per process
_REAL: dict[Path, str] = {}  # and resolved once: a portfolio asks for every case study


def _open(folder: Path) -> Cache | str:
    """The cache in this folder, or why it cannot be used."""
    problem = _private_folder(folder)
    if problem:
        return problem
    secret = _secret(folder)
    if secret is None:
        return f"the cache folder {folder} has an unusable {SECRET_FILE}"
    return Cache(folder, secret)
