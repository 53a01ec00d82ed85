"""The evidence register: every citable id, its verification level, and who cites it."""

from __future__ import annotations

from dataclasses import dataclass, field

from hls_audit.core.model import Claim, Grant, SourceRecord
from hls_audit.enums import EvidenceLevel
from hls_audit.io.load import CaseStudy, LoadedRecord
from hls_audit.profiles.template import GENERIC, Template

Level = EvidenceLevel  # the register's name for it


def record_kind(record: SourceRecord, template: Template = GENERIC) -> str:
    """A record's place in the case study: its `listed_in`, else what its id's numbering says
    under the template (R1 a reference, anything else a corroborating source)."""
    if record.listed_in is not None:
        return "reference" if record.listed_in == "references" else "source"
    return template.kind_of(record.id)


@dataclass
class Entry:
    """One citable id of the register."""

    id: str
    kind: str  # source | reference | grant | group
    level: Level
    record: LoadedRecord | None = None
    grant: Grant | None = None
    parts: list[str] = field(default_factory=list)
    cited_by: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    page_count: int | None = None  # the document's, else the record's page_count

    @property
    def title(self) -> str:
        if self.record:
            return self.record.record.title
        if self.grant:
            return f"{self.grant.funder} grant, PI {self.grant.principal_investigator}"
        if self.parts:
            return "parts " + ", ".join(self.parts)
        return ""


@dataclass
class Register:
    """All citable ids: evidence records, their parent groups, and grants."""

    entries: dict[str, Entry]
    threshold: Level = Level.recorded
    template: Template = GENERIC  # whose numbering says what an id names

    def get(self, identifier: str) -> Entry | None:
        return self.entries.get(identifier)

    def kind_of(self, identifier: str) -> str:
        """What an id names: a record's `listed_in` or a grant if known, else its numbering."""
        entry = self.entries.get(identifier)
        if entry is not None and entry.kind in ("reference", "source", "grant"):
            return entry.kind
        return self.template.kind_of(identifier)

    def present(self, identifier: str) -> bool:
        """Is the source there at the level the corroborated total asks for?"""
        entry = self.entries.get(identifier)
        if entry is None or entry.level is Level.missing:
            return False
        return entry.kind == "grant" or entry.level.rank >= self.threshold.rank

    def settle_groups(self) -> None:
        """A group (E5) is as well verified as its worst part (E5a, E5b)."""
        for entry in self.entries.values():
            if entry.kind == "group":
                parts = [self.entries[p].level for p in entry.parts]
                entry.level = min(parts, key=lambda lv: lv.rank)

    def corroborated(self, claim: Claim) -> bool:
        """A claim is corroborated when it cites something and every cited source is present."""
        return bool(claim.evidence) and all(self.present(c.source) for c in claim.evidence)


def build_register(case: CaseStudy, template: Template = GENERIC) -> Register:
    """Resolve every record, group and grant, and note which claims cite each."""
    entries: dict[str, Entry] = {}
    present_documents = set(case.documents)
    for loaded in case.records:
        record = loaded.record
        if record.id in entries:
            continue
        missing: list[str] = []
        if record.document is None:
            level = Level.recorded
        elif record.document in present_documents:
            level = Level.on_file
        else:
            level = Level.missing
            missing.append(f"document {record.document} is not in evidence/")
        if not (record.held_by or record.url or record.doi or record.document):
            missing.append("nowhere says where the original is held")
        entries[record.id] = Entry(
            record.id,
            record_kind(record, template),
            level,
            record=loaded,
            missing=missing,
            page_count=record.page_count,
        )
    for loaded in case.records:
        parent = loaded.record.part_of
        if parent and (parent not in entries or entries[parent].kind == "group"):
            group = entries.setdefault(parent, Entry(parent, "group", Level.on_file))
            group.parts.append(loaded.record.id)
    for grant in case.data.grants:
        entries.setdefault(grant.id, Entry(grant.id, "grant", Level.recorded, grant=grant))
    # cited_by keeps file order without repeats; the sets answer "already there?" in O(1).
    noted: dict[str, set[str]] = {}

    def note(entry: Entry, claim_id: str) -> bool:
        seen = noted.setdefault(entry.id, set())
        if claim_id in seen:
            return False
        seen.add(claim_id)
        entry.cited_by.append(claim_id)
        return True

    for claim in case.data.claims:
        for citation in claim.evidence:
            cited = entries.get(citation.source)
            if cited is not None and note(cited, claim.id) and cited.kind == "group":
                for part in cited.parts:
                    note(entries[part], claim.id)
    register = Register(entries, template=template)
    register.settle_groups()
    return register


@dataclass
class Coverage:
    """How much of the evidence is verified, by level."""

    sources_by_level: dict[str, int]
    claims_total: int
    claims_corroborated: int
    claims_without_source: int


def coverage(case: CaseStudy, register: Register) -> Coverage:
    """Count records by level (groups and grants aside) and claims fully corroborated."""
    by_level = {level.value: 0 for level in Level}
    for entry in register.entries.values():
        if entry.kind in ("source", "reference"):
            by_level[entry.level.value] += 1
    cited = {c.source for claim in case.data.claims for c in claim.evidence}
    by_level[Level.missing.value] += len({i for i in cited if i not in register.entries})
    claims = case.data.claims
    return Coverage(
        by_level,
        len(claims),
        sum(1 for c in claims if register.corroborated(c)),
        sum(1 for c in claims if not c.evidence),
    )
