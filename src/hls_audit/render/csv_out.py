"""The tables of `totals`, `sources` and `check` as typed rows, and those rows as CSV.

A sheet is a named table whose cells keep their type: text, an exact number
(:class:`~decimal.Decimal`), an amount of money in a currency (:class:`Money`), a partial date
as the case study wrote it (:class:`When`), a flag, or nothing. CSV writes a number as plain
decimal text (``77000000``, ``88194.45``: no currency sign, no thousands separator) and a date as
written (``2019``, ``2019-04``); :mod:`hls_audit.render.xlsx_out` writes the same sheets as typed
cells.

Text from the case study is one safe line (:func:`hls_audit.core.sanitize.one_line`), and a text
cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) gets a leading apostrophe. Numbers are written as numbers, so a negative
margin stays ``-200000``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from hls_audit.analysis.evidence import Entry
from hls_audit.analysis.reconcile import Line, Reconciliation
from hls_audit.core.model import Period
from hls_audit.core.money import Interval
from hls_audit.core.sanitize import one_line
from hls_audit.engine.findings import Finding, Report
from hls_audit.render.views import register_order, role_subtotals


@dataclass(frozen=True)
class Money:
    """An amount in a currency (ISO code); written as a plain number."""

    amount: Decimal
    currency: str = "GBP"


@dataclass(frozen=True)
class When:
    """A partial date as the case study wrote it: ``2019``, ``2019-04`` or ``2019-04-30``."""

    text: str


Cell = str | Decimal | int | bool | Money | When | None

# What a spreadsheet reads as the start of a formula (or strips before looking for one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """One table: a name (the XLSX sheet's), column names and typed rows."""

    name: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def add(self, cells: list[Cell]) -> None:
        """Append a row; its length must match the columns."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.name}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(cells)


def safe_text(text: str) -> str:
    """User text as one line that no spreadsheet reads as a formula."""
    line = one_line(text)
    return "'" + line if text.startswith(FORMULA_START) or line.startswith(FORMULA_START) else line


def joined(ids: list[str]) -> str:
    """Several ids in one cell, separated by ';'."""
    return ";".join(ids)


# --- The sheets ------------------------------------------------------------------------------

AMOUNT_COLUMNS = [
    "claim",
    "organisation",
    "section",
    "role",
    "qualifier",
    "stated",
    "value",
    "currency",
    "value_gbp",
    "low",
    "low_open",
    "high",
    "high_open",
    "per",
    "expected",
    "period_start",
    "period_end",
    "sources",
    "citations",
    "corroborated",
    "counted",
    "headline",
    "reason",
    "file",
    "line",
    "column",
]


def _bounds(span: Interval | None) -> list[Cell]:
    if span is None:
        return [None, None, None, None]
    return [Money(span.lower), span.lower_open, Money(span.upper), span.upper_open]


def _periods(report: Report) -> dict[str, tuple[str | None, str | None]]:
    """Each claim's or grant's period start and end; a claim with one date has it as both."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for grant in report.case_study.data.grants:
        found.setdefault(grant.id, (grant.period.start, grant.period.end))
    for claim in report.case_study.data.claims:
        period: Period | None = (claim.amount.period if claim.amount else None) or claim.period
        if period is not None and (period.start or period.end):
            found.setdefault(claim.id, (period.start, period.end))
        elif claim.date:
            found.setdefault(claim.id, (claim.date, claim.date))
    return found


def _amount_row(line: Line, period: tuple[str | None, str | None]) -> list[Cell]:
    start, end = period
    return [
        line.claim,
        line.organisation,
        line.section,
        line.role.value,
        line.qualifier.value,
        line.stated,
        None if line.value is None else Money(line.value, line.currency),
        line.currency,
        None if line.converted is None else Money(line.converted),
        *_bounds(line.interval),
        line.per,
        line.expected,
        When(start) if start else None,
        When(end) if end else None,
        joined([cited.split(" ", 1)[0] for cited in line.sources]),
        joined(line.sources),
        line.corroborated,
        line.included and line.headline is not None,
        line.headline,
        line.reason,
        line.location.file,
        line.location.line,
        line.location.column,
    ]


def amounts_sheet(report: Report) -> Sheet:
    """One row per amount: every claim's amount and every grant, in file order."""
    sheet = Sheet("Amounts", AMOUNT_COLUMNS)
    periods = _periods(report)
    for line in report.lines:
        sheet.add(_amount_row(line, periods.get(line.claim, (None, None))))
    return sheet


def subtotals_sheet(report: Report) -> Sheet:
    """One row per role: how many amounts, their sum and their range."""
    sheet = Sheet("Subtotals", ["role", "amounts", "sum", "low", "low_open", "high", "high_open"])
    for sub in role_subtotals(report):
        total = None if sub.total is None else Money(sub.total)
        sheet.add([sub.role.value, sub.count, total, *_bounds(sub.span)])
    return sheet


HEADLINE_COLUMNS = [
    "headline",
    "statement",
    "relation",
    "figure",
    "currency",
    "counted",
    "low",
    "low_open",
    "high",
    "high_open",
    "corroborated",
    "margin",
    "verdict",
    "corroborated_verdict",
    "break_even",
    "amounts",
    "file",
    "line",
]


def _headline_row(rec: Reconciliation) -> list[Cell]:
    h = rec.headline
    return [
        h.id,
        h.statement,
        h.relation.value,
        Money(h.value, h.currency),
        h.currency,
        Money(rec.total.central, h.currency),
        *_bounds(rec.total),
        Money(rec.corroborated_total.central, h.currency),
        Money(rec.margin, h.currency),
        rec.verdict,
        rec.corroborated_verdict,
        rec.break_even or None,
        joined([ln.claim for ln in rec.included]),
        rec.location.file,
        rec.location.line,
    ]


def headlines_sheet(report: Report) -> Sheet:
    """One row per headline: its figure, the counted total and range, the verdict."""
    sheet = Sheet("Headlines", HEADLINE_COLUMNS)
    for rec in report.reconciliations:
        sheet.add(_headline_row(rec))
    return sheet


SOURCE_COLUMNS = [
    "id",
    "register",
    "kind",
    "level",
    "title",
    "date",
    "url",
    "doi",
    "record",
    "document",
    "parts",
    "cited_by",
    "missing",
    "pages",
]


def _source_row(entry: Entry) -> list[Cell]:
    record = entry.record.record if entry.record else None
    kind = record.kind.value if record else ("grant" if entry.grant else "group")
    missing = list(entry.missing)
    if not entry.cited_by and entry.kind != "group":
        missing.append("cited by no claim")
    return [
        entry.id,
        entry.kind,
        kind,
        entry.level.value,
        entry.title,
        When(record.date) if record and record.date else None,
        record.url if record else None,
        record.doi if record else None,
        entry.record.document.path if entry.record else None,
        record.document if record else None,
        joined(entry.parts),
        joined(entry.cited_by),
        "; ".join(missing),
        entry.page_count,
    ]


def sources_sheet(report: Report) -> Sheet:
    """One row per entry of the register (source, reference, grant or group), then each id
    cited but not in the register, at level ``missing``."""
    sheet = Sheet("Sources", SOURCE_COLUMNS)
    entries = report.register.entries
    for entry in sorted(entries.values(), key=lambda e: register_order(e.id)):
        sheet.add(_source_row(entry))
    claims = report.case_study.data.claims
    cited = {c.source for claim in claims for c in claim.evidence}
    for unknown in sorted(cited - set(entries), key=register_order):
        citing = [c.id for c in claims if any(x.source == unknown for x in c.evidence)]
        row: list[Cell] = [unknown, None, None, "missing", None, None, None, None, None, None]
        sheet.add([*row, "", joined(citing), "no record in evidence/", None])
    return sheet


FINDING_COLUMNS = [
    "code",
    "name",
    "severity",
    "claim",
    "source",
    "subject",
    "message",
    "hint",
    "suppressed",
    "file",
    "line",
    "column",
]


def _finding_row(f: Finding) -> list[Cell]:
    loc = f.location
    return [
        f.code,
        f.name,
        f.severity.value,
        f.claim,
        f.source,
        f.claim or f.source,
        f.message,
        f.hint or None,
        f.suppressed,
        loc.file if loc else None,
        loc.line if loc else None,
        loc.column if loc else None,
    ]


def findings_sheet(report: Report) -> Sheet:
    """One row per finding, suppressed ones included (with the reason in ``suppressed``)."""
    sheet = Sheet("Findings", FINDING_COLUMNS)
    for finding in report.findings:
        sheet.add(_finding_row(finding))
    return sheet


def totals_sheets(report: Report) -> list[Sheet]:
    return [amounts_sheet(report), subtotals_sheet(report), headlines_sheet(report)]


def sources_sheets(report: Report) -> list[Sheet]:
    return [sources_sheet(report)]


def check_sheets(report: Report) -> list[Sheet]:
    return [findings_sheet(report), headlines_sheet(report)]


# --- CSV -------------------------------------------------------------------------------------


def csv_cell(cell: Cell) -> str:
    """A cell as CSV text: numbers plain, flags true/false, dates as written, text made safe."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, Money):
        return str(cell.amount)
    if isinstance(cell, When):
        return one_line(cell.text)
    if isinstance(cell, (Decimal, int)):
        return str(cell)
    return safe_text(cell)


def to_csv(sheet: Sheet) -> str:
    """The sheet as CSV: a header row, then one row per item, lines ending in LF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(sheet.columns)
    for row in sheet.rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def totals_csv(report: Report) -> str:
    """Every amount, one a row (the subtotals and headlines are in the XLSX and JSON)."""
    return to_csv(amounts_sheet(report))


def sources_csv(report: Report) -> str:
    """Every entry of the evidence register, one a row."""
    return to_csv(sources_sheet(report))


def check_csv(report: Report) -> str:
    """Every finding, one a row."""
    return to_csv(findings_sheet(report))
