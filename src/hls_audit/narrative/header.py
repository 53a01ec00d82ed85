"""The header fields before section 1 (a template's: institution, unit, title, periods, staff)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hls_audit.narrative.positions import line_of
from hls_audit.narrative.sections import HEADER, find_sections
from hls_audit.profiles.template import GENERIC, Template, label_pattern


@lru_cache(maxsize=8)
def _field_pattern(template: Template) -> re.Pattern[str]:
    labels = "|".join(f"(?P<{spec.key}>{label_pattern(spec.label)})" for spec in template.header)
    return re.compile(
        r"^[ \t]*(?:\#{1,6}[ \t]*)?[*_]{0,2}(?:"
        + labels
        + r")[*_]{0,2}[ \t]*[:?]?[ \t]*[:?]?[*_]{0,2}[ \t]*(?P<value>[^\n]*)",
        re.IGNORECASE | re.MULTILINE,
    )


_CELL_SPLIT = re.compile(r"\t+|[ \t]*\|[ \t]*")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class HeaderField:
    """One header field: its key (a template's HeaderSpec key), value as written, span and line."""

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


def _header_end(text: str, template: Template) -> int:
    sections = [s for s in find_sections(text, template) if s.number != HEADER]
    return sections[0].start if sections else len(text)


def header_fields(text: str, template: Template = GENERIC) -> list[HeaderField]:
    """The template's header fields found before section 1 (or anywhere, if there is none)."""
    found: list[HeaderField] = []
    keys = [spec.key for spec in template.header]
    for match in _field_pattern(template).finditer(text, 0, _header_end(text, template)):
        key = next(k for k in keys if match[k] is not None)
        value = _SPACES.sub(" ", match["value"].replace("*", "")).strip()
        found.append(
            HeaderField(key, value, match.start(), match.end(), line_of(text, match.start()))
        )
    return found


def staff_rows(text: str, template: Template = GENERIC) -> list[StaffRow]:
    """The staff table under "Details of staff ...": rows of at least three cells (tab or
    Markdown-table separated) up to the next header field; the column-heading row is skipped."""
    fields = header_fields(text, template)
    rows: list[StaffRow] = []
    for index, field in enumerate(fields):
        if field.key != "staff":
            continue
        end = fields[index + 1].start if index + 1 < len(fields) else _header_end(text, template)
        offset = field.end
        for line in text[field.end : end].splitlines(keepends=True):
            cells = [c.strip() for c in _CELL_SPLIT.split(line.strip().strip("|")) if c.strip()]
            if len(cells) >= 3 and not cells[0].lower().startswith(("name", "---", ":--")):
                rows.append(StaffRow(cells[0], cells[1], cells[2], line_of(text, offset)))
            offset += len(line)
    return rows
