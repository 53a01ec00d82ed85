"""`hls-audit diff REV1 [REV2]`: what changed in a case study's audit between two git revisions.

Each side is audited by the one use case (hls_audit.app.run), a revision from a copy of its files
in a temporary folder (hls_audit.app.history), the work tree from the files on disk. Both are
audited from inside their own folder, so paths and messages read the same on the two sides.
"""

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hls_audit.cli.display import emit
from hls_audit.cli.errors import decided, fail, guard
from hls_audit.cli.options import FORMAT_HELP, choices
from hls_audit.render.formats import formats_for

if TYPE_CHECKING:
    from enum import StrEnum

    from hls_audit.app.history import Place
    from hls_audit.core.errors import InputError
    from hls_audit.engine.findings import Report

    DiffFormat = StrEnum
else:
    DiffFormat = choices("Format", formats_for("diff"))

WORK_TREE = "working tree"
TABLE = DiffFormat("table")


@guard
def diff(
    rev1: Annotated[
        str,
        typer.Argument(help="The revision to compare from: a branch, a tag, a commit, HEAD~1."),
    ],
    rev2: Annotated[
        str | None,
        typer.Argument(
            help="The revision to compare to.",
            show_default="the working tree as it is on disk",
        ),
    ] = None,
    path: Annotated[
        Path,
        typer.Option(
            "--path", help="The case study: a claims file, or a folder holding claims.yaml."
        ),
    ] = Path("."),
    output: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help=FORMAT_HELP + " markdown: a pull-request comment.",
        ),
    ] = TABLE,
) -> None:
    """Compare the case study's audit at two git revisions: headlines, amounts, citations,
    sources and findings."""
    from hls_audit.app.diff import Side, compare
    from hls_audit.app.history import locate, resolve
    from hls_audit.core.errors import InputError

    as_json = output.value == "json"
    try:
        place = locate(path)
        before = resolve(place, rev1)
        after = resolve(place, rev2) if rev2 is not None else None
    except InputError as exc:
        fail([exc], as_json)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hls-audit-diff-") as scratch:
        old = _audit_revision(place, before.label, before.commit, Path(scratch) / "1", as_json)
        if after is None:
            new = _audit_work_tree(path, as_json)
            new_side = Side(WORK_TREE)
        else:
            new = _audit_revision(place, after.label, after.commit, Path(scratch) / "2", as_json)
            new_side = Side(after.label, after.commit)
        result = compare(Side(before.label, before.commit), old, new_side, new, place.display)
    decided(0)
    emit(output.value, "diff", result)


def _audit_revision(place: "Place", label: str, commit: str, into: Path, as_json: bool) -> "Report":
    """The audit of the case study's files at a commit, copied into ``into``."""
    from hls_audit.app.history import Revision, materialise
    from hls_audit.core.errors import InputError

    into.mkdir()
    try:
        claims = materialise(place, Revision(label, commit), into)
    except InputError as exc:
        fail([exc], as_json)
    prefix = f"{label}:{place.prefix}"
    return _audit(claims, into, lambda shown: prefix + shown, f"at {label}", as_json)


def _audit_work_tree(path: Path, as_json: bool) -> "Report":
    """The audit of the case study as it is on disk."""
    from hls_audit.io.load import display_path

    target = Path(os.path.abspath(path))
    folder = target if target.is_dir() else target.parent
    shown = display_path(folder)

    def relabel(inner: str) -> str:
        return inner if shown == "." else os.path.join(shown, inner)

    return _audit(target, folder, relabel, f"in the {WORK_TREE}", as_json)


Relabel = Callable[[str], str]  # a path as the audit showed it -> as the diff shows it


def _audit(target: Path, folder: Path, relabel: Relabel, where: str, as_json: bool) -> "Report":
    """run_case from inside ``folder``; input errors are reported with their paths relabelled."""
    from hls_audit.app.run import RunOptions, run_case
    from hls_audit.core.errors import InputError, InputErrors

    try:
        with contextlib.chdir(folder):
            return run_case(target, RunOptions())
    except InputErrors as exc:
        errors = exc.errors
    except InputError as exc:
        errors = [exc]
    typer.echo(f"hls-audit diff: the case study cannot be audited {where}:", err=True)
    fail([_relabelled(e, folder, relabel) for e in errors], as_json)


def _relabelled(error: "InputError", folder: Path, relabel: Relabel) -> "InputError":
    """The error with its file named as the user knows it (``HEAD~1:cases/a/claims.yaml``)."""
    from hls_audit.core.errors import InputError

    shown = error.path
    if shown and os.path.isabs(shown):
        inside = os.path.relpath(shown, folder)
        shown = shown if inside.startswith("..") else inside
    return InputError(
        error.message,
        path=relabel(shown) if shown and not os.path.isabs(shown) else shown,
        line=error.line,
        column=error.column,
        hint=error.hint,
        yaml_path=error.yaml_path,
        code=error.code,
    )
