"""Checks on what each claim cites."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from hls_audit.checks.base import Context, check
from hls_audit.evidence import register_kind
from hls_audit.findings import Hit, Severity

PAGES = re.compile(r"^(?:p{1,2}\.?\s*)?(\d+)(?:\s*[-–]\s*(\d+))?$", re.IGNORECASE)


RESEARCH_SECTIONS = ("2", "3")


def _is_research(section: str) -> bool:
    return section.split(".")[0] in RESEARCH_SECTIONS


@check(
    "HLS101",
    "claim-without-source",
    Severity.error,
    "A claim of impact (any section but 2 and 3) cites no source, reference or grant.",
)
def claim_without_source(ctx: Context) -> Iterator[Hit]:
    for index, claim in enumerate(ctx.case.data.claims):
        if not claim.evidence and not _is_research(claim.section):
            yield Hit(
                f"{claim.id} cites no source",
                ctx.case.at(("claims", index)),
                claim=claim.id,
                hint="add `evidence:` with the sources that corroborate it (E1, E2 p9 …)",
            )


@check(
    "HLS102", "unknown-source", Severity.error, "A claim cites an id that is not in the register."
)
def unknown_source(ctx: Context) -> Iterator[Hit]:
    known = sorted(ctx.register.entries)
    for index, claim in enumerate(ctx.case.data.claims):
        for position, citation in enumerate(claim.evidence):
            if citation.source in ctx.register.entries:
                continue
            close = difflib.get_close_matches(citation.source, known, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]}? " if close else ""
            hint += f"otherwise add evidence/{citation.source}.yaml describing the source"
            yield Hit(
                f"{claim.id} cites {citation.source}, which is not in the evidence register",
                ctx.case.at(("claims", index, "evidence", position)),
                claim=claim.id,
                source=citation.source,
                hint=hint,
            )


def parse_pages(text: str) -> tuple[int, int] | None:
    """'p9' -> (9, 9); 'p2-3' -> (2, 3); anything else -> None."""
    match = PAGES.match(text.strip())
    if not match:
        return None
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    return first, last


@check(
    "HLS103",
    "bad-page-reference",
    Severity.error,
    "A page reference is not a page or ascending range (p9, p2-3), or lies past the last page.",
)
def bad_page_reference(ctx: Context) -> Iterator[Hit]:
    for index, claim in enumerate(ctx.case.data.claims):
        for position, citation in enumerate(claim.evidence):
            if citation.pages is None:
                continue
            where = ctx.case.at(("claims", index, "evidence", position, "pages"))
            pages = parse_pages(citation.pages)
            if pages is None or pages[0] < 1 or pages[1] < pages[0]:
                yield Hit(
                    f"{claim.id} cites {citation.source} at {citation.pages!r}, "
                    "which is not a page reference",
                    where,
                    claim=claim.id,
                    source=citation.source,
                    hint="write one page (p9) or an ascending range (p2-3)",
                )
                continue
            entry = ctx.register.get(citation.source)
            count = entry.record.record.page_count if entry and entry.record else None
            if count is not None and pages[1] > count:
                yield Hit(
                    f"{claim.id} cites {citation.source} at {citation.pages}, "
                    f"but the source has {count} page(s)",
                    where,
                    claim=claim.id,
                    source=citation.source,
                    hint="check the page against the document, or correct page_count",
                )


@check(
    "HLS104",
    "repeated-citation",
    Severity.warning,
    "A claim cites the same source and pages twice.",
)
def repeated_citation(ctx: Context) -> Iterator[Hit]:
    for index, claim in enumerate(ctx.case.data.claims):
        seen: set[tuple[str, str | None]] = set()
        for position, citation in enumerate(claim.evidence):
            key = (citation.source, citation.pages)
            if key in seen:
                yield Hit(
                    f"{claim.id} cites {citation.source}"
                    + (f" {citation.pages}" if citation.pages else "")
                    + " more than once",
                    ctx.case.at(("claims", index, "evidence", position)),
                    claim=claim.id,
                    source=citation.source,
                    hint="remove the repeated citation",
                )
            seen.add(key)


@check(
    "HLS105",
    "money-without-external-source",
    Severity.warning,
    "A money claim cites only research references or grants, no external source.",
)
def money_without_external_source(ctx: Context) -> Iterator[Hit]:
    for index, claim in enumerate(ctx.case.data.claims):
        if claim.amount is None or not claim.evidence:
            continue
        kinds = {register_kind(c.source) for c in claim.evidence}
        if "source" not in kinds:
            yield Hit(
                f"{claim.id} states money but cites only the research ({', '.join(sorted(kinds))})",
                ctx.case.at(("claims", index, "evidence")),
                claim=claim.id,
                hint="cite the external source (E…) that corroborates the figure",
            )


@check(
    "HLS106",
    "research-claim-without-reference",
    Severity.warning,
    "A claim about the underpinning research (section 2 or 3) cites no reference or grant.",
)
def research_claim_without_reference(ctx: Context) -> Iterator[Hit]:
    for index, claim in enumerate(ctx.case.data.claims):
        if not claim.evidence and _is_research(claim.section):
            yield Hit(
                f"{claim.id} describes the research but cites no reference",
                ctx.case.at(("claims", index)),
                claim=claim.id,
                hint="cite the outputs (R1 …) or grants (G1 …) that document it",
            )
