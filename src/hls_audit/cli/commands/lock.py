"""`hls-audit lock`: evidence.lock, the fingerprints of the documents records name."""

import os
from pathlib import Path
from typing import Annotated

import typer

from hls_audit.cli.display import progress
from hls_audit.cli.errors import ExitCode, fail, guard, load_or_fail
from hls_audit.cli.options import PathArg


@guard
def lock(
    path: PathArg = Path("."),
    update: Annotated[
        bool, typer.Option("--update", help="Replace an existing evidence.lock.")
    ] = False,
) -> None:
    """Write evidence.lock: sha256, size and page count of every document a record names."""
    from hls_audit.core.errors import InputError, InputErrors
    from hls_audit.documents.lock import LOCK_FILE, compare, lock_text, read_lock
    from hls_audit.documents.verify import named_documents, read_documents
    from hls_audit.io.output import write_atomic

    case = load_or_fail(path)
    target = case.root / LOCK_FILE
    try:
        documents = read_documents(case, progress(len(named_documents(case))))
    except (InputError, InputErrors) as exc:
        fail(exc.errors if isinstance(exc, InputErrors) else [exc], as_json=False)
    current = documents.fingerprints()
    if os.path.lexists(target):
        try:
            previous = read_lock(target, str(target), case.folder)
        except InputError:
            previous = {}
        if not update:
            drift = compare(previous, current)
            state = "matches the documents" if previous and not drift.any else "differs"
            typer.echo(
                f"hls-audit: {target} already exists and {state}; pass --update to replace it",
                err=True,
            )
            raise typer.Exit(ExitCode.INPUT)
        drift = compare(previous, current)
        summary = (
            f"{len(drift.changed)} changed, {len(drift.added)} added, {len(drift.removed)} removed"
        )
    else:
        summary = f"{len(current)} document(s)"
    try:
        write_atomic(target, lock_text(current), in_place=False)
    except InputError as exc:
        fail([exc], as_json=False)
    typer.echo(f"wrote {target}: {summary}")
