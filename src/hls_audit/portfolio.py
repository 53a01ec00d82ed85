"""Many case studies in one run: find them, audit each (in parallel, through a result cache)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hls_audit.errors import InputError, InputErrors
from hls_audit.load import CLAIMS_FILE, EVIDENCE_DIR, display_path
from hls_audit.run import RunOptions

SKIP_DIRS = {EVIDENCE_DIR, "node_modules", "__pycache__", "site-packages"}
PARALLEL_FROM = 16  # fewer case studies than this audit faster in one process


Options = RunOptions  # what decides a case study's result besides its files


@dataclass
class Portfolio:
    """Every case study's result, in path order, as the JSON contract gives it."""

    results: list[dict[str, Any]] = field(default_factory=list)
    cached: int = 0

    @property
    def exit_code(self) -> int:
        return max((r["result"]["exit_code"] for r in self.results), default=0)


def discover(roots: list[Path]) -> list[Path]:
    """Every claims.yaml below the given folders (and any claims files given directly)."""
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            if CLAIMS_FILE in files:
                found.append(Path(folder) / CLAIMS_FILE)
    return sorted(dict.fromkeys(found))


def _fingerprint(claims: Path, options: Options) -> str | None:
    """A key for everything the audit reads; None when the files cannot be read safely.

    Inputs the audit parses (claims.yaml, records, settings, the lock) are hashed by content,
    read through the case study's door. Other files in evidence/ are keyed by name and status
    (size, change time, inode) and never opened, so an unnamed file costs nothing and leaks
    nothing. The key includes the case study's own path, so two identical copies never share
    one entry (their findings point at their own files).
    """
    from hls_audit import __version__
    from hls_audit.files import Folder

    try:
        folder = Folder.of(claims)
        real = os.path.realpath(claims)
    except InputError:
        return None
    digest = hashlib.sha256(f"{__version__}|{options}|{os.getcwd()}|{real}".encode())
    root = claims.parent
    inputs = [claims, root / "hls-audit.toml", root / "pyproject.toml", root / "evidence.lock"]
    evidence = root / EVIDENCE_DIR
    others: list[Path] = []
    try:
        if os.path.lexists(evidence):
            folder.list_folder(evidence, str(evidence), "evidence folder")
            for here, dirs, files in os.walk(evidence, onerror=_raise):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(f for f in files if not f.startswith(".")):
                    path = Path(here) / name
                    top = Path(here) == evidence and name.endswith((".yaml", ".yml"))
                    (inputs if top else others).append(path)
        for path in inputs:
            if not os.path.lexists(path):
                continue
            data = folder.read_bytes(path, str(path))
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(data).digest())
            if path == claims:
                others += _narrative_paths(root, data)
        others += sorted(p for p in root.iterdir() if not p.name.startswith(".") and p.is_file())
        for path in others:
            try:
                status = os.stat(path)
                seen = f"{status.st_size}|{status.st_mtime_ns}|{status.st_ctime_ns}|{status.st_ino}"
            except (OSError, ValueError):
                seen = "unreadable"
            digest.update(f"{path.relative_to(root)}\0{seen}\0".encode())
    except (InputError, OSError, RuntimeError, ValueError):
        return None  # audit_one reports the problem; nothing is cached for it
    return digest.hexdigest()


_NARRATIVE = re.compile(rb"""^narrative:[ \t]*(["']?)([^"'#\r\n]+?)\1[ \t]*(?:#.*)?$""", re.M)


def _narrative_paths(root: Path, claims: bytes) -> list[Path]:
    """The narrative `narrative:` names, found in the text without parsing it: its status keys
    the result, so an edited narrative is audited afresh."""
    found = _NARRATIVE.search(claims)
    if found is None:
        return []
    try:
        return [root / found.group(2).decode("utf-8").strip()]
    except UnicodeDecodeError:
        return []


def _raise(exc: OSError) -> None:
    raise exc


def audit_one(claims: Path, options: Options) -> dict[str, Any]:
    """One case study's result as JSON data; any failure is this case study's result alone.

    Unusable input becomes an `input_errors` entry (exit 2); a bug becomes an `internal_error`
    entry (exit 3) with its message, and the other case studies go on.
    """
    display = display_path(claims)
    try:
        return _audit(claims, options, display)
    except (InputError, InputErrors) as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        return {
            "path": display,
            "result": {"passed": False, "exit_code": 2},
            "input_errors": [e.as_json() for e in errors],
        }
    except Exception as exc:  # one case study's bug must not end the portfolio
        return {
            "path": display,
            "result": {"passed": False, "exit_code": 3},
            "internal_error": f"{type(exc).__name__}: {exc}"[:500],
            "input_errors": [
                {
                    "message": f"internal error: {type(exc).__name__}: {exc}"[:500],
                    "file": display,
                    "line": None,
                    "column": None,
                    "hint": "a bug in hls-audit: run `hls-audit check --debug` on this case "
                    "study alone and report it",
                }
            ],
        }


def _audit(claims: Path, options: Options, display: str) -> dict[str, Any]:
    from hls_audit.render.json_out import check_json
    from hls_audit.run import run_case

    payload = check_json(run_case(claims, options))
    payload["path"] = display
    return payload


def _audit_cached(job: tuple[Path, Options]) -> tuple[dict[str, Any], bool]:
    from hls_audit.cache import open_cache

    claims, options = job
    key = _fingerprint(claims, options)
    cache = open_cache(claims.parent, quiet=True) if key is not None else None
    if cache is not None and key is not None:
        cached = cache.result(key)
        if cached is not None:
            cached["path"] = display_path(claims)
            return cached, True
    result = audit_one(claims, options)
    if cache is not None and key is not None and "internal_error" not in result:
        cache.store_result(key, result)
    return result, False


def _run(jobs: list[tuple[Path, Options]], workers: int) -> Iterator[tuple[dict[str, Any], bool]]:
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        yield from map(_audit_cached, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_audit_cached, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def run_portfolio(
    claims_files: list[Path], options: Options, workers: int | None = None
) -> Portfolio:
    """Audit every case study; results come back in the order of ``claims_files``."""
    from hls_audit.cache import open_cache

    open_cache()  # says once, here, why the cache is off, if it is
    portfolio = Portfolio()
    count = workers if workers is not None else (os.cpu_count() or 1)
    for result, cached in _run([(c, options) for c in claims_files], count):
        portfolio.results.append(result)
        portfolio.cached += cached
    return portfolio
