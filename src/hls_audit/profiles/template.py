"""What a case study's text looks like: its numbered sections, header fields and id conventions.

A profile hands its ``Template`` to the narrative reader and the checks, so nothing outside a
profile's folder knows which exercise a case study was written for. ``GENERIC`` is the template
of a case study with no profile: the five-part shape UK impact case studies share (a summary,
the underpinning research, the references to it, the details of the impact and the sources that
corroborate it), the header fields before section 1, and the common id conventions (``R1`` a
reference, ``G1`` a grant, anything else a corroborating source).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["summary", "research", "references", "details", "sources"]
Kind = Literal["reference", "grant", "source"]


@dataclass(frozen=True)
class SectionSpec:
    """One numbered section of the template: its number ("1"), title and role."""

    number: str
    title: str
    role: Role


@dataclass(frozen=True)
class HeaderSpec:
    """One header field before section 1: its key and the label the text writes before it.

    ``label`` is a regular expression over words; the words are matched across any spacing.
    """

    key: str
    label: str


@dataclass(frozen=True)
class Template:
    """A case-study template: sections, header fields and how ids are numbered."""

    name: str
    sections: tuple[SectionSpec, ...]
    header: tuple[HeaderSpec, ...]
    header_title: str = "Section A"  # the name of the part before section 1
    reference_prefixes: tuple[str, ...] = ("R",)
    grant_prefixes: tuple[str, ...] = ("G",)
    description: str = field(default="", compare=False)

    def number_of(self, role: Role) -> str:
        """The number of the section with that role ("" when the template has none)."""
        return next((s.number for s in self.sections if s.role == role), "")

    def numbers(self, *roles: Role) -> tuple[str, ...]:
        """The numbers of the sections with any of these roles, in template order."""
        return tuple(s.number for s in self.sections if s.role in roles)

    @property
    def research_sections(self) -> tuple[str, ...]:
        """Sections about the research rather than its impact."""
        return self.numbers("research", "references")

    @property
    def claim_sections(self) -> tuple[str, ...]:
        """Sections where claims are made (the lists of references and sources are not)."""
        return self.numbers("summary", "research", "details")

    @property
    def titles(self) -> dict[str, str]:
        return {s.number: s.title for s in self.sections}

    def kind_of(self, identifier: str) -> Kind:
        """What an id names under this template's numbering: a reference, a grant or a source."""
        for prefix in self.reference_prefixes:
            if _prefixed(identifier, prefix):
                return "reference"
        for prefix in self.grant_prefixes:
            if _prefixed(identifier, prefix):
                return "grant"
        return "source"


def _prefixed(identifier: str, prefix: str) -> bool:
    return identifier.startswith(prefix) and identifier[len(prefix) : len(prefix) + 1].isdigit()


_CONTINUED = r"Is this case study continued from a case study submitted in(?: \d{4})?"

GENERIC = Template(
    name="generic",
    sections=(
        SectionSpec("1", "Summary of the impact", "summary"),
        SectionSpec("2", "Underpinning research", "research"),
        SectionSpec("3", "References to the research", "references"),
        SectionSpec("4", "Details of the impact", "details"),
        SectionSpec("5", "Sources to corroborate the impact", "sources"),
    ),
    header=(
        HeaderSpec("institution", "Institution"),
        HeaderSpec("unit", "Unit of Assessment"),
        HeaderSpec("title", "Title of case study"),
        HeaderSpec("research_period", "Period when the underpinning research was undertaken"),
        HeaderSpec(
            "staff",
            "Details of staff conducting the underpinning research from the submitting unit",
        ),
        HeaderSpec(
            "staff_period",
            "Period when staff involved in the underpinning research were employed by the "
            "submitting HEI",
        ),
        HeaderSpec("impact_period", "Period when the claimed impact occurred"),
        HeaderSpec("continued", _CONTINUED),
    ),
    description="The five-part impact case study with no exercise's limits.",
)


def label_pattern(label: str) -> str:
    """A label's regular expression with its spaces matching any run of white space."""
    return r"\s+".join(label.split())


def literal_label(text: str) -> str:
    """A label that matches ``text`` literally."""
    return " ".join(re.escape(word) for word in text.split())


def with_continuation(base: Template, name: str, question: str, description: str) -> Template:
    """``base`` under another name, its Section A asking ``question`` about continuation (each
    exercise asks whether a case study continues one of the exercise before)."""
    from dataclasses import replace

    header = tuple(
        HeaderSpec("continued", question) if spec.key == "continued" else spec
        for spec in base.header
    )
    return replace(base, name=name, header=header, description=description)
