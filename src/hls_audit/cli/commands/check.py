"""`hls-audit check`: every check on a case study, or on a portfolio of them."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hls_audit.cli.display import emit
from hls_audit.cli.errors import decided, guard, run_or_fail, usage_error
from hls_audit.cli.options import (
    CheckFormat,
    CheckFormatOpt,
    ConfigOpt,
    FailOn,
    LevelOpt,
    NarrativeOpt,
    PathsArg,
    ProfileDirOpt,
    ProfilesOpt,
    RequireOpt,
)
from hls_audit.cli.portfolio import (
    PORTFOLIO_FORMATS,
    portfolio_targets,
    run_portfolio,
    supports_portfolio,
)

if TYPE_CHECKING:
    from hls_audit.io.load import CaseStudy


@guard
def check(
    paths: PathsArg = None,
    output: CheckFormatOpt = None,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report in --format to this file (atomically) while the terminal "
            "shows the table.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding is at or above this level "
            "[default: error, or the settings' fail-on].",
            show_default=False,
        ),
    ] = None,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    frozen: Annotated[
        bool,
        typer.Option(
            "--frozen", help="Documents changed, added or removed since evidence.lock are errors."
        ),
    ] = False,
    narrative_file: NarrativeOpt = None,
    profile: ProfilesOpt = None,
    profile_dir: ProfileDirOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Run every check; print the gaps and the headline reconciliation."""
    from hls_audit.app.run import RunOptions

    profiles = [item.value for item in profile or []]
    options = RunOptions(
        fail_on=fail_on.value if fail_on else None,
        require=require.value if require else None,
        corroborated_at=corroborated_at.value if corroborated_at else None,
        profile=profiles[-1] if profiles else None,
        frozen=frozen,
        narrative=narrative_file,
        config=config_path,
        profile_dir=profile_dir,
    )
    portfolio = portfolio_targets(paths)
    if len(profiles) > 1:
        from hls_audit.cli.migration import migrate

        raise typer.Exit(migrate(paths, profiles, options, output, output_file, portfolio))
    if portfolio is not None:
        chosen = output.value if output else "table"
        if not supports_portfolio(chosen) or output_file is not None:
            usage_error(PORTFOLIO_FORMATS)
        if narrative_file is not None or config_path is not None:
            usage_error(
                "--narrative and --config name one case study's files; in a portfolio each "
                "case study uses its own `narrative:` and settings"
            )
        raise typer.Exit(run_portfolio(portfolio, "check", chosen, options))
    path = (paths or [Path(".")])[0]
    chosen = check_format(output, output_file)
    if output_file is not None and chosen == "table":
        from hls_audit.render.formats import FORMATS, formats_for

        named = [n for n in formats_for("check") if FORMATS[n].kind != "console"]
        usage_error(f"--output needs a file format: {', '.join(named[:-1])} or {named[-1]}")
    as_json = chosen == "json" and output_file is None
    report = run_or_fail(path, options, as_json)
    case = report.case_study
    decided(report.exit_code)

    if output_file is not None:
        from hls_audit.cli.output_file import write_report
        from hls_audit.io.output import is_standard_output

        protected = inputs_of(case, narrative_file, config_path)
        write_report(output_file, chosen, "check", (report,), protected, case.evidence_dir)
        if not is_standard_output(output_file):  # the report is on stdout: nothing after it
            emit("table", "check", report)
    else:
        emit(chosen, "check", report)
    raise typer.Exit(report.exit_code)


def check_format(requested: CheckFormat | None, output_file: Path | None) -> str:
    """--format, else the --output file's suffix, else github under GitHub Actions, else table."""
    from hls_audit.render.formats import FORMATS, format_for_suffix, formats_for

    if requested is not None:
        return requested.value
    if output_file is not None:
        guessed = format_for_suffix(output_file.suffix)
        if guessed is None:
            named = [n for n in formats_for("check") if FORMATS[n].kind != "console"]
            usage_error(
                f"cannot tell the format of {output_file.name}; add --format ({', '.join(named)})"
            )
        return guessed
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "table"


def inputs_of(case: "CaseStudy", narrative: Path | None, config_path: Path | None) -> list[Path]:
    """Every file the audit reads (or would read), which --output must never replace."""
    from hls_audit.documents.lock import LOCK_FILE
    from hls_audit.io.config import CONFIG_FILE, PYPROJECT

    paths = [
        case.root / "claims.yaml",
        Path(case.claims_document.path),
        case.root / LOCK_FILE,
        case.root / CONFIG_FILE,
        case.root / PYPROJECT,
    ]
    paths += [Path(loaded.document.path) for loaded in case.records]
    if config_path is not None:
        paths.append(config_path)
    if narrative is not None:
        paths.append(narrative)
    if case.data.narrative:
        paths.append(case.root / case.data.narrative)
    return paths
