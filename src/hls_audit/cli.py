"""The command line: parse options, load, audit, render, choose the exit code. No checking here."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from hls_audit.findings import Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="hls-audit",
    help="Audit the claims of a research-impact case study against its evidence.\n\n"
    "Exit codes: 0 all checks pass, 1 findings at or above the failure level, "
    "2 unusable input or command line.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Require(StrEnum):
    records = "records"
    documents = "documents"


PathArg = Annotated[
    Path,
    typer.Argument(
        help="A claims file, or a folder holding claims.yaml.", show_default="current folder"
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="table: Rich tables on a terminal, plain text otherwise; text: always plain; "
        "json: the versioned JSON contract.",
    ),
]
RequireOpt = Annotated[
    Require,
    typer.Option(
        "--require",
        help="Evidence a source must have to count as present: a record, or a document on file.",
    ),
]


def _is_terminal() -> bool:
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _fail(errors: list[Any], output: OutputFormat) -> None:
    from hls_audit.errors import InputError

    items: list[InputError] = errors
    for error in items:
        typer.echo(error.render(), err=True)
    count = len(items)
    typer.echo(
        f"hls-audit: {count} input error{'s' if count != 1 else ''}; nothing was audited.",
        err=True,
    )
    if output is OutputFormat.json:
        from hls_audit.render.json_out import dumps, error_json

        typer.echo(
            dumps(
                error_json(
                    [
                        {
                            "message": e.message,
                            "file": e.path,
                            "line": e.line,
                            "column": e.column,
                            "yaml_path": e.yaml_path,
                            "hint": e.hint,
                        }
                        for e in items
                    ]
                )
            ),
            nl=False,
        )
    raise typer.Exit(EXIT_INPUT)


def _run_audit(path: Path, output: OutputFormat, fail_on: FailOn, require: Require) -> Report:
    from hls_audit.audit import audit
    from hls_audit.errors import InputError, InputErrors
    from hls_audit.findings import Severity
    from hls_audit.load import load_case_study

    try:
        case = load_case_study(path)
    except InputErrors as exc:
        _fail(exc.errors, output)
    except InputError as exc:
        _fail([exc], output)
    return audit(case, fail_on=Severity(fail_on.value), require=require.value)


def _emit(output: OutputFormat, plain: Any, rich: Any, payload: Any) -> None:
    """Write the chosen format: JSON, plain text, or Rich tables on a terminal."""
    if output is OutputFormat.json:
        from hls_audit.render.json_out import dumps

        sys.stdout.write(dumps(payload()))
    elif output is OutputFormat.table and _is_terminal():
        from rich.console import Console

        rich(Console(highlight=False))
    else:
        sys.stdout.write(plain())


def _guard(function: Any) -> Any:
    """Turn an unexpected crash into a one-line message and exit code 3, never a traceback."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise typer.Exit(EXIT_OK) from None
        except Exception as exc:  # the last line of defence
            if os.environ.get("HLS_AUDIT_DEBUG"):
                raise
            typer.echo(
                f"hls-audit: internal error: {type(exc).__name__}: {exc}\n"
                "  This is a bug in hls-audit. Rerun with HLS_AUDIT_DEBUG=1 for a traceback "
                "and report it.",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


@app.command()
@_guard
def check(
    path: PathArg = Path("."),
    output: FormatOpt = OutputFormat.table,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this level.")
    ] = FailOn.error,
    require: RequireOpt = Require.records,
) -> None:
    """Run every check; print the gaps and the headline reconciliation."""
    report = _run_audit(path, output, fail_on, require)
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_check

        print_check(console, report)

    _emit(output, lambda: plain.check_text(report), rich, lambda: json_out.check_json(report))
    raise typer.Exit(report.exit_code)


@app.command()
@_guard
def totals(
    path: PathArg = Path("."),
    output: FormatOpt = OutputFormat.table,
    require: RequireOpt = Require.records,
) -> None:
    """Print every amount with its role, the subtotals and each headline's verdict."""
    report = _run_audit(path, output, FailOn.error, require)
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_totals

        print_totals(console, report)

    _emit(output, lambda: plain.totals_text(report), rich, lambda: json_out.totals_json(report))


@app.command()
@_guard
def sources(
    path: PathArg = Path("."),
    output: FormatOpt = OutputFormat.table,
    require: RequireOpt = Require.records,
) -> None:
    """Print the evidence register: every source, its level, who cites it, what is missing."""
    report = _run_audit(path, output, FailOn.error, require)
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_sources

        print_sources(console, report)

    _emit(output, lambda: plain.sources_text(report), rich, lambda: json_out.sources_json(report))


@app.command()
@_guard
def rules(output: FormatOpt = OutputFormat.table) -> None:
    """List every check: code, name, default severity and summary."""
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_rules

        print_rules(console)

    _emit(output, plain.rules_text, rich, json_out.rules_json)


def _version_callback(value: bool) -> None:
    if value:
        from hls_audit import __version__

        typer.echo(f"hls-audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Audit the claims of a research-impact case study against its evidence."""


def main() -> None:
    """Console-script entry point."""
    app(prog_name="hls-audit")
