"""Headline arithmetic: which amounts count, the total as an interval, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hls_audit.analysis.evidence import Register
from hls_audit.core.model import ROLE_DOCS, Amount, Claim, Headline, Role
from hls_audit.core.money import (
    MONEY_CONTEXT,
    QUALIFIER_WORDS,
    ZERO,
    Interval,
    Qualifier,
    convert,
    format_gbp,
    interval,
    money_sum,
    stated_precision,
)
from hls_audit.io.load import CaseStudy, Located

PROVEN = "proven"
NOT_PROVEN = "not proven"
FAILED = "failed"


@dataclass
class Line:
    """One amount as the reconciliation sees it: counted or not, and why."""

    claim: str
    organisation: str
    section: str
    statement: str
    stated: str
    role: Role
    qualifier: Qualifier
    value: Decimal | None
    currency: str
    converted: Decimal | None
    interval: Interval | None
    included: bool
    reason: str
    sources: list[str]
    corroborated: bool
    period: str
    location: Located
    per: str | None = None
    expected: bool = False
    headline: str | None = None


@dataclass
class Reconciliation:
    """A headline against the amounts that feed it."""

    headline: Headline
    location: Located
    included: list[Line]
    excluded: list[Line]
    total: Interval
    corroborated_total: Interval
    verdict: str
    corroborated_verdict: str
    margin: Decimal
    break_even: str = ""  # the break-even point in words, for a headline not proven
    uncorroborated: list[str] = field(default_factory=list)
    break_even_point: BreakEven | None = None  # the figures behind ``break_even``


@dataclass(frozen=True)
class BreakEven:
    """What the uncertain amounts of a headline not proven would have to reach: the amounts
    taken as uncertain, and the figure (the headline less the lowest the others could be)."""

    uncertain: tuple[Line, ...]
    needed: Decimal
    word: str  # "more than" or "at least"


def headline_for(amount: Amount, headlines: list[Headline]) -> str | None:
    """The headline a counted amount feeds: the one it names, or the only one there is."""
    if amount.headline:
        return amount.headline
    return headlines[0].id if len(headlines) == 1 else None


def describe_period(claim: Claim, amount: Amount) -> str:
    period = amount.period or claim.period
    text = ""
    if period and (period.start or period.end):
        text = f"{period.start or '…'} to {period.end or 'present'}"
    elif claim.date:
        text = claim.date
    if amount.per:
        text = f"per {amount.per}" + (f", {text}" if text else "")
    return text


def amount_lines(case: CaseStudy, register: Register) -> list[Line]:
    """Every amount in claims.yaml and every grant, in file order."""
    headlines = case.data.headlines
    claims_by_id = {c.id: c for c in case.data.claims}
    currencies = {h.id: h.currency for h in headlines}  # a repeated id: the last one, as before
    lines: list[Line] = []
    for index, claim in enumerate(case.data.claims):
        amount = claim.amount
        if amount is None:
            continue
        target = currencies.get(headline_for(amount, headlines) or "", "GBP")
        converted = _converted(amount, target)
        span = None
        if converted is not None:
            tolerance = amount.tolerance
            if tolerance is not None and amount.conversion and amount.currency != target:
                tolerance = convert(tolerance, amount.conversion.rate)
            span = interval(converted, amount.qualifier, tolerance)
        reason = _reason(amount, claims_by_id, headlines, currencies, converted)
        lines.append(
            Line(
                claim=claim.id,
                organisation=claim.organisation or "",
                section=claim.section,
                statement=claim.statement,
                stated=amount.stated or "",
                role=amount.role,
                qualifier=amount.qualifier,
                value=amount.value,
                currency=amount.currency,
                converted=converted,
                interval=span,
                included=reason == "",
                reason=reason,
                sources=[_cite_text(c.source, c.pages) for c in claim.evidence],
                corroborated=register.corroborated(claim),
                period=describe_period(claim, amount),
                location=case.at(("claims", index, "amount")),
                per=amount.per,
                expected=amount.expected,
                headline=headline_for(amount, headlines) if amount.role is Role.counted else None,
            )
        )
    for index, grant in enumerate(case.data.grants):
        period = f"{grant.period.start or '…'} to {grant.period.end or 'present'}"
        lines.append(
            Line(
                claim=grant.id,
                organisation=grant.funder,
                section="3",
                statement=f"Research grant, PI {grant.principal_investigator}",
                stated=grant.stated or "",
                role=Role.grant,
                qualifier=Qualifier.exact,
                value=grant.value,
                currency=grant.currency,
                converted=grant.value if grant.currency == "GBP" else None,
                interval=None,
                included=False,
                reason=ROLE_DOCS[Role.grant],
                sources=[grant.id],
                corroborated=True,
                period=period,
                location=case.at(("grants", index)),
            )
        )
    return lines


def _cite_text(source: str, pages: str | None) -> str:
    return f"{source} {pages}" if pages else source


def _converted(amount: Amount, target: str) -> Decimal | None:
    """The amount in its headline's currency (``target``), to the penny; None if unknown."""
    if amount.value is None:
        return None
    if amount.currency == target:
        return amount.value
    if amount.conversion and amount.conversion.to == target:
        return convert(amount.value, amount.conversion.rate)
    return None


def _reason(
    amount: Amount,
    claims_by_id: dict[str, Claim],
    headlines: list[Headline],
    currencies: dict[str, str],
    converted: Decimal | None,
) -> str:
    """Why an amount is not counted, or '' when it is."""
    if amount.role is Role.part:
        whole = claims_by_id.get(amount.part_of or "")
        if whole and whole.amount and whole.amount.value is not None:
            return f"part of {whole.id} ({format_gbp(whole.amount.value, whole.amount.currency)})"
        return "part of another amount"
    if amount.role is not Role.counted:
        return ROLE_DOCS[amount.role]
    target = headline_for(amount, headlines)
    if target is None or target not in currencies:
        return "names no headline that exists"
    if converted is None:
        return f"in {amount.currency} with no conversion recorded"
    return ""


def judge(total: Interval, headline: Headline) -> str:
    """Proven, not proven, or failed: the headline's relation tested against the interval."""
    h = headline.value
    relation = headline.relation
    if relation is Qualifier.more_than:
        if total.lower > h or (total.lower == h and total.lower_open):
            return PROVEN
        return FAILED if total.upper <= h else NOT_PROVEN
    if relation is Qualifier.at_least:
        if total.lower >= h:
            return PROVEN
        return FAILED if total.upper < h or (total.upper == h and total.upper_open) else NOT_PROVEN
    if relation is Qualifier.up_to:
        if total.upper <= h:
            return PROVEN
        return FAILED if total.lower > h or (total.lower == h and total.lower_open) else NOT_PROVEN
    if relation is Qualifier.about:
        tol = headline.tolerance if headline.tolerance is not None else stated_precision(h)
        low, high = MONEY_CONTEXT.subtract(h, tol), MONEY_CONTEXT.add(h, tol)
        if total.lower >= low and total.upper <= high:
            return PROVEN
        return FAILED if total.upper < low or total.lower > high else NOT_PROVEN
    if total.exact and total.lower == h:
        return PROVEN
    return FAILED if h < total.lower or h > total.upper else NOT_PROVEN


def break_even_point(included: list[Line], headline: Headline) -> BreakEven | None:
    """For a "more than" or "at least" headline: the amounts taken as uncertain (those whose
    range starts below their figure, else those with an open lower end) and what they need."""
    if headline.relation not in (Qualifier.more_than, Qualifier.at_least):
        return None
    uncertain = [ln for ln in included if ln.interval and ln.interval.lower < ln.interval.central]
    if not uncertain:
        uncertain = [ln for ln in included if ln.interval and ln.interval.lower_open]
    if not uncertain:
        return None
    chosen = {id(ln) for ln in uncertain}  # by identity: a set, not a scan of the list per line
    known = money_sum(ln.interval.lower for ln in included if ln.interval and id(ln) not in chosen)
    word = "more than" if headline.relation is Qualifier.more_than else "at least"
    return BreakEven(tuple(uncertain), MONEY_CONTEXT.subtract(headline.value, known), word)


def _break_even(point: BreakEven | None) -> str:
    """The break-even point in words."""
    if point is None:
        return ""
    uncertain, needed, word = point.uncertain, point.needed, point.word
    low = money_sum(ln.interval.lower for ln in uncertain if ln.interval)
    if len(uncertain) == 1:
        one = uncertain[0]
        return (
            f"holds only if {one.claim} ({one.stated or _plain(one)}) is {word} "
            f"{format_gbp(needed)}; its stated range starts at {format_gbp(low)}"
        )
    names = ", ".join(f"{ln.claim} ({ln.stated or _plain(ln)})" for ln in uncertain)
    return (
        f"holds only if {names} together come to {word} {format_gbp(needed)}; "
        f"their stated ranges start at {format_gbp(low)}"
    )


def _plain(line: Line) -> str:
    value = format_gbp(line.value, line.currency) if line.value is not None else "?"
    return f"{QUALIFIER_WORDS[line.qualifier]}{value}"


def reconcile(case: CaseStudy, register: Register, lines: list[Line]) -> list[Reconciliation]:
    """One reconciliation per headline, over the counted lines that feed it.

    The lines are grouped by headline once, so many headlines cost no more than one; every
    reconciliation shares the one list of lines that are not counted.
    """
    out: list[Reconciliation] = []
    headlines = case.data.headlines
    feeding: dict[str | None, list[Line]] = {}
    excluded: list[Line] = []
    for line in lines:
        if line.included:
            feeding.setdefault(line.headline, []).append(line)
        else:
            excluded.append(line)
    for index, headline in enumerate(headlines):
        included = feeding.get(headline.id, [])
        total = ZERO
        corroborated = ZERO
        for line in included:
            assert line.interval is not None
            total = total + line.interval
            if line.corroborated:
                corroborated = corroborated + line.interval
        verdict = judge(total, headline)
        point = break_even_point(included, headline) if verdict == NOT_PROVEN else None
        out.append(
            Reconciliation(
                headline=headline,
                location=case.at(("headlines", index)),
                included=included,
                excluded=excluded,
                total=total,
                corroborated_total=corroborated,
                verdict=verdict,
                corroborated_verdict=judge(corroborated, headline),
                margin=MONEY_CONTEXT.subtract(total.central, headline.value),
                break_even=_break_even(point),
                uncorroborated=[ln.claim for ln in included if not ln.corroborated],
                break_even_point=point,
            )
        )
    return out
