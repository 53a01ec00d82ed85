"""The REF3 header fields before section 1: institution, unit, title, periods and staff table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hls_audit.narrative.positions import line_of
from hls_audit.narrative.sections import find_sections

_GAP = r"\s+"
FIELDS = {
    "institution": "Institution",
    "unit": "Unit of Assessment",
    "title": "Title of case study",
    "research_period": "Period when the underpinning research was undertaken",
    "staff": "Details of staff conducting the underpinning research from the submitting unit",
    "staff_period": "Period when staff involved in the underpinning research were employed by "
    "the submitting HEI",
    "impact_period": "Period when the claimed impact occurred",
    "continued": "Is this case study continued from a case study submitted in 2014",
}
_LABELS = "|".join(f"(?P<{key}>{_GAP.join(label.split())})" for key, label in FIELDS.items())
_FIELD = re.compile(
    r"^[ \t]*(?:\#{1,6}[ \t]*)?[*_]{0,2}(?:"
    + _LABELS
    + r")[*_]{0,2}[ \t]*[:?]?[ \t]*[:?]?[*_]{0,2}[ \t]*(?P<value>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
_CELL_SPLIT = re.compile(r"\t+|[ \t]*\|[ \t]*")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class HeaderField:
    """One header field: its key (see FIELDS), value as written, span and line."""

    key: str
    value: str
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class StaffRow:
    """One row of the staff table: name, role and period employed."""

    name: str
    role: str
    period: str
    line: int


def _header_end(text: str) -> int:
    sections = [s for s in find_sections(text) if s.number != "A"]
    return sections[0].start if sections else len(text)


def header_fields(text: str) -> list[HeaderField]:
    """The header fields found before section 1 (or anywhere, if there is no section 1)."""
    found: list[HeaderField] = []
    for match in _FIELD.finditer(text, 0, _header_end(text)):
        key = next(k for k in FIELDS if match[k] is not None)
        value = _SPACES.sub(" ", match["value"].replace("*", "")).strip()
        found.append(
            HeaderField(key, value, match.start(), match.end(), line_of(text, match.start()))
        )
    return found


def staff_rows(text: str) -> list[StaffRow]:
    """The staff table under "Details of staff ...": rows of at least three cells (tab or
    Markdown-table separated) up to the next header field; the column-heading row is skipped."""
    fields = header_fields(text)
    rows: list[StaffRow] = []
    for index, field in enumerate(fields):
        if field.key != "staff":
            continue
        end = fields[index + 1].start if index + 1 < len(fields) else _header_end(text)
        offset = field.end
        for line in text[field.end : end].splitlines(keepends=True):
            cells = [c.strip() for c in _CELL_SPLIT.split(line.strip().strip("|")) if c.strip()]
            if len(cells) >= 3 and not cells[0].lower().startswith(("name", "---", ":--")):
                rows.append(StaffRow(cells[0], cells[1], cells[2], line_of(text, offset)))
            offset += len(line)
    return rows
