"""Checks on what each claim cites."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hls_audit.core.pages import parse_pages
from hls_audit.engine.findings import Hit, Severity
from hls_audit.rules.base import Context, check


def _is_research(section: str, ctx: Context) -> bool:
    return section.split(".")[0] in ctx.template.research_sections


@check(
    "HLS101",
    "claim-without-source",
    Severity.error,
    "A claim of impact (any section but 2 and 3) cites no source, reference or grant.",
)
def claim_without_source(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A claim in the summary or the details of the impact has an empty `evidence:` list.

    Why it matters:
        Every claim of impact must be corroborated before submission; an uncited claim is the first
        thing an auditor or panel member will query.

    Example:
        - id: C21
          section: "4.1"
          statement: Homeless families in B&B fell by about half.
          evidence: []          # HLS101

    Fix:
        Cite the source that backs the claim: `evidence: [E1]`, with pages where they help
        (`{source: E2, pages: p9}`). If no source exists, soften or remove the claim.
    """
    for index, claim in enumerate(ctx.case.data.claims):
        if not claim.evidence and not _is_research(claim.section, ctx):
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
    """
    What it does:
        A citation names an id that has no record in evidence/ and is not a grant in claims.yaml.
        The message suggests the closest existing id.

    Why it matters:
        A typo (E11 for E1) or a deleted record leaves a claim resting on nothing while looking
        cited.

    Example:
        evidence: [E20]       # HLS102: did you mean E2?

    Fix:
        Correct the id, or add `evidence/E20.yaml` describing the source.
    """
    known = sorted(ctx.register.entries)
    suggestions: dict[str, str | None] = {}
    for index, claim in enumerate(ctx.case.data.claims):
        for position, citation in enumerate(claim.evidence):
            if citation.source in ctx.register.entries:
                continue
            close = _suggestion(citation.source, known, suggestions)
            hint = f"did you mean {close}? " if close else ""
            hint += f"otherwise add evidence/{citation.source}.yaml describing the source"
            yield Hit(
                f"{claim.id} cites {citation.source}, which is not in the evidence register",
                ctx.case.at(("claims", index, "evidence", position)),
                claim=claim.id,
                source=citation.source,
                hint=hint,
            )


# A suggestion compares one unknown id with every known one. The comparisons of one run are
# capped, so thousands of unknown ids against a large register cost a bounded amount of work
# (a real register of a few dozen ids gets a suggestion for thousands of unknown ids).
MAX_COMPARISONS = 200_000


def _suggestion(unknown: str, known: list[str], memo: dict[str, str | None]) -> str | None:
    """The known id closest to ``unknown``, if close enough; each unknown id is looked up once."""
    if unknown not in memo:
        if (len(memo) + 1) * len(known) > MAX_COMPARISONS:
            return None
        close = difflib.get_close_matches(unknown, known, n=1, cutoff=0.5)
        memo[unknown] = close[0] if close else None
    return memo[unknown]


@check(
    "HLS103",
    "bad-page-reference",
    Severity.error,
    "A page reference is not a page or ascending range (p9, p2-3), or lies past the last page.",
)
def bad_page_reference(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A citation's `pages` is not a single page (p9) or an ascending range (p2-3), or it points
        past the `page_count` recorded for the source.

    Why it matters:
        A reviewer follows the page reference to check the claim; a wrong page wastes their time and
        undermines trust in the rest.

    Example:
        evidence: [{source: E2, pages: p5-3}]   # HLS103: range runs backwards

    Fix:
        Write `p9`, `p2-3` or a bare number; check the page against the document.
    """
    for index, claim in enumerate(ctx.case.data.claims):
        for position, citation in enumerate(claim.evidence):
            if citation.pages is None:
                continue
            loc = ("claims", index, "evidence", position, "pages")  # located only if reported
            pages = parse_pages(citation.pages)
            if pages is None or pages[0] < 1 or pages[1] < pages[0]:
                yield Hit(
                    f"{claim.id} cites {citation.source} at {citation.pages!r}, "
                    "which is not a page reference",
                    ctx.case.at(loc),
                    claim=claim.id,
                    source=citation.source,
                    hint="write one page (p9) or an ascending range (p2-3)",
                )
                continue
            entry = ctx.register.get(citation.source)
            count = entry.page_count if entry else None
            if count is not None and pages[1] > count:
                yield Hit(
                    f"{claim.id} cites {citation.source} at {citation.pages}, "
                    f"but the source has {count} page(s)",
                    ctx.case.at(loc),
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
    """
    What it does:
        The same source and pages appear twice in one claim's evidence list.

    Why it matters:
        Usually a copy-and-paste slip that hides a missing, different citation.

    Example:
        evidence: [E2, E2]    # HLS104

    Fix:
        Remove the repeat, or correct it to the source that was meant.
    """
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
    """
    What it does:
        A claim with an amount cites only references to the research (R...) or grants (G...).

    Why it matters:
        Money figures are impact claims; REF panels expect them corroborated by an external source,
        not by the team's own outputs.

    Example:
        amount: {role: counted, value: 4000000}
        evidence: [R1]        # HLS105

    Fix:
        Cite the external source (E...) that states the figure.
    """
    for index, claim in enumerate(ctx.case.data.claims):
        if claim.amount is None or not claim.evidence:
            continue
        kinds = {ctx.register.kind_of(c.source) for c in claim.evidence}
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
    """
    What it does:
        A claim in section 2 or 3 (the underpinning research) cites nothing.

    Why it matters:
        Research claims are supported by the references to the research and its grants rather than
        by corroborating sources; an uncited one is a gap, though not a corroboration failure.

    Example:
        - id: C12
          section: "2"
          statement: More than 360 organisations form a community of practice.
          evidence: []          # HLS106

    Fix:
        Cite the outputs (R1...) or grants (G1...) that document it.
    """
    for index, claim in enumerate(ctx.case.data.claims):
        if not claim.evidence and _is_research(claim.section, ctx):
            yield Hit(
                f"{claim.id} describes the research but cites no reference",
                ctx.case.at(("claims", index)),
                claim=claim.id,
                hint="cite the outputs (R1 …) or grants (G1 …) that document it",
            )
