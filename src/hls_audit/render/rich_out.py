"""Rich tables for a terminal. Imported only when the output is a terminal."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from hls_audit.findings import Report
from hls_audit.render.views import (
    SEVERITY_STYLE,
    TableView,
    coverage_line,
    excluded_view,
    gaps_view,
    headline_view,
    money_view,
    narrative_view,
    reconciliation_view,
    rules_view,
    sources_view,
    subtotal_view,
    summary_line,
    suppressed_view,
)


def to_table(view: TableView, severity_column: int | None = None) -> RenderableType:
    table = Table(title=view.title, title_justify="left", expand=False, show_lines=False)
    for index, column in enumerate(view.columns):
        table.add_column(
            column, justify="right" if index in view.right else "left", overflow="fold"
        )
    for index, row in enumerate(view.rows):
        cells: list[RenderableType] = [Text(cell) for cell in row]
        if severity_column is not None:
            cells[severity_column] = Text(
                row[severity_column], style=SEVERITY_STYLE.get(row[severity_column], "")
            )
        table.add_row(*cells, style=view.styles.get(index), end_section=index in view.breaks)
    if not view.notes:
        return table
    return Group(table, *(Text(note) for note in view.notes))


def print_check(console: Console, report: Report) -> None:
    data = report.case_study.data.case_study
    console.print(
        Text(
            f"hls-audit check: {data.title} ({report.case_study.claims_document.path})",
            style="bold",
        )
    )
    console.print(to_table(gaps_view(report), severity_column=1))
    if report.counts["suppressed"]:
        console.print(to_table(suppressed_view(report)))
    for rec in report.reconciliations:
        console.print(to_table(reconciliation_view(rec)))
        console.print(to_table(excluded_view(rec)))
    console.print(coverage_line(report))
    console.print(Text(summary_line(report), style="bold red" if report.failed else "bold green"))


def print_totals(console: Console, report: Report) -> None:
    console.print(to_table(money_view(report)))
    console.print(to_table(subtotal_view(report)))
    console.print(to_table(headline_view(report)))


def print_sources(console: Console, report: Report) -> None:
    console.print(to_table(sources_view(report)))
    console.print(coverage_line(report))


def print_rules(console: Console) -> None:
    console.print(to_table(rules_view(), severity_column=2))


def print_narrative(console: Console, report: Report) -> None:
    console.print(to_table(narrative_view(report)))
    console.print(to_table(gaps_view(report), severity_column=1))
    console.print(Text(summary_line(report), style="bold red" if report.failed else "bold green"))
