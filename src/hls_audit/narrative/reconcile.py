"""Pair the narrative's money figures and markers with the ledger in claims.yaml and evidence/."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal

from hls_audit.analysis.evidence import Register
from hls_audit.core.model import Claim
from hls_audit.core.money import Qualifier
from hls_audit.io.load import CaseStudy, Located
from hls_audit.narrative.analysis import Narrative
from hls_audit.narrative.markers import Marker
from hls_audit.narrative.money import MoneyMention
from hls_audit.narrative.sentences import paragraph_span, sentence_span


@dataclass
class LedgerFigure:
    """A money figure claims.yaml holds: an amount, a grant or a headline."""

    kind: str  # amount | grant | headline
    id: str
    value: Decimal | None
    currency: str
    qualifier: Qualifier
    per: str | None
    stated: str
    location: Located
    claim: Claim | None = None


@dataclass
class Pairing:
    """Which ledger figure each narrative figure stands for."""

    figures: list[LedgerFigure]
    partner: dict[int, LedgerFigure | None] = field(default_factory=dict)  # mention index ->
    stated: set[int] = field(default_factory=set)  # indexes of figures the text states


def ledger_figures(case: CaseStudy) -> list[LedgerFigure]:
    out: list[LedgerFigure] = []
    for index, headline in enumerate(case.data.headlines):
        out.append(
            LedgerFigure(
                "headline",
                headline.id,
                headline.value,
                headline.currency,
                headline.relation,
                None,
                headline.statement,
                case.at(("headlines", index)),
            )
        )
    for index, grant in enumerate(case.data.grants):
        out.append(
            LedgerFigure(
                "grant",
                grant.id,
                grant.value,
                grant.currency,
                Qualifier.exact,
                None,
                grant.stated or "",
                case.at(("grants", index)),
            )
        )
    for index, claim in enumerate(case.data.claims):
        amount = claim.amount
        if amount is None:
            continue
        out.append(
            LedgerFigure(
                "amount",
                claim.id,
                amount.value,
                amount.currency,
                amount.qualifier,
                amount.per,
                amount.stated or "",
                case.at(("claims", index, "amount")),
                claim,
            )
        )
    return out


_PHRASE = re.compile(r"[^a-z]+")


def _phrase(text: str) -> str:
    return _PHRASE.sub(" ", text.casefold()).strip()


def _same_figure(mention: MoneyMention, figure: LedgerFigure) -> bool:
    if mention.unquantified:
        return figure.value is None and _phrase(figure.stated) == _phrase(mention.text)
    return (
        figure.value is not None
        and mention.value == figure.value
        and mention.currency == figure.currency
    )


def pair(narrative: Narrative, case: CaseStudy) -> Pairing:
    """Each mention gets the best ledger figure: same value, then same `per`, then qualifier."""
    figures = ledger_figures(case)
    pairing = Pairing(figures)
    for index, mention in enumerate(narrative.money):
        candidates = [i for i, f in enumerate(figures) if _same_figure(mention, f)]
        if not candidates:
            pairing.partner[index] = None
            continue
        unused = [i for i in candidates if i not in pairing.stated] or candidates
        best = min(
            unused,
            key=lambda i: (
                figures[i].per != mention.per,
                figures[i].qualifier != mention.qualifier,
            ),
        )
        pairing.partner[index] = figures[best]
        pairing.stated.update(candidates)
    return pairing


def nearby_markers(narrative: Narrative, mention: MoneyMention) -> tuple[list[Marker], bool]:
    """The markers that vouch for a figure, and whether they are that close.

    The first marker after the figure in its sentence (else the last before it); failing that,
    every marker in its paragraph (``close`` is then False).
    """
    s_start, s_end = sentence_span(narrative.text, mention.start)
    first, last = narrative.markers_between(s_start, s_end)
    after = bisect_left(narrative.marker_starts, mention.end, first, last)
    if after < last:
        return [narrative.markers[after]], True
    if first < last:
        return [narrative.markers[last - 1]], True
    p_start, p_end = paragraph_span(narrative.text, mention.start)
    first, last = narrative.markers_between(p_start, p_end)
    return narrative.markers[first:last], False


def expand(ids: set[str], register: Register) -> set[str]:
    """Group ids (E5) stand for their parts (E5a, E5b) so both spellings compare equal."""
    out: set[str] = set()
    for identifier in ids:
        entry = register.get(identifier)
        if entry is not None and entry.kind == "group":
            out.update(entry.parts)
        else:
            out.add(identifier)
    return out


def money_text(figure: LedgerFigure) -> str:
    """How a ledger figure reads, for messages."""
    if figure.stated:
        return figure.stated
    if figure.value is None:
        return "an unquantified amount"
    return f"{figure.currency} {figure.value:,}"
