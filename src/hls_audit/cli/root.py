"""The command line: the Typer app, its root options and the console-script entry point.

The commands live one to a module in hls_audit.cli.commands; they parse options, run the one
use case (hls_audit.app.run), render and choose the exit code. No checking happens here.
"""

import importlib
import os
import sys
from typing import Annotated, Any

import typer

from hls_audit.cli.errors import STATE, ExitCode

# hls-audit uses no pydantic plugins; skipping their discovery (an entry-point scan) saves
# start-up time on every command.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

app: typer.Typer  # every command; built on first use (see __getattr__ below)

# Every command, in the order `--help` lists them: its name, module and function. A sub-app (a
# command with commands of its own) is added with add_typer.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "init"),
    "check": ("check", "check"),
    "review": ("review", "review"),
    "totals": ("totals", "totals"),
    "sources": ("sources", "sources"),
    "rules": ("rules", "rules"),
    "narrative": ("narrative", "narrative"),
    "extract": ("extract", "extract"),
    "explain": ("explain", "explain"),
    "lock": ("lock", "lock"),
    "schema": ("schema", "schema"),
    "diff": ("diff", "diff"),
    "profiles": ("profiles", "profiles"),
    "profile": ("profiles", "profile_app"),
}


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with ``only`` that one.

    A run names its command before anything else (the root options take no values), so
    `main` builds the app with that command alone: Typer reads the signature of every command
    it is given on every run, and importing and reading the others would cost start-up time.
    `app` (and so every test) has them all; `tests/test_cli.py` checks that each command reads
    the same either way.
    """
    built = typer.Typer(
        name="hls-audit",
        help="Audit the claims of a research-impact case study against its evidence.\n\n"
        "Exit codes: 0 all checks pass, 1 findings at or above the failure level, "
        "2 unusable input or command line.",
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    for name, (module, attribute) in COMMANDS.items():
        if only is not None and name != only:
            continue
        made = getattr(importlib.import_module(f"hls_audit.cli.commands.{module}"), attribute)
        if isinstance(made, typer.Typer):
            built.add_typer(made)
        else:
            built.command()(made)
    built.callback()(_root)
    return built


def _version_callback(value: bool) -> None:
    if value:
        from hls_audit import __version__

        typer.echo(f"hls-audit {__version__}")
        raise typer.Exit()


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


def command_named(arguments: list[str]) -> str | None:
    """The command a command line runs, if it names one of ours: its first word that is not
    an option (`hls-audit --debug check .` runs check)."""
    for word in arguments:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    build_app(command_named(sys.argv[1:]))(prog_name="hls-audit")


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()["app"] = made = build_app()
    return made
