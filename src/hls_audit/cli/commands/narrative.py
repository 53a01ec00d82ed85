"""`hls-audit narrative`: the case study's text reconciled with claims.yaml."""

from pathlib import Path
from typing import Annotated

import typer

from hls_audit.cli.display import emit
from hls_audit.cli.errors import decided, guard, run_or_fail
from hls_audit.cli.options import (
    ConfigOpt,
    FailOn,
    NarrativeFileArg,
    NarrativeFormat,
    NarrativeFormatOpt,
    PathArg,
)

TABLE = NarrativeFormat("table")  # the default --format
ERROR = FailOn("error")  # the default --fail-on


@guard
def narrative(
    narrative_file: NarrativeFileArg,
    path: PathArg = Path("."),
    output: NarrativeFormatOpt = TABLE,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this level.")
    ] = ERROR,
    config_path: ConfigOpt = None,
) -> None:
    """Reconcile the case study's text with claims.yaml: figures, markers, qualifiers."""
    from dataclasses import replace

    from hls_audit.app.run import RunOptions

    as_json = output.value == "json"
    options = RunOptions(fail_on=fail_on.value, narrative=narrative_file, config=config_path)
    full = run_or_fail(path, options, as_json)
    report = replace(full, findings=[f for f in full.findings if f.code.startswith("HLS7")])
    decided(report.exit_code)
    emit(output.value, "narrative", report)
    raise typer.Exit(report.exit_code)
