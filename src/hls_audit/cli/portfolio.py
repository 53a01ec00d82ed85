"""`check`, `totals` and `sources` over a portfolio: when PATH names more than one case study."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hls_audit.cli.display import emit
from hls_audit.cli.errors import ExitCode, decided, fail, usage_error
from hls_audit.cli.options import Level, Require, table_options
from hls_audit.render.formats import formats_for

if TYPE_CHECKING:
    from hls_audit.app.run import RunOptions

PORTFOLIO_FORMATS = (  # the formats with a portfolio view, from the one format table
    f"a portfolio is reported as {', '.join(formats_for('portfolio'))}, on standard output"
)


def portfolio_targets(paths: list[Path] | None) -> list[Path] | None:
    """The claims files of a portfolio, or None when PATH names one case study."""
    from hls_audit.io.load import CLAIMS_FILE

    targets = paths or [Path(".")]
    single = len(targets) == 1 and (
        targets[0].is_file() or os.path.lexists(targets[0] / CLAIMS_FILE)
    )
    if single or (len(targets) == 1 and not targets[0].exists()):
        return None  # one case study: the portfolio machinery is never imported
    from hls_audit.app.portfolio import discover
    from hls_audit.core.errors import InputError

    for target in targets:
        if not target.exists():
            missing = InputError("no such file or folder", path=str(target), hint="check the path")
            fail([missing], as_json=False)
    found = discover(targets)
    if not found:
        fail(
            [
                InputError(
                    f"no {CLAIMS_FILE} in or below this folder",
                    path=", ".join(str(t) for t in targets),
                    hint="point at a case study's folder, or a folder that holds case studies",
                    code="HLS001",
                )
            ],
            as_json=False,
        )
    return found


def supports_portfolio(output: str) -> bool:
    """Whether the format table lets this format render a portfolio."""
    from hls_audit.render.formats import FORMATS

    return "portfolio" in FORMATS[output].views


def run_portfolio(claims_files: list[Path], kind: str, output: str, options: RunOptions) -> int:
    """Audit the portfolio, print it in ``output`` and give the exit code."""
    from hls_audit.app.portfolio import run_portfolio as audit_portfolio

    portfolio = audit_portfolio(claims_files, options, lean=output == "json")
    if kind == "check":
        code = portfolio.exit_code
    else:
        code = ExitCode.INPUT if portfolio.exit_code == ExitCode.INPUT else ExitCode.OK
    decided(code)
    emit(output, "portfolio", portfolio, kind)
    return code


def maybe_portfolio(
    paths: list[Path] | None,
    kind: str,
    output: str,
    require: Require | None,
    corroborated_at: Level | None,
    config_path: Path | None,
) -> None:
    """Run `totals` or `sources` over a portfolio and exit, when PATH names more than one."""
    portfolio = portfolio_targets(paths)
    if portfolio is not None:
        if config_path is not None:
            usage_error("--config names one case study's settings; a portfolio uses their own")
        if not supports_portfolio(output):
            usage_error(PORTFOLIO_FORMATS)
        options = table_options(require, corroborated_at, None)
        raise typer.Exit(run_portfolio(portfolio, kind, output, options))
