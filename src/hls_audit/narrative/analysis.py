"""A narrative read once: its text, sections, money figures, markers and register entries."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from hls_audit.core.errors import InputError
from hls_audit.documents.extract import document_kind
from hls_audit.io.files import MAX_NARRATIVE_BYTES, MAX_TEXT_CHARS, Folder
from hls_audit.io.yaml_source import decode
from hls_audit.narrative.ids import Kind
from hls_audit.narrative.layout import extract_narrative
from hls_audit.narrative.markers import Marker, find_markers
from hls_audit.narrative.money import MoneyMention, find_money
from hls_audit.narrative.positions import line_of
from hls_audit.narrative.register import RegisterEntry, register_entries
from hls_audit.narrative.resolve import resolve_markers
from hls_audit.narrative.sections import Section, find_sections, section_at, word_count
from hls_audit.profiles.template import GENERIC, Template


@dataclass
class Narrative:
    """The case study's own text, parsed."""

    path: str  # as shown to the user
    text: str
    section_list: list[Section] = field(default_factory=list)
    money: list[MoneyMention] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    register: list[RegisterEntry] = field(default_factory=list)
    template: Template = GENERIC  # what the text was read against

    @cached_property
    def sections(self) -> dict[str, str]:
        """Section number ("1", "4", "4.1") -> its text, heading excluded."""
        return {s.number: self.text[s.body_start : s.end] for s in self.section_list}

    @cached_property
    def marker_starts(self) -> list[int]:
        """Where each marker starts, in text order (the markers are in text order)."""
        return [m.start for m in self.markers]

    def markers_between(self, start: int, end: int) -> tuple[int, int]:
        """The index range of the markers that start in [start, end)."""
        return bisect_left(self.marker_starts, start), bisect_left(self.marker_starts, end)

    def line_of(self, section: str) -> int:
        """1-based line of a section's heading (1 when there is no such section)."""
        for s in self.section_list:
            if s.number == section:
                return s.start_line
        return 1

    def section_of(self, offset: int) -> str:
        return section_at(self.section_list, offset)

    def line_at(self, offset: int) -> int:
        return line_of(self.text, offset)

    def words(self, section: str) -> int:
        return word_count(self.sections.get(section, ""))


def parse_narrative(text: str, display: str, template: Template = GENERIC) -> Narrative:
    """Read ``text`` against ``template`` (the profile's, else the generic one).

    The markers are read knowing the register's ids (which numbering the lists use), and each
    cite is resolved to the register entry it names."""
    sections = find_sections(text, template)
    register = register_entries(text, template)
    listed: tuple[tuple[str, Kind], ...] = (
        (template.number_of("references"), "reference"),
        (template.number_of("sources"), "source"),
    )
    lists = {number: kind for number, kind in listed if number}  # "3" references, "5" sources
    markers = find_markers(text, [e.id for e in register], sections=sections, lists=lists)
    markers = resolve_markers(
        markers,
        register,
        lambda offset: section_at(sections, offset),
        template.research_sections,
        lists,
    )
    return Narrative(
        display,
        text,
        sections,
        find_money(text),
        markers,
        register,
        template,
    )


def load_narrative(
    path: Path, display: str, folder: Folder, template: Template = GENERIC
) -> Narrative:
    """Read a narrative in text, Markdown, DOCX, PDF or HTML; unreadable input is an InputError.

    The file is read through ``folder``'s door, bounded by MAX_NARRATIVE_BYTES.
    """
    kind = document_kind(path)
    data = folder.read_bytes(path, display, "narrative file", MAX_NARRATIVE_BYTES)
    if kind in ("pdf", "docx", "html"):
        extracted = extract_narrative(data, path.name)  # paragraphs, rows; no running heads
        if extracted.error:
            raise InputError(
                f"the narrative {extracted.error}",
                path=display,
                hint="export it again, or give the text as .txt or .md",
                code="HLS010",
            )
        if extracted.scanned:
            raise InputError(
                "the narrative has no text layer (a scan)",
                path=display,
                hint="give a PDF with text (OCR it) or the .docx",
                code="HLS010",
            )
        text = "\n\n".join(extracted.pages)
    else:
        if len(data) > 4 * MAX_TEXT_CHARS + 4:  # a character is at most 4 bytes: too much text
            raise InputError(
                f"the narrative holds more than {MAX_TEXT_CHARS:,} characters",
                path=display,
                hint="give the case study's own text, not a collection of documents",
                code="HLS010",
            )
        text = decode(data, display)
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                f"the narrative holds more than {MAX_TEXT_CHARS:,} characters",
                path=display,
                hint="give the case study's own text, not a collection of documents",
                code="HLS010",
            )
    return parse_narrative(text.replace("\r\n", "\n"), display, template)
