"""`hls-audit sources`: the evidence register."""

from __future__ import annotations

from pathlib import Path

from hls_audit.cli.display import emit
from hls_audit.cli.errors import guard, run_or_fail
from hls_audit.cli.options import (
    ConfigOpt,
    LevelOpt,
    PathsArg,
    RequireOpt,
    SourcesFormat,
    SourcesFormatOpt,
    table_options,
)
from hls_audit.cli.portfolio import maybe_portfolio

TABLE = SourcesFormat("table")  # the default --format


@guard
def sources(
    paths: PathsArg = None,
    output: SourcesFormatOpt = TABLE,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Print the evidence register: every source, its level, who cites it, what is missing."""
    maybe_portfolio(paths, "sources", output.value, require, corroborated_at, config_path)
    path = (paths or [Path(".")])[0]
    as_json = output.value == "json"
    report = run_or_fail(path, table_options(require, corroborated_at, config_path), as_json)
    emit(output.value, "sources", report)
