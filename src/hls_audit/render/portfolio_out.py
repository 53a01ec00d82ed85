"""A portfolio's results: one row per case study, then the details of the ones with findings.

Paths, messages and ids come from the case studies (a folder's name is the author's choice too):
the views make them safe lines, and so does details_text, line by line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hls_audit import __version__
from hls_audit.app.portfolio import CaseResult, HeadlineResult, PortfolioReport
from hls_audit.core.money import format_gbp
from hls_audit.core.sanitize import MAX_MESSAGE, one_line, plain_text
from hls_audit.render.views import TableView

if TYPE_CHECKING:
    from rich.console import Console


def _verdict(case: CaseResult) -> str:
    if not case.usable:
        return "UNUSABLE"
    return "PASS" if case.passed else "FAIL"


def _headline_text(h: HeadlineResult) -> str:
    return f"{h.id} {h.relation.replace('_', ' ')} {format_gbp(h.value, h.currency)}"


def _headline(case: CaseResult) -> tuple[str, str, str, str]:
    if case.audit is None or not case.audit.headlines:
        return "—", "—", "—", "—"
    h = case.audit.headlines[0]
    return (
        _headline_text(h),
        format_gbp(h.total.central),
        format_gbp(h.corroborated_total.central),
        h.verdict,
    )


def _worst(case: CaseResult) -> str:
    if case.audit is None:
        return f"input: {case.input_errors[0].message}"
    active = case.audit.active_findings
    if not active:
        return "—"
    worst = max(active, key=lambda f: f.severity.rank)
    return f"{worst.code} {worst.message}"


def _counts(case: CaseResult) -> tuple[int, int, int]:
    if case.audit is None:
        return len(case.input_errors), 0, 0
    counts = case.audit.counts
    return counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0)


def portfolio_view(portfolio: PortfolioReport) -> TableView:
    view = TableView(
        f"Portfolio: {len(portfolio.cases)} case studies",
        ["Case study", "Verdict", "Headline", "Claimed", "Corroborated", "Headline verdict",
         "Errors", "Warnings", "Info", "Worst finding"],
        right={3, 4, 6, 7, 8},
    )  # fmt: skip
    for case in portfolio.cases:
        headline, claimed, corroborated, verdict = _headline(case)
        view.add(
            [
                case.path,
                _verdict(case),
                headline,
                claimed,
                corroborated,
                verdict,
                *(str(count) for count in _counts(case)),
                one_line(_worst(case), 100),
            ]
        )
        style = {"PASS": "", "FAIL": "red", "UNUSABLE": "bold red"}[_verdict(case)]
        if style:
            view.styles[len(view.rows) - 1] = style
    passed = _passed(portfolio)
    view.note(
        f"{passed} passed, {len(portfolio.cases) - passed} did not "
        f"({portfolio.cached} from the result cache)."
    )
    return view


def _passed(portfolio: PortfolioReport) -> int:
    return sum(1 for case in portfolio.cases if _verdict(case) == "PASS")


def _where(*parts: object) -> str:
    return ":".join(str(part) for part in parts if part)


def details_text(portfolio: PortfolioReport) -> str:
    """Compiler-style lines for every case study that did not pass (all of them are in JSON)."""
    out: list[str] = []
    for case in portfolio.cases:
        if _verdict(case) == "PASS":
            continue
        lines: list[str] = []
        for error in case.input_errors:
            where = _where(error.path, error.line, error.column)
            lines.append(f"  {one_line(where)}: error: {one_line(error.message, MAX_MESSAGE)}")
        for f in case.audit.active_findings if case.audit is not None else []:
            loc = f.location
            where = "" if loc is None else _where(loc.file, loc.line, loc.column)
            lines.append(
                f"  {one_line(where) or '-'}: {f.severity.value} {f.code} {one_line(f.name)}: "
                + one_line(f.message)
            )
        if lines:
            out += [f"{one_line(case.path)} ({_verdict(case)}):", *lines]
    return plain_text("\n".join(out))


def summary_line(portfolio: PortfolioReport) -> str:
    failed = len(portfolio.cases) - _passed(portfolio)
    verdict = "PASS" if portfolio.exit_code == 0 else "FAIL"
    return (
        f"{verdict}: {len(portfolio.cases)} case studies, {failed} with findings at the "
        "failure level or unusable input"
    )


def portfolio_json(portfolio: PortfolioReport, kind: str = "check") -> dict[str, Any] | str:
    """The portfolio's JSON document: as data, or, when every case study comes with its entry
    as text (``CaseResult.text``), as the finished text, the entries put in place unchanged:
    the same bytes, without decoding or encoding a report again."""
    head: dict[str, Any] = {
        "format": f"hls-audit/portfolio-{kind}",
        "version": 1,
        "tool_version": __version__,
        "result": {
            "exit_code": portfolio.exit_code,
            "case_studies": len(portfolio.cases),
            "passed": _passed(portfolio),
            "unusable": sum(1 for case in portfolio.cases if not case.usable),
        },
    }
    texts = [case.text for case in portfolio.cases if case.text is not None]
    if not texts or len(texts) != len(portfolio.cases):
        return {**head, "case_studies": portfolio.results}
    from hls_audit.render.json_out import dumps

    empty = dumps({**head, "case_studies": []})
    assert empty.endswith("[]\n}\n")
    return empty[: -len("[]\n}\n")] + "[\n    " + ",\n    ".join(texts) + "\n  ]\n}\n"


def view_for(portfolio: PortfolioReport, kind: str) -> TableView:
    """The table of the portfolio that answers `check`, `totals` or `sources`."""
    views = {"check": portfolio_view, "totals": totals_view, "sources": sources_view}
    return views[kind](portfolio)


def portfolio_text(portfolio: PortfolioReport, kind: str = "check") -> str:
    """Plain text: the table, then (for `check`) the details and the verdict."""
    from hls_audit.render.plain import table_text

    parts = [table_text(view_for(portfolio, kind))]
    if kind == "check":
        details = details_text(portfolio)
        if details:
            parts += ["", details]
        parts += ["", summary_line(portfolio)]
    return "\n".join(parts) + "\n"


def print_portfolio(console: Console, portfolio: PortfolioReport, kind: str = "check") -> None:
    """Rich tables on a terminal: the table, then (for `check`) the details and the verdict."""
    from hls_audit.render.rich_out import to_table

    console.print(to_table(view_for(portfolio, kind)))
    if kind != "check":
        return
    details = details_text(portfolio)
    if details:
        from rich.text import Text

        from hls_audit.render.rich_out import PlainLines

        console.print(PlainLines(Text(details)))
    console.print(summary_line(portfolio))


def totals_view(portfolio: PortfolioReport) -> TableView:
    view = TableView(
        "Portfolio headlines",
        ["Case study", "Headline", "Claimed", "Range", "Corroborated", "Verdict"],
        right={2, 4},
    )
    claimed = corroborated = Decimal(0)
    for case in portfolio.cases:
        for h in case.audit.headlines if case.audit is not None else ():
            total, corr = h.total.central, h.corroborated_total.central
            claimed += total
            corroborated += corr
            low = ("> " if h.total.lower_open else "") + format_gbp(h.total.lower)
            view.add(
                [
                    case.path,
                    _headline_text(h),
                    format_gbp(total),
                    f"{low} – {format_gbp(h.total.upper)}",
                    format_gbp(corr),
                    h.verdict,
                ]
            )
        if not case.usable:
            view.add([case.path, "unusable input", "—", "—", "—", "—"])
    view.add(["All", "", format_gbp(claimed), "", format_gbp(corroborated), ""])
    view.styles[len(view.rows) - 1] = "bold"
    return view


def sources_view(portfolio: PortfolioReport) -> TableView:
    levels = ["verified", "on-file", "recorded", "missing"]
    view = TableView(
        "Portfolio evidence",
        ["Case study", *levels, "Claims corroborated", "Claims citing nothing"],
        right={1, 2, 3, 4, 5, 6},
    )
    for case in portfolio.cases:
        if case.audit is None:
            view.add([case.path, "—", "—", "—", "—", "unusable input", "—"])
            continue
        coverage = case.audit.coverage
        view.add(
            [
                case.path,
                *(str(coverage.sources_by_level.get(level, 0)) for level in levels),
                f"{coverage.claims_corroborated} of {coverage.claims_total}",
                str(coverage.claims_without_source),
            ]
        )
    return view
