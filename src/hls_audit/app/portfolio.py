"""Many case studies in one run: find them, audit each (in parallel, through a result cache).

Each case study's result is a :class:`CaseResult`: its path, its exit code, and either its
audit or the input errors that stopped it (or the internal error, a bug, that did). The JSON
contract of one case study (what `check --format json` prints for it alone, plus its path) is
what crosses the cache, so every CaseResult is built from that entry by
:meth:`CaseResult.from_json`, fresh or cached alike, and :meth:`CaseResult.to_json` gives it back
unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hls_audit.analysis.evidence import Coverage
from hls_audit.app.run import RunOptions
from hls_audit.core.errors import InputError, InputErrors
from hls_audit.core.money import Interval
from hls_audit.engine.findings import Finding, Severity
from hls_audit.io.load import CLAIMS_FILE, EVIDENCE_DIR, Located, display_path

if TYPE_CHECKING:
    from hls_audit.engine.findings import Report
    from hls_audit.io.files import Folder

SKIP_DIRS = {EVIDENCE_DIR, "node_modules", "__pycache__", "site-packages"}
PARALLEL_FROM = 16  # fewer case studies than this audit faster in one process
INTERNAL_HINT = (
    "a bug in hls-audit: run `hls-audit check --debug` on this case study alone and report it"
)


Options = RunOptions  # what decides a case study's result besides its files


@dataclass(frozen=True)
class HeadlineResult:
    """One headline against the amounts that feed it, as a portfolio shows it."""

    id: str
    relation: str
    value: Decimal
    currency: str
    total: Interval
    corroborated_total: Interval
    verdict: str


@dataclass(frozen=True)
class CaseAudit:
    """A case study that could be audited: what the portfolio's tables show, and its report.

    ``contract`` is the single case study's check report as the JSON contract gives it; the
    portfolio's JSON output carries it unchanged, so a case study reads the same alone and in a
    portfolio.
    """

    passed: bool
    counts: Mapping[str, int]
    findings: tuple[Finding, ...]
    headlines: tuple[HeadlineResult, ...]
    coverage: Coverage
    contract: Mapping[str, Any]

    @property
    def active_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.active]


@dataclass(frozen=True)
class CaseResult:
    """One case study of a portfolio: audited, or unusable (input errors, or a bug: exit 3)."""

    path: str  # the claims file, as the output shows it
    exit_code: int
    audit: CaseAudit | None = None
    input_errors: tuple[InputError, ...] = ()  # an internal error comes with one describing it
    internal_error: str | None = None
    text: str | None = None  # the JSON entry as the portfolio document prints it (entry_text)
    summary: tuple[bool, bool] | None = None  # (usable, passed) of a result carried as text only

    @property
    def usable(self) -> bool:
        return self.summary[0] if self.summary is not None else self.audit is not None

    @property
    def passed(self) -> bool:
        if self.summary is not None:
            return self.summary[1]
        return self.audit is not None and self.audit.passed

    @classmethod
    def as_text(
        cls, path: str, exit_code: int, usable: bool, passed: bool, text: str
    ) -> CaseResult:
        """A result carried only as its JSON entry, for a portfolio printed as JSON."""
        return cls(path, exit_code, text=text, summary=(usable, passed))

    @classmethod
    def of_report(cls, path: str, report: Report) -> CaseResult:
        from hls_audit.render.json_out import check_json

        return cls.from_json({**check_json(report), "path": path})

    @classmethod
    def unusable(cls, path: str, errors: list[InputError]) -> CaseResult:
        return cls.from_json(
            {
                "path": path,
                "result": {"passed": False, "exit_code": 2},
                "input_errors": [e.as_json() for e in errors],
            }
        )

    @classmethod
    def crashed(cls, path: str, exc: Exception) -> CaseResult:
        return cls.from_json(
            {
                "path": path,
                "result": {"passed": False, "exit_code": 3},
                "internal_error": f"{type(exc).__name__}: {exc}"[:500],
                "input_errors": [
                    {
                        "message": f"internal error: {type(exc).__name__}: {exc}"[:500],
                        "file": path,
                        "line": None,
                        "column": None,
                        "hint": INTERNAL_HINT,
                    }
                ],
            }
        )

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> CaseResult:
        """The result from its JSON entry; a malformed entry raises KeyError, TypeError or
        ValueError."""
        path = entry["path"]
        exit_code = entry["result"]["exit_code"]
        if not isinstance(path, str) or type(exit_code) is not int:
            raise TypeError("not a portfolio result")
        if "input_errors" in entry:
            errors = tuple(_input_error(e) for e in entry["input_errors"])
            internal = entry.get("internal_error")
            if internal is not None and not isinstance(internal, str):
                raise TypeError("not a portfolio result")
            return cls(path, exit_code, None, errors, internal)
        contract = {key: value for key, value in entry.items() if key != "path"}
        coverage = contract["coverage"]
        audit = CaseAudit(
            passed=bool(contract["result"]["passed"]),
            counts=dict(contract["result"]["counts"]),
            findings=tuple(_finding(f) for f in contract["findings"]),
            headlines=tuple(_headline(h) for h in contract["headlines"]),
            coverage=Coverage(
                sources_by_level=dict(coverage["sources_by_level"]),
                claims_total=coverage["claims_total"],
                claims_corroborated=coverage["claims_corroborated"],
                claims_without_source=coverage["claims_without_source"],
            ),
            contract=contract,
        )
        return cls(path, exit_code, audit)

    def to_json(self) -> dict[str, Any]:
        """The entry of the JSON contract: the check report and its path, or the errors."""
        if self.summary is not None and self.text is not None:
            import json

            entry: dict[str, Any] = json.loads(self.text)
            return entry
        if self.audit is not None:
            return {**self.audit.contract, "path": self.path}
        entry = {
            "path": self.path,
            "result": {"passed": False, "exit_code": self.exit_code},
        }
        if self.internal_error is None:
            entry["input_errors"] = [e.as_json() for e in self.input_errors]
            return entry
        entry["internal_error"] = self.internal_error
        entry["input_errors"] = [
            {
                "message": e.message,
                "file": e.path,
                "line": e.line,
                "column": e.column,
                "hint": e.hint,
            }
            for e in self.input_errors
        ]
        return entry


def _input_error(data: Mapping[str, Any]) -> InputError:
    """An input error from the JSON contract (an internal error's has no code or YAML path)."""
    error = InputError(
        data["message"],
        path=data["file"],
        line=data["line"],
        column=data["column"],
        hint=data["hint"],
    )
    if "code" in data:
        error.code, error.yaml_path = data["code"], data["yaml_path"]
    return error


def _finding(data: Mapping[str, Any]) -> Finding:
    loc = data["location"]
    return Finding(
        code=data["code"],
        name=data["name"],
        severity=Severity(data["severity"]),
        message=data["message"],
        location=None
        if loc is None
        else Located(loc["file"], loc["line"], loc["column"], loc["yaml_path"]),
        claim=data["claim"],
        source=data["source"],
        hint=data["hint"],
        suppressed=data["suppressed"],
    )


def _interval(data: Mapping[str, Any]) -> Interval:
    return Interval(
        Decimal(data["lower"]),
        Decimal(data["central"]),
        Decimal(data["upper"]),
        bool(data["lower_open"]),
        bool(data["upper_open"]),
    )


def _headline(data: Mapping[str, Any]) -> HeadlineResult:
    return HeadlineResult(
        id=data["id"],
        relation=data["relation"],
        value=Decimal(data["value"]),
        currency=data["currency"],
        total=_interval(data["total"]),
        corroborated_total=_interval(data["corroborated_total"]),
        verdict=data["verdict"],
    )


@dataclass
class PortfolioReport:
    """Every case study's result, in path order."""

    cases: list[CaseResult] = field(default_factory=list)
    cached: int = 0  # how many came from the result cache

    @property
    def exit_code(self) -> int:
        return max((c.exit_code for c in self.cases), default=0)

    @property
    def results(self) -> list[dict[str, Any]]:
        """Each case study's entry as the JSON contract gives it."""
        return [c.to_json() for c in self.cases]


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


def _fingerprint(
    claims: Path, options: Options, read: dict[str, bytes] | None = None
) -> str | None:
    """A key for everything the audit reads; None when the files cannot be read safely.

    ``read`` receives the inputs read plainly, by name, for the audit to parse as they were
    hashed.

    Inputs the audit parses (claims.yaml, records, settings, the lock) are hashed by content.
    Each lies directly in the case study's folder or its evidence/ folder, both checked to be
    inside it, and is opened without following a link (:func:`_plain_bytes`), so nothing outside
    is read; one that is a link, or not a regular file, is keyed by its status and left to the
    audit to refuse. Other files in evidence/ are keyed by name and status (size, change time,
    inode) and never opened, so an unnamed file costs nothing and leaks nothing. The key
    includes the case study's own path, so two identical copies never share one entry (their
    findings point at their own files).
    """
    from hls_audit import __version__
    from hls_audit.io.files import Folder

    # Plain strings, not Paths: this runs for every case study of a portfolio, cache hit or not.
    root = os.path.dirname(str(claims)) or "."
    claims_name = os.path.basename(str(claims))
    sep = os.sep
    try:
        folder = Folder.of(claims)
        real = _real_child(folder, root, claims_name)
    except (InputError, OSError, ValueError):
        return None
    if not folder.contains(real):  # claims.yaml itself is a link out of its folder
        return None
    digest = hashlib.sha256(f"{__version__}|{options}|{os.getcwd()}|{real}".encode())
    inputs = [claims_name, "hls-audit.toml", "pyproject.toml", "evidence.lock"]
    evidence = f"{root}{sep}{EVIDENCE_DIR}"
    others: list[str] = []  # names relative to the case study's folder
    try:
        if os.path.lexists(evidence):
            inside = folder.contains(_real_child(folder, root, EVIDENCE_DIR))
            if not inside or not os.path.isdir(evidence):
                return None  # the audit refuses it, and says why
            for here, dirs, files in os.walk(evidence, onerror=_raise):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                within = EVIDENCE_DIR if here == evidence else os.path.relpath(here, root)
                for name in sorted(f for f in files if not f.startswith(".")):
                    top = here == evidence and name.endswith((".yaml", ".yml"))
                    (inputs if top else others).append(f"{within}{sep}{name}")
        for name in inputs:
            data = _plain_bytes(f"{root}{sep}{name}")
            if data is None:  # absent, or not a plain file: keyed by its status instead
                others.append(name)
                continue
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.sha256(data).digest())
            if read is not None:
                read[name] = data
            if name == claims_name:
                others += _narrative_names(data)
        with os.scandir(root) as entries:
            others += sorted(e.name for e in entries if not e.name.startswith(".") and e.is_file())
        for name in others:
            digest.update(f"{name}\0{_status(f'{root}{sep}{name}')}\0".encode())
        if options.profile_dir is not None:  # the shared profiles, keyed by status likewise
            for path in sorted(options.profile_dir.glob("*.toml")):
                digest.update(f"profile-dir/{path.name}\0{_status(str(path))}\0".encode())
    except (InputError, OSError, RuntimeError, ValueError):
        return None  # audit_one reports the problem; nothing is cached for it
    return digest.hexdigest()


def _real_child(folder: Folder, root: str, name: str) -> str:
    """The real path of ``root/name``: the folder's own (already resolved) joined with the name
    when the entry is not a link, else resolved in full."""
    import stat

    if not stat.S_ISLNK(os.lstat(f"{root}{os.sep}{name}").st_mode):
        return f"{folder.root}{os.sep}{name}"
    return os.path.realpath(f"{root}{os.sep}{name}")


def _plain_bytes(path: str | Path) -> bytes | None:
    """The bytes of a regular file that is not a link, within the input limit; else None.

    Only files whose folder is already known to be inside the case study are read this way.
    """
    import stat

    from hls_audit.io.files import MAX_INPUT_BYTES

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_INPUT_BYTES:
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_INPUT_BYTES:
            chunk = os.read(fd, max(status.st_size - size, 0) + 1)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return None  # grew past the limit while it was read
    except OSError:
        return None
    finally:
        os.close(fd)


def _status(path: str) -> str:
    """A file's size, change times and inode: what changes when it is written."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return "unreadable"
    return f"{status.st_size}|{status.st_mtime_ns}|{status.st_ctime_ns}|{status.st_ino}"


_NARRATIVE = re.compile(rb"""^narrative:[ \t]*(["']?)([^"'#\r\n]+?)\1[ \t]*(?:#.*)?$""", re.M)


def _narrative_names(claims: bytes) -> list[str]:
    """The narrative `narrative:` names, found in the text without parsing it: its status keys
    the result, so an edited narrative is audited afresh."""
    found = _NARRATIVE.search(claims) if b"narrative:" in claims else None
    if found is None:
        return []
    try:
        return [found.group(2).decode("utf-8").strip()]
    except UnicodeDecodeError:
        return []


def _raise(exc: OSError) -> None:
    raise exc


def audit_one(
    claims: Path, options: Options, read: Mapping[str, bytes] | None = None
) -> CaseResult:
    """One case study's result; any failure is this case study's result alone.

    Unusable input gives its input errors (exit 2); a bug gives an internal error (exit 3) with
    its message, and the other case studies go on.
    """
    from hls_audit.app.run import run_case

    display = display_path(claims)
    try:
        return CaseResult.of_report(display, run_case(claims, options, read=read))
    except (InputError, InputErrors) as exc:
        return CaseResult.unusable(display, exc.errors if isinstance(exc, InputErrors) else [exc])
    except Exception as exc:  # one case study's bug must not end the portfolio
        return CaseResult.crashed(display, exc)


def entry_text(entry: Mapping[str, Any]) -> str:
    """A case study's JSON entry as the portfolio document prints it, in its place: the text
    ``render.json_out.dumps`` gives it there, each line after the first indented four spaces.

    orjson writes the same two-space layout as ``json.dumps(indent=2, ensure_ascii=False)``,
    byte for byte, some twenty times faster (the standard library's encoder drops to pure
    Python once it indents); what orjson refuses (a lone surrogate) goes the standard way.
    """
    import orjson

    from hls_audit.core.sanitize import json_safe

    try:
        text = orjson.dumps(entry, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, ValueError):
        import json

        text = json.dumps(entry, indent=2, ensure_ascii=False)
    return json_safe(text).replace("\n", "\n    ")


def _audit_cached(job: tuple[Path, Options, bool]) -> tuple[CaseResult, bool]:
    """One case study's result, from the cache when its files have not changed.

    The cache holds the JSON entry as text (:func:`entry_text`) with the exit code and whether
    it passed; an entry that does not read back as a result is a miss. With ``lean`` (the
    portfolio is printed as JSON) the result is that text alone, so neither this process nor
    the one printing it decodes or encodes the report again.
    """
    from hls_audit.io.cache import open_cache

    claims, options, lean = job
    read: dict[str, bytes] = {}
    key = _fingerprint(claims, options, read)
    cache = open_cache(claims.parent, quiet=True) if key is not None else None
    path = display_path(claims)
    if cache is not None and key is not None:
        cached = cache.result(key)
        if cached is not None:
            try:
                return _from_cache(path, cached, lean), True
            except (KeyError, TypeError, ValueError, ArithmeticError):
                pass
    result = audit_one(claims, options, read if key is not None else None)
    text = entry_text(result.to_json())
    if cache is not None and key is not None and result.internal_error is None:
        outcome = {"exit_code": result.exit_code, "passed": result.passed, "usable": result.usable}
        cache.store_result(key, {"result": outcome, "text": text})
    if lean:
        return CaseResult.as_text(path, result.exit_code, result.usable, result.passed, text), False
    return replace(result, text=text), False


def _from_cache(path: str, cached: Mapping[str, Any], lean: bool) -> CaseResult:
    """A result from its cache entry; a malformed entry raises KeyError, TypeError or
    ValueError."""
    import json

    outcome, text = cached["result"], cached["text"]
    if not isinstance(text, str) or type(outcome["usable"]) is not bool:
        raise TypeError("not a portfolio result")
    if lean:
        return CaseResult.as_text(
            path, outcome["exit_code"], outcome["usable"], outcome["passed"], text
        )
    entry = json.loads(text)
    entry["path"] = path
    return replace(CaseResult.from_json(entry), text=text)


def machine_workers() -> int:
    """How many processes this machine lets the run use: the CPUs this process may run on."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counted is not None:
        return max(1, counted() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _prepare_worker() -> None:
    """Import everything a case study's audit needs, compile the models, then freeze the heap.

    Under fork the imports are already there (the parent made them before starting the pool)
    and freezing keeps the collector from scanning, and so copying, the inherited modules;
    under spawn the worker imports them once here instead of in its first case study.
    """
    import gc

    import hls_audit.app.run
    import hls_audit.documents.lock
    import hls_audit.documents.verify
    import hls_audit.engine.audit
    import hls_audit.io.cache
    import hls_audit.io.config
    import hls_audit.io.load
    import hls_audit.render.json_out  # noqa: F401
    from hls_audit.core.construct import compile_models
    from hls_audit.core.model import ClaimsFile, SourceRecord

    compile_models(ClaimsFile, SourceRecord)  # many files to validate: compiled is faster
    gc.freeze()


def _chunk_size(jobs: int, workers: int) -> int:
    """Chunks small enough to balance the workers, large enough to make the hand-off cheap."""
    return max(1, min(64, jobs // (workers * 8)))


def _run(jobs: list[tuple[Path, Options, bool]], workers: int) -> Iterator[tuple[CaseResult, bool]]:
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        yield from map(_audit_cached, jobs)
        return
    import gc
    from concurrent.futures import ProcessPoolExecutor

    _prepare_worker()  # in the parent, so forked workers inherit the imports and a frozen heap
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_prepare_worker) as pool:
            yield from pool.map(_audit_cached, jobs, chunksize=_chunk_size(len(jobs), workers))
    finally:
        gc.unfreeze()


def run_portfolio(
    claims_files: list[Path], options: Options, workers: int | None = None, lean: bool = False
) -> PortfolioReport:
    """Audit every case study; results come back in the order of ``claims_files``.

    ``lean``: the portfolio will be printed as JSON, so each result is its JSON entry only.
    """
    from hls_audit.io.cache import open_cache

    open_cache()  # says once, here, why the cache is off, if it is
    portfolio = PortfolioReport()
    count = workers if workers is not None else machine_workers()
    for result, cached in _run([(c, options, lean) for c in claims_files], count):
        portfolio.cases.append(result)
        portfolio.cached += cached
    return portfolio
