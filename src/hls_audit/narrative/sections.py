"""A template's numbered sections (and the header before them) in a case study's text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from hls_audit.narrative.positions import line_of
from hls_audit.profiles.template import GENERIC, Template

HEADER = "A"  # the part before section 1, where the template's header fields are

_EMPHASIS = r"(?:[*_]{1,3}[ \t]*)?"
# Between two words of a title: spaces (emphasis may close and open there) or one line break,
# and perhaps a short bracketed tag.
_WORD_GAP = r"(?:[*_]*[ \t]+[*_]*|[*_]*[ \t]*\n[ \t]*[*_]*)(?:\[[^\]\n]{1,5}\][ \t]+)?"
_ARTICLES = frozenset({"the", "a", "an"})
_SUB = re.compile(
    r"""^[ \t]*(?:\#{1,6}[ \t]*)?(?:[*_]{1,3}[ \t]*)?
    (?P<number>(?P<major>[1-9])\.\d{1,2})\.?(?:[*_]{1,3})?[ \t]+(?:[*_]{1,3})?
    (?P<title>[A-Z][^\n]{0,160}?)[ \t*_:]*\r?$""",
    re.MULTILINE | re.VERBOSE,
)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\S*[^\W_]\S*")


@dataclass(frozen=True)
class Section:
    """A section or sub-section: its number ("4", "4.1", "A"), title and character span.

    ``start`` is where its heading line starts, ``body_start`` where the heading ends; ``end`` is
    where the next section at the same or a higher level starts (or the text ends).
    """

    number: str
    title: str
    start: int
    end: int
    start_line: int
    body_start: int

    @property
    def level(self) -> int:
        """1 for "A" and "1".."5", 2 for "4.1"."""
        return self.number.count(".") + 1


def find_sections(text: str, template: Template = GENERIC) -> list[Section]:
    """The sections in text order: "A" (if anything precedes section 1), the template's
    numbered sections, and numbered sub-sections ("4.1") inside their parent. A heading out of
    order (a second "1." after "3.") is ignored, so the numbers found always increase. The lists
    of references and sources have no sub-sections: a "5.3 Letter from ..." line there is an
    entry of the list."""
    return list(_sections(text, template))


@lru_cache(maxsize=8)
def _title(title: str) -> str:
    """A title's words across any spacing, emphasis or one line break; articles optional
    ("Details of Impact"), and a short bracketed tag may sit between two words ("Sources [S]
    to corroborate")."""
    parts: list[str] = []
    for word in title.split():
        if parts and word.lower() in _ARTICLES:
            parts.append(f"(?:{re.escape(word)}{_WORD_GAP})?")
        else:
            parts.append(re.escape(word) + (_WORD_GAP if word != title.split()[-1] else ""))
    return "".join(parts)


def _headings(template: Template) -> re.Pattern[str]:
    titles = "|".join(
        f"(?P<t{index}>{_title(spec.title)})" for index, spec in enumerate(template.sections)
    )
    numbers = "|".join(re.escape(spec.number) for spec in template.sections)
    # A heading with a number or a Markdown "#" may run on ("3. References to the research
    # (authors in bold)"); the rest of its line is then body text. A bare title fills its line.
    return re.compile(
        rf"""^[ \t]*(?P<hash>\#{{1,6}}[ \t]*)?{_EMPHASIS}
        (?:(?:section[ \t]+)?(?P<number>{numbers})[ \t]*[.):]?[ \t*_]*)?
        (?P<title>{titles})
        [ \t*_:.]*(?:[(\[][ \t*_]*indicative[^)\]\n]*[)\]][ \t*_.]*)?
        (?(number)|(?(hash)|\r?$))""",
        re.IGNORECASE | re.MULTILINE | re.VERBOSE,
    )


@lru_cache(maxsize=16)
def _sections(text: str, template: Template) -> tuple[Section, ...]:
    specs = template.sections
    order = {spec.number: index for index, spec in enumerate(specs)}
    lists = set(template.numbers("references", "sources"))
    tops: list[tuple[str, str, int, int]] = []
    for match in _headings(template).finditer(text):
        number = next(specs[i].number for i in range(len(specs)) if match[f"t{i}"] is not None)
        if tops and order[number] <= order[tops[-1][0]]:
            continue
        tops.append((number, template.titles[number], match.start(), match.end()))
    sections: list[Section] = []
    if tops and text[: tops[0][2]].strip():
        first = len(text[: tops[0][2]]) - len(text[: tops[0][2]].lstrip())
        sections.append(
            Section(HEADER, "Section A", first, tops[0][2], line_of(text, first), first)
        )
    for index, (number, title, start, body) in enumerate(tops):
        end = tops[index + 1][2] if index + 1 < len(tops) else len(text)
        sections.append(Section(number, title, start, end, line_of(text, start), body))
        if number in lists:
            continue
        subs = [m for m in _SUB.finditer(text, body, end) if m["major"] == number]
        for sub_index, match in enumerate(subs):
            sub_end = subs[sub_index + 1].start() if sub_index + 1 < len(subs) else end
            sub_title = _SPACES.sub(" ", match["title"]).strip()
            sections.append(
                Section(
                    match["number"],
                    sub_title,
                    match.start(),
                    sub_end,
                    line_of(text, match.start()),
                    match.end(),
                )
            )
    return tuple(sections)


def section_at(sections: Sequence[Section], offset: int) -> str:
    """The number of the innermost section holding ``offset`` ("4.1"), or "" if none does."""
    found = ""
    for section in sections:
        if section.start <= offset < section.end:
            found = section.number  # sections come in text order, parents before children
        elif section.start > offset:
            break
    return found


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space holding a letter or digit."""
    return len(_WORD.findall(text))
