"""Rich tables for a terminal. Imported only when the output is a terminal.

The views' strings are already safe lines (hls_audit.core.sanitize); they are drawn as Text,
never as Rich markup. Rich wraps long text, and a wrapped line could begin with what the author
wrote, so everything printed here goes through PlainLines, which checks each line as drawn.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from hls_audit.core.sanitize import one_line, plain_line
from hls_audit.engine.findings import Report
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
    rules_line,
    rules_view,
    sources_view,
    subtotal_view,
    summary_line,
    suppressed_view,
)


class PlainLines:
    """A renderable drawn line by line, where no line may be a workflow command.

    A line that would start with '::' (or hold anything else plain_line changes) is printed as
    plain_line makes it, without its styles.
    """

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in console.render_lines(self.inner, options, pad=False):
            text = "".join(segment.text for segment in line)
            safe = plain_line(text)
            if safe == text:
                yield from line
            else:
                yield Segment(safe)
            yield Segment.line()


def to_table(view: TableView, severity_column: int | None = None) -> RenderableType:
    """The view as a Rich table (with its notes under it), drawn through PlainLines."""
    title = Text(view.title, style="table.title")
    table = Table(title=title, title_justify="left", expand=False, show_lines=False)
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
        return PlainLines(table)
    return PlainLines(Group(table, *(Text(note) for note in view.notes)))


def _summary(report: Report) -> RenderableType:
    return PlainLines(
        Text(summary_line(report), style="bold red" if report.failed else "bold green")
    )


def print_check(console: Console, report: Report) -> None:
    data = report.case_study.data.case_study
    header = (
        f"hls-audit check: {one_line(data.title)} "
        f"({one_line(report.case_study.claims_document.path)})"
    )
    console.print(PlainLines(Text(header, style="bold")))
    console.print(to_table(gaps_view(report), severity_column=1))
    if report.counts["suppressed"]:
        console.print(to_table(suppressed_view(report)))
    for rec in report.reconciliations:
        console.print(to_table(reconciliation_view(rec)))
        console.print(to_table(excluded_view(rec)))
    console.print(PlainLines(Text(coverage_line(report))))
    console.print(PlainLines(Text(rules_line(report))))
    console.print(_summary(report))


def print_totals(console: Console, report: Report) -> None:
    console.print(to_table(money_view(report)))
    console.print(to_table(subtotal_view(report)))
    console.print(to_table(headline_view(report)))


def print_sources(console: Console, report: Report) -> None:
    console.print(to_table(sources_view(report)))
    console.print(PlainLines(Text(coverage_line(report))))


def print_rules(console: Console) -> None:
    console.print(to_table(rules_view(), severity_column=2))


def print_narrative(console: Console, report: Report) -> None:
    console.print(to_table(narrative_view(report)))
    console.print(to_table(gaps_view(report), severity_column=1))
    console.print(_summary(report))
