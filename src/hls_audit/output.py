"""Writing report files: atomically, and never over the case study's own input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hls_audit.errors import InputError


def refuse_input_overwrite(target: Path, protected: list[Path], evidence_dir: Path) -> None:
    """Stop before --output could replace claims.yaml, a settings file, or anything in evidence/."""
    resolved = target.resolve()
    for path in protected:
        if path.exists() and resolved == path.resolve():
            raise InputError(
                "--output would overwrite an input of the audit",
                path=str(target),
                hint="write the report to a new file, such as hls-audit.sarif",
            )
    if resolved.is_relative_to(evidence_dir.resolve()):
        raise InputError(
            "--output points into the evidence folder",
            path=str(target),
            hint="write reports outside evidence/, where they would count as documents",
        )


def write_atomic(target: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(
            "the folder for --output does not exist", path=str(target), hint="create it first"
        )
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
