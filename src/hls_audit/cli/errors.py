"""Exit codes, the crash guard every command runs inside, and the reporting of unusable input."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from hls_audit.app.run import RunOptions
    from hls_audit.core.errors import InputError
    from hls_audit.engine.findings import Report
    from hls_audit.io.load import CaseStudy

P = ParamSpec("P")
R = TypeVar("R")


class ExitCode(IntEnum):
    """What the process exit code says."""

    OK = 0  # every check passes
    FINDINGS = 1  # findings at or above the failure level
    INPUT = 2  # unusable input or command line
    INTERNAL = 3  # a bug in hls-audit
    TERMINATED = 128 + 15  # SIGTERM, as a shell reports it


class _State:
    """What the whole run shares: --debug, and the exit code decided before printing."""

    debug = False  # set by --debug on the command line
    result: int = ExitCode.OK  # a closed pipe while printing keeps this code


STATE = _State()


def decided(code: int) -> None:
    """Record the exit code before the report is printed, so a closed pipe keeps it."""
    STATE.result = code


def fail(errors: list[InputError], as_json: bool) -> NoReturn:
    """Report unusable input on stderr (and as JSON on stdout when asked), then exit 2."""
    for error in errors:
        typer.echo(error.render(), err=True)
    count = len(errors)
    typer.echo(
        f"hls-audit: {count} input error{'s' if count != 1 else ''}; nothing was audited.",
        err=True,
    )
    if as_json:
        from hls_audit.render.json_out import dumps, error_json

        items = [e.as_json() for e in errors]
        typer.echo(dumps(error_json(items)), nl=False)
    raise typer.Exit(ExitCode.INPUT)


def usage_error(message: str) -> NoReturn:
    """A command line that cannot be run: click's usage format, exit 2."""
    typer.echo(f"{_usage()}\nError: {message}", err=True)
    raise typer.Exit(ExitCode.INPUT)


def _usage() -> str:
    """The running command's usage line (hls-audit totals [OPTIONS] ...), as click writes it."""
    import importlib

    for name in ("typer._click.globals", "click"):  # typer's bundled click, else the package
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        context = module.get_current_context(silent=True)
        if context is not None:
            return str(context.get_usage())
    return "Usage: hls-audit [OPTIONS] COMMAND [ARGS]..."


def load_or_fail(path: Path) -> CaseStudy:
    """The case study alone (for `lock`), with input errors reported."""
    from hls_audit.core.errors import InputError, InputErrors
    from hls_audit.io.load import load_case_study

    try:
        return load_case_study(path)
    except InputErrors as exc:
        fail(exc.errors, False)
    except InputError as exc:
        fail([exc], False)


def run_or_fail(path: Path, options: RunOptions, as_json: bool = False) -> Report:
    """The one use case, with input errors reported on stderr (and as JSON when asked)."""
    return run_or_fail_under(path, options, (options.profile,), as_json)[0]


def run_or_fail_under(
    path: Path, options: RunOptions, profiles: tuple[str | None, ...], as_json: bool = False
) -> list[Report]:
    """The use case under each profile (the case study read once), input errors reported."""
    from hls_audit.app.run import run_case_under
    from hls_audit.cli.display import progress
    from hls_audit.core.errors import InputError, InputErrors

    try:
        return run_case_under(path, options, profiles, progress)
    except InputErrors as exc:
        fail(exc.errors, as_json)
    except InputError as exc:
        fail([exc], as_json)


def guard(function: Callable[P, R]) -> Callable[P, R]:
    """Turn an unexpected crash into a one-line message and exit code 3, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from hls_audit.core.sanitize import one_line

        try:
            try:
                return function(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a full or failing stdout shows up here, not at exit
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(STATE.result) from None
        except OSError as exc:  # the machine, not the tool: a full disk or stdout, an I/O error
            silence_stdout()
            where = f" ({one_line(str(exc.filename))})" if exc.filename else ""
            typer.echo(
                f"hls-audit: error: {one_line(exc.strerror or type(exc).__name__)}{where}\n"
                "  hint: free space or fix the output, then run again",
                err=True,
            )
            raise typer.Exit(ExitCode.INPUT) from None
        except Exception as exc:  # the last line of defence
            if STATE.debug or os.environ.get("HLS_AUDIT_DEBUG"):
                raise
            typer.echo(
                f"hls-audit: internal error: {type(exc).__name__}: {one_line(str(exc), 400)}\n"
                "  This is a bug in hls-audit. Rerun with --debug for the traceback "
                "and report it.",
                err=True,
            )
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper


def silence_stdout() -> None:
    """After the reader of stdout has gone, send the rest to nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
