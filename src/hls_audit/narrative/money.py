"""Money figures in a case study's text, with their qualifier, currency and any per-year marker."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal

from hls_audit.core.money import CURRENCY_SIGNS, SCALES, Qualifier
from hls_audit.narrative.positions import line_col
from hls_audit.narrative.sentences import sentence_span

# Qualifier words map onto hls_audit.core.money.Qualifier (the figure is the bound the words give):
#
# - more_than: over, more than, in excess of, above, exceeding, upwards of, well/just over
# - at_least:  at least, a minimum of, no less than, not less than
# - about:     ~, around, about, approximately, approx., c., ca., circa, roughly, some,
#              (an) estimated, est.
# - up_to:     up to, nearly, almost, under, less than, below, just under, no more than,
#              not more than, a maximum of, as much as
# - exact:     no qualifier.
#
# "nearly", "almost", "under" and "less than" put the true value below the figure, so the figure
# is an upper bound: up_to is the only enum member whose interval holds it (for "under" and
# "less than" the bound is strict, which the enum cannot say).
#
# A range ("£5-10m", "£5m-£10m") gives two mentions with the same span and text: the lower figure
# (at_least) and the upper (up_to). A figure without a currency is money only when written with
# "bn" ("1.2bn"); it then takes ``default_currency``. Unquantified amounts ("tens of millions of
# pounds") have value None and unquantified=True.
QUALIFIERS: dict[str, Qualifier] = {
    **dict.fromkeys(
        ["over", "more than", "in excess of", "well in excess of", "above", "exceeding",
         "upwards of", "well over", "just over"],
        Qualifier.more_than,
    ),
    **dict.fromkeys(
        ["at least", "a minimum of", "no less than", "not less than"], Qualifier.at_least
    ),
    **dict.fromkeys(
        ["~", "≈", "around", "about", "approximately", "approx.", "approx", "c.", "ca.", "circa",
         "roughly", "some", "an estimated", "estimated", "est."],
        Qualifier.about,
    ),
    **dict.fromkeys(
        ["up to", "nearly", "almost", "under", "less than", "below", "just under",
         "no more than", "not more than", "a maximum of", "as much as"],
        Qualifier.up_to,
    ),
}  # fmt: skip
CURRENCIES = {
    **CURRENCY_SIGNS, "US$": "USD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
    "C$": "CAD", "CA$": "CAD", "pounds": "GBP", "dollars": "USD", "euros": "EUR", "euro": "EUR",
}  # fmt: skip
_CODES = "GBP|USD|EUR|AUD|CAD|NZD|CHF|JPY"

_WORDS = sorted((q for q in QUALIFIERS if q[0].isalpha() and not q.endswith(".")), key=len)
# Looked for just before a figure (searched backwards from it, which is fast).
_QUALIFIER = re.compile(
    r"(?:(?<![\w-])(?P<qual>"
    + "|".join(r"\s+".join(w.split()) for w in reversed(_WORDS))
    + r")\s+|(?P<qsym>~|≈|(?<![\w.])(?:c|ca|approx|est)\.)[ \t]*)\Z",
    re.IGNORECASE,
)
_QUALIFIER_REACH = 40
# Figures are read from the ASCII digits 0-9 only: in Python's re ``\d`` is any Unicode digit, and
# Decimal would read Arabic-Indic 77 (U+0667 twice) as 77. A figure touching other digits is not
# read at all (the guards around it keep ``\d``), so U+0667 then 77m is not half-read as 77m.
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SCALE = r"(?i:billion|bn|million|mn|m|thousand|k)"
_PRE = rf"[£$€]|(?<![A-Za-z])(?:US\$|AU?\$|NZ\$|CA?\$|{_CODES})(?![A-Za-z])"
# Case-sensitive (currency codes are capitals) but for the scale and currency words.
_QUANTIFIED = re.compile(
    rf"""(?=[£$€0-9AUNCGEJ])(?:(?P<pre>{_PRE})[ \t\u00a0]?)?
    (?<![\d.,])(?P<number>{_NUMBER})(?!\d|[.,]\d)
    (?:[ \t\u00a0]?(?P<scale>{_SCALE})(?![A-Za-z]))?
    (?:(?P<dash>[ \t]?[-–—][ \t]?)(?:(?P<pre2>{_PRE})[ \t\u00a0]?)?
       (?P<number2>{_NUMBER})(?!\d|[.,]\d)(?:[ \t\u00a0]?(?P<scale2>{_SCALE})(?![A-Za-z]))?)?
    (?:[ \t\u00a0]?(?P<post>{_CODES}|(?i:pounds(?:[ \t]+sterling)?|(?:US[ \t]+)?dollars|euros?))
       (?![A-Za-z])(?![ \t\u00a0]?\d))?""",
    re.VERBOSE,
)
_UNQUANTIFIED = re.compile(
    r"""(?=[thmbsaTHMBSA£])(?<![\w-])(?P<words>
      (?:(?:tens|hundreds)\s+of\s+)?(?:many\s+)?(?:thousands|millions|billions)\s+of\s+
        (?P<c1>pounds|dollars|euros)(?:\s+sterling)?
    | (?:several|a\s+few|many|multiple)\s+(?:hundred\s+)?(?:thousand|million|billion)\s+
        (?P<c2>pounds|dollars|euros)(?:\s+sterling)?
    | multi-?(?:million|billion)[\s-](?P<c3>pound|dollar|euro)s?
    | (?P<c4>£)[ \t]?(?:thousands|millions|billions)
    )(?![\w-])""",
    re.IGNORECASE | re.VERBOSE,
)
# Clause boundaries, for finding a per-year marker that belongs to a figure.
_CLAUSE_END = re.compile(
    r"[;:()\[\]–—]|,(?!\d{3})|\s-\s|\s(?:and|but|or|while|whereas|which|who)\s", re.IGNORECASE
)
_YEARLY = re.compile(
    r"(?<![\w-])(?:annual(?:ly)?|yearly|per\s+(?:year|annum|yr)|p\.a\.|each\s+year|every\s+year)"
    r"(?![\w-])(?!\s+(?:report|review|conference|meeting|general|award|lecture|accounts?)\b)",
    re.IGNORECASE,
)
_YEARLY_AFTER = re.compile(r"\s*(?:(?:a|per)\s+year\b|pa\b|/\s*(?:yr|year|annum)\b)", re.I)
_MONTHLY = re.compile(
    r"(?<![\w-])(?:monthly|per\s+month|each\s+month|every\s+month|pcm)(?![\w-])", re.I
)
_MONTHLY_AFTER = re.compile(r"\s*(?:a\s+month\b|/\s*(?:mo|month)\b)", re.I)


@dataclass(frozen=True)
class MoneyMention:
    """A money figure as the text states it; ``text`` is the exact words, qualifier included."""

    value: Decimal | None
    currency: str
    qualifier: Qualifier
    text: str
    start: int
    end: int
    line: int
    column: int
    sentence: str
    per: str | None
    unquantified: bool


def _amount(number: str, scale: str | None) -> Decimal:
    value = Decimal(number.replace(",", ""))
    # Precise enough for every digit written: no figure is rounded into another, and a figure of
    # more than 28 digits does not overflow the default context.
    exact = Context(prec=len(number) + 10)
    if scale:
        value = exact.multiply(value, SCALES[scale.lower()])
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=exact)
    return value


def _currency(written: str | None) -> str | None:
    if not written:
        return None
    words = " ".join(written.split())
    if words in CURRENCIES:
        return CURRENCIES[words]
    lower = words.lower()
    for word, code in (("pound", "GBP"), ("dollar", "USD"), ("euro", "EUR")):
        if word in lower:
            return code
    return CURRENCIES.get(words.upper(), words.upper())


def _per(text: str, start: int, end: int, sentence: tuple[int, int]) -> str | None:
    """ "a year", "per month" in the figure's clause, looked for within _PER_REACH of it."""
    before = text[max(sentence[0], start - _PER_REACH) : start]
    cuts = [found.end() for found in _CLAUSE_END.finditer(before)]
    before = before[cuts[-1] :] if cuts else before
    after = text[end : min(sentence[1], end + _PER_REACH)]
    stop = _CLAUSE_END.search(after)
    after = after[: stop.start()] if stop else after
    if _YEARLY.search(before) or _YEARLY.search(after) or _YEARLY_AFTER.match(after):
        return "year"
    if _MONTHLY.search(before) or _MONTHLY.search(after) or _MONTHLY_AFTER.match(after):
        return "month"
    return None


# How far around a figure its clause and its sentence are read: a run-on "sentence" of a
# megabyte must not be copied or scanned once per figure in it.
_PER_REACH = 300
_SENTENCE_REACH = 1000


def _qualified(text: str, start: int) -> tuple[int, Qualifier]:
    """Where the qualifier before ``start`` begins (``start`` if none) and what it means."""
    match = _QUALIFIER.search(text, max(0, start - _QUALIFIER_REACH), start)
    if not match:
        return start, Qualifier.exact
    words = match["qual"] or match["qsym"]
    return match.start(), QUALIFIERS[" ".join(words.lower().split())]


def find_money(text: str, default_currency: str = "GBP") -> list[MoneyMention]:
    """Every money figure in ``text``, in order. Values are exact Decimals."""
    found: list[MoneyMention] = []

    def add(
        start: int, end: int, value: Decimal | None, currency: str, qualifier: Qualifier | None
    ) -> None:
        if qualifier is None:
            start, qualifier = _qualified(text, start)
        span = sentence_span(text, start)
        line, column = line_col(text, start)
        per = _per(text, start, end, span)
        sentence = text[max(span[0], start - _SENTENCE_REACH) : min(span[1], end + _SENTENCE_REACH)]
        found.append(
            MoneyMention(
                value, currency, qualifier, text[start:end], start, end, line, column, sentence,
                per, value is None,
            )
        )  # fmt: skip

    for match in _QUANTIFIED.finditer(text):
        number, scale, number2, scale2 = match.group("number", "scale", "number2", "scale2")
        dash = match["dash"] or ""
        ranged = number2 is not None and bool(
            match["pre2"]
            or scale2
            or (dash == dash.strip() and _amount(number2, None) > _amount(number, None))
        )
        currency = _currency(match["pre"]) or _currency(match["pre2"] if ranged else None)
        currency = currency or _currency(match["post"])
        if currency is None:
            if "bn" not in {(scale or "").lower(), (scale2 or "").lower() if ranged else ""}:
                continue
            if match.start("number") > 0 and text[match.start("number") - 1].isalnum():
                continue
            currency = default_currency
        if ranged:
            add(
                match.start(),
                match.end(),
                _amount(number, scale or scale2),
                currency,
                Qualifier.at_least,
            )
            add(
                match.start(),
                match.end(),
                _amount(number2, scale2 or scale),
                currency,
                Qualifier.up_to,
            )
        else:  # a dash and a figure that do not make a range ("£5m - 10 staff") are left out
            end = match.end("scale") if scale else match.end("number")
            add(
                match.start(),
                end if number2 else match.end(),
                _amount(number, scale),
                currency,
                None,
            )
    for match in _UNQUANTIFIED.finditer(text):
        written = match["c1"] or match["c2"] or match["c3"] or match["c4"]
        add(match.start(), match.end(), None, _currency(written) or default_currency, None)
    found.sort(key=lambda m: (m.start, m.qualifier is not Qualifier.at_least))
    return found
