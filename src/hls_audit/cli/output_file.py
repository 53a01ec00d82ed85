"""``--output FILE`` of `check`, `totals` and `sources`: the format, never an input, atomically.

The format is ``--format``, else the one the file's suffix picks (``.json .md .txt .csv .xlsx``
...). The file must not be one the audit reads, nor lie in evidence/. Text and binary formats
(XLSX) alike go through :func:`hls_audit.io.output.write_atomic`; a binary format to standard
output needs it not to be a terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hls_audit.cli.errors import fail, usage_error

if TYPE_CHECKING:
    from hls_audit.engine.findings import Report
    from hls_audit.render.formats import View

# What --output names for a format it cannot tell from the file's suffix.
FILE_FORMATS = "json, markdown, text, csv or xlsx"


def pick_format(requested: str | None, output_file: Path | None) -> str:
    """--format, else the --output file's suffix, else table."""
    from hls_audit.render.formats import format_for_suffix

    if requested is not None:
        return requested
    if output_file is not None:
        guessed = format_for_suffix(output_file.suffix)
        if guessed is None:
            usage_error(f"cannot tell the format of {output_file.name}; add --format")
        return guessed
    return "table"


def check_choice(name: str, output_file: Path | None) -> None:
    """Exit 2 now for what cannot be written: a table to a file, binary to a terminal, or a
    format whose optional package is not installed."""
    from hls_audit.cli.display import is_terminal
    from hls_audit.io.output import is_standard_output
    from hls_audit.render.formats import FORMATS

    kind = FORMATS[name].kind
    if output_file is not None and kind == "console":
        usage_error(f"--output needs a file format: {FILE_FORMATS}")
    to_stdout = output_file is None or is_standard_output(output_file)
    if kind == "bytes" and to_stdout and is_terminal():
        usage_error(
            f"{name} is a binary file; write it with --output FILE.{name} "
            "(or redirect standard output to a file)"
        )
    if name == "xlsx":
        from hls_audit.render.xlsx_out import MissingExtra, xlsxwriter

        try:
            xlsxwriter()
        except MissingExtra as exc:
            usage_error(str(exc))


def rendered(name: str, view: View, *subject: Any) -> bytes:
    """The output of a file format as bytes (text as UTF-8); exit 2 for a missing package."""
    from hls_audit.render.formats import FORMATS
    from hls_audit.render.xlsx_out import MissingExtra

    try:
        return FORMATS[name].render_bytes(view, *subject)
    except MissingExtra as exc:
        usage_error(str(exc))


def write_report(
    target: Path,
    name: str,
    view: View,
    subject: tuple[Any, ...],
    protected: list[Path],
    evidence_dir: Path,
) -> None:
    """Write ``view`` of ``subject`` in format ``name`` to ``target``, or exit 2 saying why not."""
    from hls_audit.core.errors import InputError
    from hls_audit.io.output import refuse_input_overwrite, write_atomic
    from hls_audit.render.formats import FORMATS

    check_choice(name, target)
    try:
        refuse_input_overwrite(target, protected, evidence_dir)
        if FORMATS[name].kind == "bytes":
            write_atomic(target, rendered(name, view, *subject))
        else:
            write_atomic(target, FORMATS[name].render(view, *subject))
    except InputError as exc:
        fail([exc], as_json=False)


def deliver(
    name: str, view: View, report: Report, output_file: Path | None, config: Path | None
) -> None:
    """Print a case study's ``view`` in format ``name``, or write it to ``output_file`` while
    the terminal shows the table (nothing more on stdout when the file is stdout)."""
    from hls_audit.cli.commands.check import inputs_of
    from hls_audit.cli.display import emit
    from hls_audit.io.output import is_standard_output

    if output_file is None:
        emit(name, view, report)
        return
    case = report.case_study
    protected = inputs_of(case, None, config)
    write_report(output_file, name, view, (report,), protected, case.evidence_dir)
    if not is_standard_output(output_file):
        emit("table", view, report)
