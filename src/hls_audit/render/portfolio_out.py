"""A portfolio's results: one row per case study, then the details of the ones with findings.

Paths, messages and ids come from the case studies (a folder's name is the author's choice too):
the views make them safe lines, and so does details_text, line by line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hls_audit import __version__
from hls_audit.money import format_gbp
from hls_audit.portfolio import Portfolio
from hls_audit.render.views import TableView
from hls_audit.sanitize import MAX_MESSAGE, one_line, plain_text

RANK = {"error": 2, "warning": 1, "info": 0}


def _verdict(result: dict[str, Any]) -> str:
    if "input_errors" in result:
        return "UNUSABLE"
    return "PASS" if result["result"]["passed"] else "FAIL"


def _headline(result: dict[str, Any]) -> tuple[str, str, str, str]:
    headlines = result.get("headlines") or []
    if not headlines:
        return "—", "—", "—", "—"
    h = headlines[0]
    relation = h["relation"].replace("_", " ")
    return (
        f"{h['id']} {relation} {format_gbp(Decimal(h['value']), h['currency'])}",
        format_gbp(Decimal(h["total"]["central"])),
        format_gbp(Decimal(h["corroborated_total"]["central"])),
        h["verdict"],
    )


def _worst(result: dict[str, Any]) -> str:
    if "input_errors" in result:
        first = result["input_errors"][0]
        return f"input: {first['message']}"
    active = [f for f in result["findings"] if not f.get("suppressed")]
    if not active:
        return "—"
    worst = max(active, key=lambda f: RANK[f["severity"]])
    return f"{worst['code']} {worst['message']}"


def portfolio_view(portfolio: Portfolio) -> TableView:
    view = TableView(
        f"Portfolio: {len(portfolio.results)} case studies",
        ["Case study", "Verdict", "Headline", "Claimed", "Corroborated", "Headline verdict",
         "Errors", "Warnings", "Info", "Worst finding"],
        right={3, 4, 6, 7, 8},
    )  # fmt: skip
    for result in portfolio.results:
        counts = result.get("result", {}).get("counts", {})
        headline, claimed, corroborated, verdict = _headline(result)
        view.add(
            [
                result["path"],
                _verdict(result),
                headline,
                claimed,
                corroborated,
                verdict,
                str(counts.get("error", len(result.get("input_errors", [])))),
                str(counts.get("warning", 0)),
                str(counts.get("info", 0)),
                one_line(_worst(result), 100),
            ]
        )
        style = {"PASS": "", "FAIL": "red", "UNUSABLE": "bold red"}[_verdict(result)]
        if style:
            view.styles[len(view.rows) - 1] = style
    passed = sum(1 for r in portfolio.results if _verdict(r) == "PASS")
    view.note(
        f"{passed} passed, {len(portfolio.results) - passed} did not "
        f"({portfolio.cached} from the result cache)."
    )
    return view


def details_text(portfolio: Portfolio) -> str:
    """Compiler-style lines for every case study that did not pass (all of them are in JSON)."""
    out: list[str] = []
    for result in portfolio.results:
        if _verdict(result) == "PASS":
            continue
        lines: list[str] = []
        for error in result.get("input_errors", []):
            where = ":".join(str(p) for p in (error["file"], error["line"], error["column"]) if p)
            lines.append(f"  {one_line(where)}: error: {one_line(error['message'], MAX_MESSAGE)}")
        for f in result.get("findings", []):
            if f.get("suppressed"):
                continue
            loc = f.get("location") or {}
            where = ":".join(
                str(p) for p in (loc.get("file"), loc.get("line"), loc.get("column")) if p
            )
            lines.append(
                f"  {one_line(where) or '-'}: {f['severity']} {f['code']} {one_line(f['name'])}: "
                + one_line(f["message"])
            )
        if lines:
            out += [f"{one_line(result['path'])} ({_verdict(result)}):", *lines]
    return plain_text("\n".join(out))


def summary_line(portfolio: Portfolio) -> str:
    failed = sum(1 for r in portfolio.results if _verdict(r) != "PASS")
    verdict = "PASS" if portfolio.exit_code == 0 else "FAIL"
    return (
        f"{verdict}: {len(portfolio.results)} case studies, {failed} with findings at the "
        "failure level or unusable input"
    )


def portfolio_json(portfolio: Portfolio, kind: str = "check") -> dict[str, Any]:
    return {
        "format": f"hls-audit/portfolio-{kind}",
        "version": 1,
        "tool_version": __version__,
        "result": {
            "exit_code": portfolio.exit_code,
            "case_studies": len(portfolio.results),
            "passed": sum(1 for r in portfolio.results if _verdict(r) == "PASS"),
            "unusable": sum(1 for r in portfolio.results if "input_errors" in r),
        },
        "case_studies": portfolio.results,
    }


def totals_view(portfolio: Portfolio) -> TableView:
    view = TableView(
        "Portfolio headlines",
        ["Case study", "Headline", "Claimed", "Range", "Corroborated", "Verdict"],
        right={2, 4},
    )
    claimed = corroborated = Decimal(0)
    for result in portfolio.results:
        for h in result.get("headlines") or []:
            total, corr = (
                Decimal(h["total"]["central"]),
                Decimal(h["corroborated_total"]["central"]),
            )
            claimed += total
            corroborated += corr
            low = ("> " if h["total"]["lower_open"] else "") + format_gbp(
                Decimal(h["total"]["lower"])
            )
            view.add(
                [
                    result["path"],
                    f"{h['id']} {h['relation'].replace('_', ' ')} "
                    f"{format_gbp(Decimal(h['value']), h['currency'])}",
                    format_gbp(total),
                    f"{low} – {format_gbp(Decimal(h['total']['upper']))}",
                    format_gbp(corr),
                    h["verdict"],
                ]
            )
        if "input_errors" in result:
            view.add([result["path"], "unusable input", "—", "—", "—", "—"])
    view.add(["All", "", format_gbp(claimed), "", format_gbp(corroborated), ""])
    view.styles[len(view.rows) - 1] = "bold"
    return view


def sources_view(portfolio: Portfolio) -> TableView:
    levels = ["verified", "on-file", "recorded", "missing"]
    view = TableView(
        "Portfolio evidence",
        ["Case study", *levels, "Claims corroborated", "Claims citing nothing"],
        right={1, 2, 3, 4, 5, 6},
    )
    for result in portfolio.results:
        coverage = result.get("coverage")
        if coverage is None:
            view.add([result["path"], "—", "—", "—", "—", "unusable input", "—"])
            continue
        by_level = coverage["sources_by_level"]
        view.add(
            [
                result["path"],
                *(str(by_level.get(level, 0)) for level in levels),
                f"{coverage['claims_corroborated']} of {coverage['claims_total']}",
                str(coverage["claims_without_source"]),
            ]
        )
    return view
