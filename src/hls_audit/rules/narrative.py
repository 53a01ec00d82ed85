"""Checks that reconcile the case study's own text with claims.yaml and the evidence register."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hls_audit.core.money import QUALIFIER_WORDS
from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import Located
from hls_audit.rules.base import Context, check

if TYPE_CHECKING:  # the narrative parser is imported only when a narrative is given
    from hls_audit.analysis.evidence import Register
    from hls_audit.narrative.analysis import Narrative
    from hls_audit.narrative.markers import Cite
    from hls_audit.narrative.reconcile import Pairing


def _narrative(ctx: Context) -> tuple[Narrative, Pairing] | None:
    if ctx.narrative is None:
        return None
    from hls_audit.narrative.analysis import Narrative
    from hls_audit.narrative.reconcile import Pairing, pair

    narrative = ctx.narrative
    if not isinstance(narrative, Narrative):
        return None
    if ctx.pairing is None:
        ctx.pairing = pair(narrative, ctx.case)
    assert isinstance(ctx.pairing, Pairing)
    return narrative, ctx.pairing


def _at(narrative: Narrative, line: int, column: int | None = None) -> Located:
    return Located(narrative.path, line, column)


def _where(located: Located) -> str:
    return f"{located.file}:{located.line}" if located.line else located.file


def cited_id(cite: Cite, register: Register) -> str:
    """The claims.yaml id a marker's cite names: its id as written when the register holds it,
    else the id of the list entry it resolved to ("source 3" -> "3"), else as written."""
    if cite.source not in register.entries and cite.entry in register.entries:
        return cite.entry
    return cite.source


@check(
    "HLS701",
    "figure-not-in-ledger",
    Severity.error,
    "The narrative states a money figure that claims.yaml does not hold.",
)
def figure_not_in_ledger(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Every money figure in the narrative (GBP169,000,000, £1.5m, ~£18m, "tens of millions
        of pounds") must be an amount, grant or headline in claims.yaml with the same value and
        currency (unquantified figures: the same words in `stated`).

    Why it matters:
        A figure edited in the text and not in the ledger is no longer audited: its role,
        sources and place in the headline are unknown.

    Example:
        narrative: "... a GBP9,100,000 budget ..."; no amount of 9100000 in claims.yaml

    Fix:
        Add the amount to the claim it belongs to (with its role), or correct the text.
    """
    found = _narrative(ctx)
    if found is None:
        return
    narrative, pairing = found
    for index, mention in enumerate(narrative.money):
        if pairing.partner.get(index) is None:
            section = narrative.section_of(mention.start) or "?"
            yield Hit(
                f"the narrative states '{mention.text}' (section {section}), which no amount, "
                "grant or headline in claims.yaml holds",
                _at(narrative, mention.line, mention.column),
                hint="add it to the claim it belongs to, with its role, or correct the text",
            )


@check(
    "HLS702",
    "amount-not-in-text",
    Severity.warning,
    "claims.yaml holds an amount, grant or headline that the narrative never states.",
)
def amount_not_in_text(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount, grant or headline of claims.yaml has no figure of the same value (or, when
        unquantified, the same words) anywhere in the narrative.

    Why it matters:
        The ledger then audits a figure the submitted text no longer makes, or the text lost a
        figure by accident.

    Example:
        C15 amount 77000000; the narrative now says GBP70,000,000

    Fix:
        Bring the ledger and the text back into line, whichever is wrong.
    """
    found = _narrative(ctx)
    if found is None:
        return
    narrative, pairing = found
    for index, figure in enumerate(pairing.figures):
        if index not in pairing.stated:
            from hls_audit.narrative.reconcile import money_text

            yield Hit(
                f"{figure.id} holds {money_text(figure)}, which {narrative.path} never states",
                figure.location,
                claim=figure.id if figure.kind != "grant" else None,
                source=figure.id if figure.kind == "grant" else None,
                hint="correct the amount or the narrative so that they agree",
            )


@check(
    "HLS703",
    "unknown-marker",
    Severity.error,
    "A citation marker in the narrative names an id that is not in the evidence register.",
)
def unknown_marker(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A marker such as `[E11]` or `[**R7**]` names a source, reference or grant that has no
        record in evidence/ (and is not a grant in claims.yaml).

    Why it matters:
        The reader is sent to evidence that the audit does not know and cannot check.

    Example:
        "... 29 contracts were replaced [E11]."    # there is no evidence/E11.yaml

    Fix:
        Add the record, or correct the marker.
    """
    found = _narrative(ctx)
    if found is None:
        return
    narrative, _ = found
    for marker in narrative.markers:
        for cite in marker.ids:
            if cited_id(cite, ctx.register) not in ctx.register.entries:
                yield Hit(
                    f"the narrative cites {cite.source} in '{marker.text}', which is not in the "
                    "evidence register",
                    _at(narrative, marker.line, marker.column),
                    source=cite.source,
                    hint=f"add evidence/{cite.source}.yaml, or correct the marker",
                )


@check(
    "HLS704",
    "uncited-in-text",
    Severity.warning,
    "A source, reference or grant in the register is cited by no marker in the narrative.",
)
def uncited_in_text(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A record (or grant) that no `[…]` marker in the narrative cites. Parts count through
        their parent and the parent through its parts.

    Why it matters:
        A reference listed and cited nowhere weakens the case study; a panel notices.

    Example:
        R6 is listed in section 3 but no marker cites it    # HLS704

    Fix:
        Cite it where the text relies on it, or drop it from the list.
    """
    found = _narrative(ctx)
    if found is None:
        return
    narrative, _ = found
    from hls_audit.narrative.reconcile import expand

    cited: set[str] = set()
    for marker in narrative.markers:
        cited.update(expand({cited_id(c, ctx.register) for c in marker.ids}, ctx.register))
    listed_at: dict[str, int] = {}  # the line of each id's first entry in the text's own lists
    for item in narrative.register:
        listed_at.setdefault(item.id, item.line)
    for entry in ctx.register.entries.values():
        if entry.kind == "group":
            continue
        parent = entry.record.record.part_of if entry.record else None
        if entry.id in cited or (parent is not None and parent in cited):
            continue
        line = listed_at.get(entry.id)
        where = (
            _at(narrative, line)
            if line is not None
            else (ctx.case.record_at(entry.record, ("id",)) if entry.record else None)
        )
        yield Hit(
            f"{entry.id} is in the register but the narrative cites it nowhere",
            where,
            source=entry.id,
            hint="cite it where the text relies on it, or remove it from the case study",
        )


@check(
    "HLS705",
    "citation-mismatch",
    Severity.warning,
    "A claim's sources differ from the markers beside its figure in the narrative.",
)
def citation_mismatch(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        For each money figure of a claim, compares the claim's `evidence` with the marker the
        narrative puts beside the figure (the first marker after it in its sentence, else the
        last before it); when the sentence has none, the claim must cite at least one of the
        paragraph's markers. Groups compare equal to their parts (E5 = E5a + E5b).

    Why it matters:
        The ledger and the text then give the reader different evidence for the same figure.

    Example:
        text: "a GBP675,000 contract [E5a, p4]"; C31 cites only E5b    # HLS705

    Fix:
        Make the claim cite what the text cites beside the figure, or correct the marker.
    """
    found = _narrative(ctx)
    if found is None:
        return
    narrative, pairing = found
    from hls_audit.narrative.reconcile import expand, nearby_markers

    reported: set[str] = set()
    claim_sections = narrative.template.claim_sections
    for index, mention in enumerate(narrative.money):
        figure = pairing.partner.get(index)
        if figure is None or figure.claim is None or figure.claim.id in reported:
            continue
        if narrative.section_of(mention.start).split(".")[0] not in claim_sections:
            continue
        markers, close = nearby_markers(narrative, mention)
        if not markers:
            continue
        text_ids = expand({cited_id(c, ctx.register) for m in markers for c in m.ids}, ctx.register)
        claim_ids = expand({c.source for c in figure.claim.evidence}, ctx.register)
        if close:
            problem = text_ids - claim_ids
            message = f"the text cites {', '.join(sorted(problem))} beside it"
        else:
            problem = set() if text_ids & claim_ids else text_ids
            message = f"the paragraph cites only {', '.join(sorted(text_ids))}"
        if problem:
            reported.add(figure.claim.id)
            yield Hit(
                f"{figure.claim.id} ({_where(figure.location)}) cites "
                f"{', '.join(sorted(claim_ids)) or 'nothing'} for '{mention.text}', but "
                f"{message}",
                _at(narrative, mention.line, mention.column),
                claim=figure.claim.id,
                hint="make the claim cite what the text cites beside the figure, or fix the marker",
            )


@check(
    "HLS706",
    "qualifier-mismatch",
    Severity.warning,
    "The same figure is qualified differently in two places (over, about, exact ...).",
)
def qualifier_mismatch(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A figure stated "over £169m" in one place and a bare "£169m" in another, or stated
        with a qualifier in the text that its amount in claims.yaml does not carry.

    Why it matters:
        The qualifier decides the arithmetic: "over £60m" and "£60m" prove different headlines.

    Example:
        summary: "over GBP169,000,000"; section 4: "GBP169,000,000"    # HLS706

    Fix:
        Use one qualifier for one figure everywhere, and the same in claims.yaml.
    """
    found = _narrative(ctx)
    if found is None:
        return
    narrative, pairing = found
    first_seen: dict[tuple[object, str], int] = {}
    for index, mention in enumerate(narrative.money):
        if mention.unquantified or mention.value is None:
            continue
        key = (mention.value, mention.currency)
        earlier = first_seen.setdefault(key, index)
        other = narrative.money[earlier]
        figure = pairing.partner.get(index)
        if (
            earlier != index
            and other.qualifier != mention.qualifier
            and (figure is None or figure.per == other.per == mention.per)
        ):
            yield Hit(
                f"'{mention.text}' (line {mention.line}) and '{other.text}' (line {other.line}) "
                "state the same figure with different qualifiers",
                _at(narrative, mention.line, mention.column),
                hint="use one qualifier for this figure throughout",
            )
        elif figure is not None and figure.qualifier != mention.qualifier:
            said = QUALIFIER_WORDS[figure.qualifier].strip() or "exact"
            yield Hit(
                f"the text says '{mention.text}' but {figure.id} ({_where(figure.location)}) "
                f"records it as {said}",
                _at(narrative, mention.line, mention.column),
                claim=figure.id if figure.kind != "grant" else None,
                hint=f"set qualifier: {mention.qualifier.value} in claims.yaml, or reword the text",
            )
