"""`hls-audit explain`: what a check or an input-error code means, and the fix."""

import sys
from typing import Annotated

import typer

from hls_audit.cli.errors import ExitCode, guard


@guard
def explain(
    code: Annotated[
        str | None,
        typer.Argument(help="A check code (HLS102), an input-error code (HLS005) or a name."),
    ] = None,
    all_checks: Annotated[
        bool, typer.Option("--all", help="Every check, as Markdown (the docs/checks.md text).")
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            metavar="NAME|PATH",
            help="For a profile's rule, show its limits under this profile (a built-in name or "
            "a .toml file) [default: the rule's own profile].",
        ),
    ] = None,
) -> None:
    """Explain a check: what it does, why it matters, an example, and the fix."""
    from hls_audit.core.input_codes import get_input_code
    from hls_audit.core.sanitize import one_line
    from hls_audit.render.explain import all_markdown, explain_input_code, explain_text
    from hls_audit.rules.catalog import get_check

    if all_checks:
        sys.stdout.write(all_markdown())
        return
    if code is None:
        typer.echo("Usage: hls-audit explain CODE\nError: name a check, or use --all", err=True)
        raise typer.Exit(ExitCode.INPUT)
    input_code = get_input_code(code)
    if input_code is not None:
        sys.stdout.write(explain_input_code(input_code))
        return
    try:
        item = get_check(code)
    except KeyError:
        typer.echo(
            f"hls-audit: {one_line(code, 60)!r} is not a check or input-error code or name; "
            "`hls-audit rules` lists the checks, the README the input errors",
            err=True,
        )
        raise typer.Exit(ExitCode.INPUT) from None
    if item.profile is None:
        sys.stdout.write(explain_text(item))
        return
    from hls_audit.cli.commands.profiles import open_profile

    active = open_profile(profile or item.profile)
    if not active.has(item.code):
        typer.echo(
            f"hls-audit: {item.code} is a rule of the {item.profile} profile, which "
            f"{active.name} neither is nor builds on",
            err=True,
        )
        raise typer.Exit(ExitCode.INPUT)
    sys.stdout.write(explain_text(item, active, item.uses))
