"""The sheets of `totals`, `sources` and `check` as an Excel workbook (XLSX), through XlsxWriter.

Each sheet of :mod:`hls_audit.render.csv_out` becomes a worksheet with typed cells: amounts are
numbers in a currency format (``£#,##0``, or ``£#,##0.00`` where the amount has pence), counts
and line numbers are numbers, flags are booleans and dates are dates shown to the precision the
case study gave (``2019``, ``Apr 2019``, ``2019-04-30``; a year or a month is stored as its first
day). The header row is bold, frozen and filtered, and the columns are sized to their contents.

XLSX stores a number as a binary float: amounts are exact decimals up to here and become floats
only as the cell is written. Text is written as text, never as a formula; a text cell that would
read as one is marked with Excel's quote prefix as well.

XlsxWriter is the optional ``xlsx`` extra, imported only when a workbook is made.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from decimal import Decimal
from typing import Any

from hls_audit.core.money import format_gbp
from hls_audit.engine.findings import Report
from hls_audit.render.csv_out import (
    FORMULA_START,
    Cell,
    Money,
    Sheet,
    When,
    check_sheets,
    safe_text,
    sources_sheets,
    totals_sheets,
)

INSTALL_HINT = "pip install 'hls-audit[xlsx]'"
MAX_WIDTH = 60  # the widest a column is set, in characters
DATE_FORMATS = {1: "yyyy", 2: "mmm yyyy", 3: "yyyy-mm-dd"}


class MissingExtra(RuntimeError):
    """XlsxWriter is not installed."""

    def __init__(self) -> None:
        super().__init__(f"--format xlsx needs XlsxWriter: {INSTALL_HINT}")


def xlsxwriter() -> Any:
    """The XlsxWriter module, or :class:`MissingExtra`."""
    try:
        return importlib.import_module("xlsxwriter")
    except ImportError:
        raise MissingExtra() from None


def money_format(money: Money) -> str:
    """The number format of an amount: its currency, with pence only where it has them."""
    pence = money.amount != money.amount.to_integral_value()
    number = "#,##0.00" if pence else "#,##0"
    if money.currency == "GBP":
        return "£" + number
    return f'{number} "{money.currency}"'


def as_date(when: When) -> tuple[dt.date, str] | None:
    """A partial date as the first day it can mean, with the format that shows what was given."""
    try:
        parts = [int(part) for part in when.text.split("-")]
        day = dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None
    return day, DATE_FORMATS.get(len(parts), "yyyy-mm-dd")


def shown_width(cell: Cell) -> int:
    """About how many characters the cell shows, for the column width."""
    if cell is None:
        return 0
    if isinstance(cell, Money):
        return len(format_gbp(cell.amount)) + 1
    if isinstance(cell, When):
        return max(len(cell.text), 8)
    if isinstance(cell, bool):
        return 5
    return len(str(cell))


class _Writer:
    """One workbook being written: its cached formats, then its sheets."""

    def __init__(self, module: Any, stream: io.BytesIO) -> None:
        self.book = module.Workbook(stream, {"in_memory": True})
        self.formats: dict[str, Any] = {}

    def format(self, name: str, **properties: Any) -> Any:
        if name not in self.formats:
            self.formats[name] = self.book.add_format(properties)
        return self.formats[name]

    def cell(self, sheet: Any, row: int, col: int, cell: Cell) -> None:
        if cell is None:
            return
        if isinstance(cell, bool):
            sheet.write_boolean(row, col, cell)
        elif isinstance(cell, Money):
            number = money_format(cell)
            sheet.write_number(row, col, float(cell.amount), self.format(number, num_format=number))
        elif isinstance(cell, (Decimal, int)):
            sheet.write_number(row, col, float(cell))
        elif isinstance(cell, When):
            dated = as_date(cell)
            if dated is None:
                sheet.write_string(row, col, safe_text(cell.text))
            else:
                day, shown = dated
                sheet.write_datetime(row, col, day, self.format(shown, num_format=shown))
        else:
            text = safe_text(cell)
            if text.startswith("'") and cell.startswith(FORMULA_START):
                sheet.write_string(row, col, text[1:], self.format("quoted", quote_prefix=True))
            else:
                sheet.write_string(row, col, text)

    def sheet(self, table: Sheet) -> None:
        sheet = self.book.add_worksheet(table.name)
        bold = self.format("header", bold=True, bottom=1)
        for col, name in enumerate(table.columns):
            sheet.write_string(0, col, name, bold)
        for index, row in enumerate(table.rows, start=1):
            for col, cell in enumerate(row):
                self.cell(sheet, index, col, cell)
        for col, name in enumerate(table.columns):
            widest = max([len(name), *(shown_width(row[col]) for row in table.rows)])
            sheet.set_column(col, col, min(widest, MAX_WIDTH) + 2)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)


def workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as an XLSX file."""
    module = xlsxwriter()
    stream = io.BytesIO()
    writer = _Writer(module, stream)
    for table in sheets:
        writer.sheet(table)
    writer.book.close()
    return stream.getvalue()


def totals_xlsx(report: Report) -> bytes:
    """Sheets Amounts, Subtotals and Headlines."""
    return workbook(totals_sheets(report))


def sources_xlsx(report: Report) -> bytes:
    """Sheet Sources: the evidence register."""
    return workbook(sources_sheets(report))


def check_xlsx(report: Report) -> bytes:
    """Sheets Findings and Headlines."""
    return workbook(check_sheets(report))
