"""Load a case study from disk: claims.yaml, the evidence records and the documents beside them."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from hls_audit.core.construct import validate
from hls_audit.core.errors import InputError, InputErrors
from hls_audit.core.model import ClaimsFile, SourceRecord
from hls_audit.io.files import Folder
from hls_audit.io.validation import to_input_errors
from hls_audit.io.yaml_source import (
    KEY,
    PathKey,
    YamlDocument,
    decode,
    load_yaml,
    parse_yaml,
    yaml_path,
)

CLAIMS_FILE = "claims.yaml"
EVIDENCE_DIR = "evidence"
RECORD_SUFFIXES = (".yaml", ".yml")
RECORD_MEMO_SIZE = 2048  # distinct record files remembered per process


@dataclass(frozen=True)
class _Parsed:
    """A record file that parsed and validated: what its bytes always give, wherever it lies."""

    data: object
    marks: dict[PathKey, tuple[int, int]]
    record: SourceRecord


# Evidence records by their exact bytes. A portfolio repeats records (the same article cited by
# many case studies), and the same bytes always parse and validate alike; only the file's name
# differs, and errors (which name it) are never remembered.
_RECORD_MEMO: dict[bytes, _Parsed] = {}


@dataclass(frozen=True)
class Located:
    """A place in a file: what findings and errors point at."""

    file: str
    line: int | None = None
    column: int | None = None
    yaml_path: str = ""


@dataclass
class LoadedRecord:
    """One evidence record with the file it came from."""

    record: SourceRecord
    document: YamlDocument


@dataclass
class CaseStudy:
    """Everything the checks look at, with positions for every finding."""

    root: Path
    claims_document: YamlDocument
    data: ClaimsFile
    evidence_dir: Path
    evidence_display: str
    records: list[LoadedRecord] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # files under evidence/ that are not records
    folder: Folder = field(default_factory=lambda: Folder(Path(".").resolve()))

    def at(self, loc: PathKey, key: bool = False) -> Located:
        """The position of a node of claims.yaml."""
        return _locate(self.claims_document, loc, key)

    def record_at(self, loaded: LoadedRecord, loc: PathKey = (), key: bool = False) -> Located:
        """The position of a node of an evidence record."""
        return _locate(loaded.document, loc, key)

    def record_ids(self) -> dict[str, LoadedRecord]:
        """First record for each id (duplicates are a finding of their own)."""
        out: dict[str, LoadedRecord] = {}
        for loaded in self.records:
            out.setdefault(loaded.record.id, loaded)
        return out


def _locate(document: YamlDocument, loc: PathKey, key: bool) -> Located:
    position = document.marks.get((*loc, KEY)) if key else None
    position = position or document.position(loc)
    line, column = position if position else (None, None)
    return Located(document.path, line, column, yaml_path(loc))


@functools.lru_cache(maxsize=64)
def _real_folder(folder: str) -> str:
    """A folder resolved, for display only, remembered for the few folders a case study's paths
    share (the working folder, the case study's own): a portfolio shows thousands of paths."""
    return os.path.realpath(folder)


def display_path(path: Path | str) -> str:
    """A path as the user should read it: relative to the working folder when inside it."""
    here = _real_folder(os.getcwd())
    absolute = os.path.abspath(path)
    # The folder is resolved, the name is not: a link is shown by its own name, never its target.
    full = os.path.join(_real_folder(os.path.dirname(absolute)), os.path.basename(absolute))
    if not os.path.basename(absolute):
        full = os.path.realpath(absolute)
    if full == here:
        return "."
    if full.startswith(here + os.sep):
        return full[len(here) + 1 :]
    return str(path)


def find_claims_file(target: Path) -> Path:
    """PATH may be a claims file or a folder holding claims.yaml."""
    try:
        is_dir = target.is_dir()
        exists = os.path.lexists(target)
    except (OSError, ValueError):
        is_dir, exists = False, False
    if is_dir:
        candidate = target / CLAIMS_FILE
        if not os.path.lexists(candidate):
            raise InputError(
                f"no {CLAIMS_FILE} in this folder",
                path=display_path(target),
                hint=f"run hls-audit in the folder that holds {CLAIMS_FILE}, or pass its path",
                code="HLS001",
            )
        return candidate
    if not exists:
        raise InputError(
            "no such file or folder", path=str(target), hint="check the path", code="HLS001"
        )
    return target


def _top_level(data: object) -> str:
    if data is None:
        return "an empty file"
    if isinstance(data, list):
        return "a list"
    return f"the single value {str(data)[:40]!r}"


def load_case_study(target: Path, read: Mapping[str, bytes] | None = None) -> CaseStudy:
    """Load and validate everything; raise InputErrors listing every problem found.

    ``read``: files of this case study already read, by their name relative to its folder
    (``claims.yaml``, ``evidence/E1.yaml``), each a regular file that is not a link, in a folder
    checked to be inside the case study, within the input limit: what the reading door would
    have let through. A portfolio reads them once to key its cache and audits those bytes, so
    the key describes exactly what was audited."""
    read = read or {}
    claims_path = find_claims_file(target)
    display = display_path(claims_path)
    folder = Folder.of(claims_path)
    given = read.get(claims_path.name)
    if given is not None:
        document = parse_yaml(decode(given, display), display)
    else:
        document = load_yaml(claims_path, display, folder, what="claims file")
    if not isinstance(document.data, dict):
        raise InputError(
            "expected a mapping with case_study and claims at the top level, "
            f"got {_top_level(document.data)}",
            path=display,
            line=1,
            column=1,
            hint="start from the bundled claims.yaml; see the README for the format",
            code="HLS006",
        )
    errors: list[InputError] = []
    data: ClaimsFile | None = None
    try:
        data = validate(ClaimsFile, document.data)
    except ValidationError as exc:
        errors.extend(to_input_errors(exc, document, ClaimsFile))

    root = claims_path.parent
    evidence_dir = root / EVIDENCE_DIR
    evidence_display = display_path(evidence_dir)
    records, documents, record_errors = _load_evidence(folder, evidence_dir, evidence_display, read)
    errors.extend(record_errors)
    if errors or data is None:
        raise InputErrors(errors)
    return CaseStudy(
        root, document, data, evidence_dir, evidence_display, records, documents, folder
    )


def _walk_error(display: str) -> Callable[[OSError], None]:
    def fail(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else display
        hint = (
            "make it readable by the user running hls-audit"
            if isinstance(exc, PermissionError)
            else "replace the links on the way to it with the folder itself"
        )
        raise InputError(
            f"a folder of the evidence cannot be listed ({exc.strerror or 'error'})",
            path=display_path(where),
            hint=hint,
            code="HLS012",
        )

    return fail


def _load_evidence(
    folder: Folder, evidence_dir: Path, display: str, read: Mapping[str, bytes]
) -> tuple[list[LoadedRecord], list[str], list[InputError]]:
    """Records from evidence/*.yaml; every other file by name only (never opened here)."""
    records: list[LoadedRecord] = []
    documents: list[str] = []
    errors: list[InputError] = []
    if not os.path.lexists(evidence_dir):
        return records, documents, errors
    folder.list_folder(evidence_dir, display, "evidence folder")
    try:
        os.listdir(evidence_dir)
    except OSError as exc:
        _walk_error(display)(exc)
    for dirpath, dirnames, filenames in os.walk(evidence_dir, onerror=_walk_error(display)):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        top = here == evidence_dir
        # Names below evidence/, with forward slashes; paths are made only for what is read.
        prefix = "" if top else here.relative_to(evidence_dir).as_posix() + "/"
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            relative = prefix + name
            if top and name.endswith(RECORD_SUFFIXES):
                file_display = f"{display}/{relative}"
                try:
                    raw = read.get(f"{EVIDENCE_DIR}{os.sep}{name}")
                    if raw is None:
                        raw = folder.read_bytes(here / name, file_display, "evidence record")
                    known = _RECORD_MEMO.get(raw)
                    if known is not None:
                        document = YamlDocument(file_display, known.data, known.marks)
                        record = known.record
                    else:
                        document = parse_yaml(decode(raw, file_display), file_display)
                        record = _validate_record(document, file_display)
                        _remember(raw, _Parsed(document.data, document.marks, record))
                except InputError as exc:
                    errors.append(exc)
                    continue
                except ValidationError as exc:
                    errors.extend(to_input_errors(exc, document, SourceRecord))
                    continue
                if record.document is not None:
                    problem = _document_escapes(record.document)
                    if problem:
                        loc = document.position(("document",)) or (None, None)
                        errors.append(
                            InputError(
                                f"document {record.document!r} {problem}",
                                path=file_display,
                                line=loc[0],
                                column=loc[1],
                                yaml_path="document",
                                hint="documents must live inside evidence/; give a path "
                                "relative to it, such as documents/E1.pdf",
                                code="HLS007",
                            )
                        )
                        continue
                records.append(LoadedRecord(record, document))
            else:
                documents.append(relative)
    return records, documents, errors


def _validate_record(document: YamlDocument, display: str) -> SourceRecord:
    """One evidence record from its parsed file; InputError or ValidationError if it is not."""
    if not isinstance(document.data, dict):
        raise InputError(
            "expected one evidence record (a mapping with id, kind and title), "
            f"got {_top_level(document.data)}",
            path=display,
            line=1,
            column=1,
            hint="each file in evidence/ holds one record; see the README",
            code="HLS006",
        )
    return validate(SourceRecord, document.data)


def _remember(raw: bytes, parsed: _Parsed) -> None:
    """Keep a record by its bytes, forgetting the oldest past RECORD_MEMO_SIZE."""
    if len(_RECORD_MEMO) >= RECORD_MEMO_SIZE:
        del _RECORD_MEMO[next(iter(_RECORD_MEMO))]
    _RECORD_MEMO[raw] = parsed


def _document_escapes(name: str) -> str:
    """Why a record's document path is unsafe by its form, or ''.

    Where a link leads is settled when the document is read, through the case study's door.
    """
    candidate = Path(name)
    if (
        candidate.is_absolute()
        or name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
    ):
        return "is an absolute path"
    if ".." in candidate.parts or ".." in name.replace("\\", "/").split("/"):
        return "climbs out of the evidence folder with '..'"
    return ""
