"""Plain text for logs and pipes: no colour, no box drawing, nothing cut short.

What the case study's author wrote arrives escaped onto one line (see hls_audit.core.sanitize), and
every text these functions return has had each line made a plain line: none starts with '::'.
"""

from __future__ import annotations

from hls_audit.core.sanitize import one_line, plain_text
from hls_audit.engine.findings import Report
from hls_audit.render.views import (
    TableView,
    coverage_line,
    excluded_view,
    findings_line,
    grouped_findings,
    headline_view,
    money_view,
    narrative_view,
    reconciliation_view,
    rules_line,
    rules_view,
    sources_view,
    subtotal_view,
    summary_line,
    suppressed_view,
    verdict_line,
    where,
)


def table_text(view: TableView) -> str:
    """Columns padded to their widest cell; multi-line cells continue on indented lines."""
    out = [view.title, "=" * len(view.title)]
    if not view.rows:
        out.append("(none)")
        out.extend(view.notes)
        return plain_text("\n".join(out))
    first_lines = [[cell.split("\n")[0] for cell in row] for row in view.rows]
    widths = [
        max(len(view.columns[i]), *(len(r[i]) for r in first_lines))
        for i in range(len(view.columns))
    ]

    def fmt(cells: list[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if i in view.right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(padded).rstrip()

    out.append(fmt(view.columns))
    out.append("  ".join("-" * w for w in widths))
    for index, row in enumerate(view.rows):
        out.append(fmt([cell.split("\n")[0] for cell in row]))
        for i, cell in enumerate(row):
            for extra in cell.split("\n")[1:]:
                indent = sum(widths[:i]) + 2 * i
                out.append(" " * indent + extra)
        if index in view.breaks and index != len(view.rows) - 1:
            out.append("")
    out.extend(view.notes)
    return plain_text("\n".join(out))


def gaps_text(report: Report) -> str:
    """Compiler-style lines (file:line:col: severity CODE message), grouped by claim."""
    title = f"Gaps ({len(report.active_findings)}), grouped by claim"
    out = [title, "=" * len(title)]
    if not report.active_findings:
        out.append("(none)")
    for name, findings in grouped_findings(report):
        out.append(f"{one_line(name)}:")
        for f in findings:
            out.append(
                f"  {where(f) or '-'}: {f.severity.value} {f.code} {one_line(f.name)}: "
                + one_line(f.message)
            )
            if f.hint:
                out.append(f"      hint: {one_line(f.hint)}")
    return plain_text("\n".join(out))


def check_text(report: Report) -> str:
    data = report.case_study.data.case_study
    parts = [
        f"hls-audit check: {one_line(data.title)} "
        f"({one_line(report.case_study.claims_document.path)})",
        "",
        gaps_text(report),
    ]
    if report.counts["suppressed"]:
        parts += ["", table_text(suppressed_view(report))]
    for rec in report.reconciliations:
        parts += ["", table_text(reconciliation_view(rec)), "", table_text(excluded_view(rec))]
    parts += ["", coverage_line(report), rules_line(report), findings_line(report)]
    parts.append(verdict_line(report))
    return plain_text("\n".join(parts)) + "\n"


def totals_text(report: Report) -> str:
    parts = [
        table_text(money_view(report)),
        "",
        table_text(subtotal_view(report)),
        "",
        table_text(headline_view(report)),
    ]
    return plain_text("\n".join(parts)) + "\n"


def sources_text(report: Report) -> str:
    return plain_text(table_text(sources_view(report)) + "\n\n" + coverage_line(report)) + "\n"


def rules_text() -> str:
    return plain_text(table_text(rules_view())) + "\n"


def narrative_text(report: Report) -> str:
    parts = [table_text(narrative_view(report)), "", gaps_text(report), "", summary_line(report)]
    return plain_text("\n".join(parts)) + "\n"
