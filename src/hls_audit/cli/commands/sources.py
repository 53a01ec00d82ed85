"""`hls-audit sources`: the evidence register."""

from pathlib import Path

from hls_audit.cli.errors import guard, run_or_fail, usage_error
from hls_audit.cli.options import (
    ConfigOpt,
    LevelOpt,
    OutputFileOpt,
    PathsArg,
    RequireOpt,
    SourcesFormatOpt,
    table_options,
)
from hls_audit.cli.output_file import check_choice, deliver, pick_format
from hls_audit.cli.portfolio import PORTFOLIO_FORMATS, maybe_portfolio, portfolio_targets


@guard
def sources(
    paths: PathsArg = None,
    output: SourcesFormatOpt = None,
    output_file: OutputFileOpt = None,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Print the evidence register: every source, its level, who cites it, what is missing."""
    chosen = pick_format(output.value if output else None, output_file)
    if output_file is not None and portfolio_targets(paths) is not None:
        usage_error(PORTFOLIO_FORMATS)
    maybe_portfolio(paths, "sources", chosen, require, corroborated_at, config_path)
    check_choice(chosen, output_file)
    path = (paths or [Path(".")])[0]
    as_json = chosen == "json" and output_file is None
    report = run_or_fail(path, table_options(require, corroborated_at, config_path), as_json)
    deliver(chosen, "sources", report, output_file, config_path)
