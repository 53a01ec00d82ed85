"""Many case studies in one run: find them, audit each (in parallel, through a result cache)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hls_audit.load import CLAIMS_FILE, EVIDENCE_DIR, display_path

SKIP_DIRS = {EVIDENCE_DIR, "node_modules", "__pycache__", "site-packages"}
PARALLEL_FROM = 16  # fewer case studies than this audit faster in one process


@dataclass(frozen=True)
class Options:
    """What decides a case study's result besides its files."""

    fail_on: str | None = None
    require: str | None = None
    corroborated_at: str | None = None
    profile: str | None = None
    frozen: bool = False


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


def _fingerprint(claims: Path, options: Options) -> str:
    """A hash of everything the audit reads: the case study's files, its settings, the options."""
    from hls_audit import __version__

    # Paths in a result are shown relative to the working folder, so it is part of the key.
    digest = hashlib.sha256(f"{__version__}|{options}|{os.getcwd()}".encode())
    root = claims.parent
    paths = [claims, root / "hls-audit.toml", root / "pyproject.toml", root / "evidence.lock"]
    evidence = root / EVIDENCE_DIR
    if evidence.is_dir():
        for folder, dirs, files in os.walk(evidence):
            dirs.sort()
            paths.extend(Path(folder) / name for name in sorted(files))
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _cache_file(key: str) -> Path | None:
    from hls_audit.cache import cache_dir

    folder = cache_dir()
    return folder / "audits" / f"{key}.json" if folder else None


def audit_one(claims: Path, options: Options) -> dict[str, Any]:
    """One case study's result as JSON data; unusable input becomes an `input_errors` entry."""
    from hls_audit.audit import audit
    from hls_audit.config import load_config
    from hls_audit.errors import InputError, InputErrors
    from hls_audit.findings import Severity
    from hls_audit.load import load_case_study
    from hls_audit.render.json_out import check_json

    display = display_path(claims)
    try:
        case = load_case_study(claims)
        config = load_config(case.root)
        report = audit(
            case,
            fail_on=Severity(options.fail_on or config.fail_on or "error"),
            require=options.require or config.require or "records",
            config=config,
            corroborated_at=options.corroborated_at,
            frozen=options.frozen,
            profile=options.profile,
        )
    except (InputError, InputErrors) as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        return {
            "path": display,
            "result": {"passed": False, "exit_code": 2},
            "input_errors": [
                {"message": e.message, "file": e.path, "line": e.line, "column": e.column,
                 "hint": e.hint}
                for e in errors
            ],
        }  # fmt: skip
    payload = check_json(report)
    payload["path"] = display
    return payload


def _audit_cached(job: tuple[Path, Options]) -> tuple[dict[str, Any], bool]:
    claims, options = job
    key = _fingerprint(claims, options)
    entry = _cache_file(key)
    if entry is not None and entry.is_file():
        try:
            cached: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
            cached["path"] = display_path(claims)
            return cached, True
        except (OSError, ValueError):
            pass
    result = audit_one(claims, options)
    if entry is not None:
        from hls_audit.cache import put

        put(entry, result)
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
    portfolio = Portfolio()
    count = workers if workers is not None else (os.cpu_count() or 1)
    for result, cached in _run([(c, options) for c in claims_files], count):
        portfolio.results.append(result)
        portfolio.cached += cached
    return portfolio
