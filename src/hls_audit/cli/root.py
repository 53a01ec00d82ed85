"""The command line: the Typer app, its root options and the console-script entry point.

The commands live one to a module in hls_audit.cli.commands; they parse options, run the one
use case (hls_audit.app.run), render and choose the exit code. No checking happens here.
"""

import os
from typing import Annotated

import typer

from hls_audit.cli.commands.check import check
from hls_audit.cli.commands.diff import diff
from hls_audit.cli.commands.explain import explain
from hls_audit.cli.commands.extract import extract
from hls_audit.cli.commands.init import init
from hls_audit.cli.commands.lock import lock
from hls_audit.cli.commands.narrative import narrative
from hls_audit.cli.commands.profiles import profile_app, profiles
from hls_audit.cli.commands.review import review
from hls_audit.cli.commands.rules import rules
from hls_audit.cli.commands.schema import schema
from hls_audit.cli.commands.sources import sources
from hls_audit.cli.commands.totals import totals
from hls_audit.cli.errors import STATE, ExitCode

# hls-audit uses no pydantic plugins; skipping their discovery (an entry-point scan) saves
# start-up time on every command.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

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

for command in (
    init,
    check,
    review,
    totals,
    sources,
    rules,
    narrative,
    extract,
    explain,
    lock,
    schema,
    diff,
):
    app.command()(command)
app.command()(profiles)
app.add_typer(profile_app)


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
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show the traceback of an internal error (exit 3)."),
    ] = False,
) -> None:
    """Audit the claims of a research-impact case study against its evidence."""
    STATE.debug = debug or bool(os.environ.get("HLS_AUDIT_DEBUG"))


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (a cancelled CI job) unwinds like Ctrl-C, so temporary files are removed."""
    raise SystemExit(ExitCode.TERMINATED)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    app(prog_name="hls-audit")
