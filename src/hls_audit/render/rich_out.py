"""Rich tables for a terminal. Imported only when the output is a terminal.

The views' strings are already safe lines (hls_audit.core.sanitize); they are drawn as Text,
never as Rich markup. Rich wraps long text, and a wrapped line could begin with what the author
wrote, so everything printed here goes through PlainLines, which checks each line as drawn.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
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
    findings_line,
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
    verdict_line,
    verdict_style,
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


# The narrowest a prose column is planned at; the widest word with a digit it keeps whole (a
# figure or a file:line quoted in a message); and what each column adds: padding and a border.
PROSE_WIDTH = 10
PROSE_FIGURE = 24
CELL_EDGES = 3


def words(texts: list[str]) -> list[str]:
    """Every run of text without a space or a line break in ``texts``."""
    return [word for text in texts for word in text.split()]


class ViewTable:
    """A view drawn as a Rich table at the width it is given, with column widths planned here.

    A column that is not prose is at least as wide as its longest word and never folds, so a
    figure, an id or a file:line stays whole; it wraps only at spaces (a column with no space in
    any cell never wraps). A prose column may fold a long word, but keeps a figure whole. When
    the least widths are still wider than the terminal, the view's optional columns are left
    out, in order, and a note under the table names them.
    """

    def __init__(self, view: TableView, severity_column: int | None = None) -> None:
        self.view = view
        self.severity_column = severity_column

    def cells(self, index: int) -> list[str]:
        return [row[index] for row in self.view.rows]

    def least(self, index: int) -> int:
        """The narrowest column ``index`` may be drawn, without padding and border."""
        header = words([self.view.columns[index]])
        if index in self.view.prose:
            figures = [len(w) for w in words(self.cells(index)) if any(c.isdigit() for c in w)]
            return max(PROSE_WIDTH, min(max(figures, default=0), PROSE_FIGURE))
        return max(len(word) for word in words(self.cells(index)) + header + ["-"])

    def natural(self, index: int) -> int:
        """How wide column ``index`` is with nothing wrapped."""
        lines = [
            ln for cell in [*self.cells(index), self.view.columns[index]] for ln in cell.split("\n")
        ]
        return max(len(line) for line in lines)

    def plan(self, width: int) -> dict[int, int]:
        """The columns shown in ``width`` and the width of each, optional ones left out first."""
        keep = list(range(len(self.view.columns)))
        least = {i: self.least(i) for i in keep}
        for dropped in self.view.optional:
            if sum(least[i] + CELL_EDGES for i in keep) + 1 <= width:
                break
            keep.remove(dropped)
        budget = width - 1 - CELL_EDGES * len(keep)
        widths = {i: max(self.natural(i), least[i]) for i in keep}
        while sum(widths.values()) > budget:
            shrinkable = [i for i in keep if widths[i] > least[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
        return widths

    def table(self, width: int) -> tuple[Table, list[str]]:
        """The Rich table for ``width``, and the names of the columns left out."""
        view = self.view
        widths = self.plan(width)
        title = Text(view.title, style="table.title")
        table = Table(title=title, title_justify="left", expand=False, show_lines=False)
        for index, size in widths.items():
            prose = index in view.prose
            spaced = any(
                len(text.split()) > 1 for text in [*self.cells(index), view.columns[index]]
            )
            table.add_column(
                view.columns[index],
                justify="right" if index in view.right else "left",
                overflow="fold" if prose else "ellipsis",
                no_wrap=not prose and not spaced,
                width=size,
            )
        for row_index, row in enumerate(view.rows):
            texts: list[RenderableType] = []
            for index in widths:
                style = SEVERITY_STYLE.get(row[index], "") if index == self.severity_column else ""
                texts.append(Text(row[index], style=style))
            table.add_row(
                *texts, style=view.styles.get(row_index), end_section=row_index in view.breaks
            )
        left_out = [view.columns[i] for i in range(len(view.columns)) if i not in widths]
        return table, left_out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table, left_out = self.table(options.max_width)
        yield table
        for note in self.view.notes:
            yield Text(note)
        if left_out:
            yield Text(
                f"(Not shown on a terminal this narrow: {', '.join(left_out)}; "
                "--format text shows every column.)",
                style="dim",
            )


def to_table(view: TableView, severity_column: int | None = None) -> RenderableType:
    """The view as a Rich table (with its notes under it), drawn through PlainLines."""
    return PlainLines(ViewTable(view, severity_column))


class VerdictLine:
    """The last line of `check`: pass or fail and the headlines' verdicts, as fits the width."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = verdict_line(self.report, options.max_width)
        yield Text(line, style=verdict_style(self.report))


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
    console.print(PlainLines(Text(findings_line(report))))
    console.print(PlainLines(VerdictLine(report)))


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
