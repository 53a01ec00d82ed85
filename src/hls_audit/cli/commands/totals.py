"""`hls-audit totals`: every amount, the subtotals and each headline's verdict."""

from __future__ import annotations

from pathlib import Path

from hls_audit.cli.display import emit
from hls_audit.cli.errors import guard, run_or_fail
from hls_audit.cli.options import (
    ConfigOpt,
    LevelOpt,
    PathsArg,
    RequireOpt,
    TotalsFormat,
    TotalsFormatOpt,
    table_options,
)
from hls_audit.cli.portfolio import maybe_portfolio

TABLE = TotalsFormat("table")  # the default --format


@guard
def totals(
    paths: PathsArg = None,
    output: TotalsFormatOpt = TABLE,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Print every amount with its role, the subtotals and each headline's verdict."""
    maybe_portfolio(paths, "totals", output.value, require, corroborated_at, config_path)
    path = (paths or [Path(".")])[0]
    as_json = output.value == "json"
    report = run_or_fail(path, table_options(require, corroborated_at, config_path), as_json)
    emit(output.value, "totals", report)
