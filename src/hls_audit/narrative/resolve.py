"""Which entry of the case study's own lists a citation marker names.

A marker's id is looked up among the register entries (references, grants, sources) in this
order: the same canonical id ("R1" is R1); a worded id against the entries of the list its word
names ("source 3" is the source numbered "3", "Source 3" or "S3"); a bare id against worded
entries ("3" is "Source 3"); an id naming a list by its section ("3.2" and "S3.2" are the
second reference when the references are numbered 1, 2, 3, "5.2" the second source, "3a"
reference a when they are lettered); a prefixed id against a numbered list ("R4" the fourth
reference, "EV2" the second source); a letter by its place where the lists are numbered ("B",
"Source B" the second entry); and last the id a part belongs to ("E5a" is E5 when only E5 is
listed, "A2" is A of a list lettered A, B, C). When two lists hold the same id (the references
and the sources both numbered 1, 2, 3), the marker's own word or prefix decides, and failing
that the section it stands in: sections 2 and 3 cite references, the others sources.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Mapping, Sequence

from hls_audit.narrative.ids import (
    Kind,
    canonical,
    initials,
    number_key,
    ordinal,
    parent,
    prefix,
    prefix_kind,
    shape,
    split_word,
    word_kind,
)
from hls_audit.narrative.markers import Cite, Marker
from hls_audit.narrative.register import RegisterEntry

REFERENCE_SECTIONS = ("2", "3")  # the underpinning research and its references
LIST_KINDS: dict[str, Kind] = {"3": "reference", "5": "source"}  # "3.2", "5.2"


class Resolver:
    """The register entries indexed for lookup by canonical id and by number key."""

    def __init__(
        self,
        entries: Sequence[RegisterEntry],
        reference_sections: Collection[str] = REFERENCE_SECTIONS,
        list_kinds: Mapping[str, Kind] = LIST_KINDS,
    ) -> None:
        self.reference_sections = reference_sections
        self.list_kinds = list_kinds
        self.by_id: dict[str, list[RegisterEntry]] = {}
        self.by_key: dict[str, list[RegisterEntry]] = {}
        for entry in entries:
            identifier = canonical(entry.id)
            self.by_id.setdefault(identifier, []).append(entry)
            key = number_key(identifier)
            if key != identifier:
                self.by_key.setdefault(key, []).append(entry)

    def _pick(
        self, found: Sequence[RegisterEntry], kind: Kind | None, section: str
    ) -> RegisterEntry | None:
        """One entry of ``found``: the only one, else the one of ``kind``, else the one the
        section cites (a reference in sections 2 and 3, a source elsewhere)."""
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        if kind is not None:
            same = [e for e in found if e.kind == kind]
            if same:
                return same[0]
        major = section.split(".")[0]
        order: tuple[Kind, ...] = (
            ("reference", "grant", "source")
            if major in self.reference_sections
            else ("source", "reference", "grant")
        )
        for wanted in order:
            for entry in found:
                if entry.kind == wanted:
                    return entry
        return found[0]

    def _lookup(self, identifier: str, kind: Kind | None, section: str) -> RegisterEntry | None:
        word, rest = split_word(identifier)
        exact = self.by_id.get(identifier, [])
        if word is not None:
            # "source 3": the entries of the sources numbered "3", "Source 3" or "S3"
            named = word_kind(word) or kind
            found = exact + self.by_id.get(rest, []) + self.by_key.get(rest, [])
            for head in initials(word):
                found += self.by_id.get(head + rest, [])
            if not found and (place := ordinal(rest)) is not None:
                found = self.by_id.get(place, [])  # "Source B" of sources numbered 1, 2, 3
            if named is not None:
                same = [e for e in found if e.kind == named]
                return self._pick(same, named, section) if same else None
            return self._pick(found, kind, section)
        if exact:
            return self._pick(exact, kind, section)
        if worded := self.by_key.get(identifier):  # "3" of "Source 3"
            return self._pick(worded, kind, section)
        if (listed := self.list_kinds.get(identifier[:1])) and re.fullmatch(
            r"\d[a-zA-Z]", identifier
        ):
            # "3a" where the references are lettered a, b, c: reference a ("5A" a source)
            same = [e for e in self.by_id.get(identifier[1], []) if e.kind == listed]
            if same:
                return self._pick(same, listed, section)
        if shape(identifier) == "dotted":  # "3.2": the second entry of the references
            head, _, item = identifier.partition(".")
            listed = self.list_kinds.get(head)
            if listed is not None and shape(item) == "number":
                same = [e for e in self.by_id.get(item, []) if e.kind == listed]
                return self._pick(same, listed, section)
            return None
        if (place := ordinal(identifier)) is not None and identifier not in self.by_id:
            # "B" where the sources are numbered 1, 2, 3: the second source
            return self._pick(self.by_id.get(place, []), kind, section)
        head = prefix(identifier)
        if shape(identifier) != "prefixed" or not head:
            return None
        rest = identifier[len(head) :]
        if shape(rest) == "dotted":  # "S3.2": the second reference, as "3.2"
            return self._lookup(rest, kind, section)
        # "R4" where the references are numbered 1, 2, 3: the fourth reference; "A2" where the
        # sources are lettered A, B, C: part of A.
        named = prefix_kind(head)
        same = [e for e in self.by_id.get(rest, []) if named and e.kind == named]
        if same:
            return self._pick(same, named, section)
        if len(head) == 1 and shape(rest) == "number":
            return self._pick(self.by_id.get(head, []), kind, section)
        return None

    def resolve(self, cite: Cite, section: str) -> RegisterEntry | None:
        """The entry ``cite`` names, written in ``section`` ("2", "4.1"), or None."""
        identifier = canonical(cite.source)
        found = self._lookup(identifier, cite.kind, section)
        if found is None and (up := parent(identifier)) is not None:
            found = self._lookup(up, cite.kind, section)
        return found


def resolve(entries: Sequence[RegisterEntry], cite: Cite, section: str) -> RegisterEntry | None:
    """The register entry ``cite`` names, written in ``section`` ("2", "4.1"), or None.

    For one cite; ``resolve_markers`` indexes the entries once for a whole narrative.
    """
    return Resolver(entries).resolve(cite, section)


def resolve_markers(
    markers: Sequence[Marker],
    entries: Sequence[RegisterEntry],
    section_of: Callable[[int], str],
    reference_sections: Collection[str] = REFERENCE_SECTIONS,
    list_kinds: Mapping[str, Kind] = LIST_KINDS,
) -> list[Marker]:
    """``markers`` with each cite's ``entry`` (and ``kind``) set to the register entry it names;
    ``section_of`` gives the section number at a text offset; ``reference_sections`` are those
    whose bare numbers cite references, ``list_kinds`` what each list section holds ("3" the
    references, "5" the sources). Unresolved cites stay as read."""
    resolver = Resolver(entries, reference_sections, list_kinds)
    out: list[Marker] = []
    for marker in markers:
        section = section_of(marker.start)
        cites: list[Cite] = []
        for cite in marker.ids:
            entry = resolver.resolve(cite, section)
            cites.append(
                dataclasses.replace(cite, entry=entry.id, kind=entry.kind) if entry else cite
            )
        out.append(dataclasses.replace(marker, ids=cites))
    return out
