"""Exact money: parsing written amounts into Decimal, stated precision, and qualified intervals."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from enum import StrEnum

from hls_audit.core.sanitize import one_line

CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR"}
SCALES = {
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}
# Digits are ASCII 0-9 only (``\d`` would take any Unicode digit), and the currency codes and
# scale words ASCII letters only: under IGNORECASE a bare [A-Z] also matches the long s and the
# Kelvin sign. Whitespace stays Unicode, so a non-breaking space between sign and figure is fine.
_WRITTEN = re.compile(
    r"""^\s*
    (?P<sign>[£$€])?\s*
    (?P<code>(?a:[A-Z]{3}))?\s*
    (?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)
    \s*(?P<scale>(?a:k|thousand|m|mn|million|bn|billion))?
    \s*(?P<trailing>(?a:[A-Z]{3}))?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_EXPONENT = re.compile(r"[0-9][eE][+-]?[0-9]")
# A written amount longer than this is not an amount ("GBP 999,999,999,999,999.99 million" is
# 35 characters); the limit also keeps every written number well inside MONEY_CONTEXT.
MAX_WRITTEN = 48

# Every amount stays below this, converted amounts included.
MAX_AMOUNT = Decimal(10) ** 15
PENNY = Decimal("0.01")

# Conversions and sums are done in this context, never in the thread's default one (28 digits):
# amounts below 10^15 with pence have at most 17 digits, so sums of any number of them that fits in
# a claims file, and products with a rate of at most RATE_DIGITS digits, are exact. Rounding
# happens only where a conversion is quantised to pence (half up).
MONEY_CONTEXT = Context(
    prec=50, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)

# A conversion rate lies in [MIN_RATE, MAX_RATE] and has at most RATE_DIGITS significant digits.
MIN_RATE = Decimal("0.000001")
MAX_RATE = Decimal(1_000_000)
RATE_DIGITS = 10

MONEY_FORMS = (
    "an integer (77000000), a plain decimal (88194.45), a grouped number in quotes "
    "('77,000,000') or a scaled figure in quotes ('77m', '7.7 million', '675k', '1.2bn')"
)
RATE_FORMS = (
    f"a plain decimal between {MIN_RATE} and {MAX_RATE:,} with at most {RATE_DIGITS} "
    "significant digits, such as 0.79 or '1.2345'"
)


class MoneyError(ValueError):
    """A written amount that is not accepted, with the reason."""


def _shown(value: object, limit: int = 40) -> str:
    """A value as a message quotes it: cut short, so a huge input never floods the terminal."""
    return one_line(str(value), limit)


def non_ascii_digit(text: str) -> str | None:
    """The first character of ``text`` that reads as a digit but is not 0-9, named; else None.

    Python's Decimal and ``\\d`` accept every Unicode digit, so 77m written in full-width digits
    (U+FF17) would read as 77m, and 77 in Arabic-Indic digits (U+0667) as 77; figures in
    claims.yaml are written with 0-9 only.
    """
    for char in text:
        if not char.isascii() and (char.isdigit() or char.isnumeric()):
            name = unicodedata.name(char, "unnamed character")
            return f"{char!r} (U+{ord(char):04X} {name})"
    return None


def _refuse_non_ascii(text: str, what: str) -> None:
    odd = non_ascii_digit(text)
    if odd:
        raise MoneyError(
            f"{_shown(text)!r} contains {odd}, which is not an ASCII digit; write {what} with "
            "the digits 0-9"
        )


def parse_money(value: object) -> tuple[Decimal, str | None]:
    """Parse a written amount into an exact Decimal and the currency it names, if any.

    Never goes through float: YAML floats arrive here already as Decimal (see yaml_source).
    """
    if isinstance(value, bool):
        raise MoneyError(f"expected an amount, got {str(value).lower()}; write {MONEY_FORMS}")
    if isinstance(value, int):
        number = Decimal(value)
        currency = None
    elif isinstance(value, Decimal):
        if "E" in str(value).upper() and value.is_finite():
            raise MoneyError(
                f"exponent notation ({_shown(value)}) is not accepted for money; "
                f"write {MONEY_FORMS}"
            )
        number = value
        currency = None
    elif isinstance(value, float):  # only reachable from Python callers, never from YAML
        raise MoneyError("floats lose pennies; write the amount as a string or an integer")
    elif isinstance(value, str):
        _refuse_non_ascii(value, "amounts")
        text = value.strip()  # matched stripped and short, so its runs of \s* stay cheap
        match = _WRITTEN.match(text) if len(text) <= MAX_WRITTEN else None
        if not match:
            if text.startswith("-"):
                raise MoneyError(
                    "an amount cannot be negative; record a saving with role: saving instead"
                )
            if _EXPONENT.search(value):
                raise MoneyError(
                    f"exponent notation ({_shown(value)!r}) is not accepted for money; "
                    f"write {MONEY_FORMS}"
                )
            raise MoneyError(f"{_shown(value)!r} is not an amount; write {MONEY_FORMS}")
        # At most MAX_WRITTEN digits times a one-digit scale: exact in MONEY_CONTEXT.
        number = Decimal(match["number"].replace(",", ""))
        if match["scale"]:
            number = MONEY_CONTEXT.multiply(number, SCALES[match["scale"].lower()])
        sign = CURRENCY_SIGNS.get(match["sign"] or "")
        named = {c.upper() for c in (sign, match["code"], match["trailing"]) if c}
        if len(named) > 1:
            raise MoneyError(
                f"{_shown(value)!r} names two currencies ({' and '.join(sorted(named))})"
            )
        currency = named.pop() if named else None
    else:
        raise MoneyError(f"expected an amount, got a {type(value).__name__}; write {MONEY_FORMS}")
    if not number.is_finite():
        raise MoneyError("an amount must be a finite number (not NaN or infinity)")
    if number.is_signed() and number != 0:
        raise MoneyError("an amount cannot be negative; record a saving with role: saving instead")
    if number >= MAX_AMOUNT:
        raise MoneyError(f"{_shown(value)} is too large for an amount; the limit is {MAX_AMOUNT:,}")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        pence = number.quantize(PENNY, context=MONEY_CONTEXT)
        if number != pence:
            raise MoneyError(f"{_shown(value)} has more than two decimal places (pence)")
        number = pence
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1), context=MONEY_CONTEXT)
    return number, currency


_RATE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def parse_rate(value: object) -> Decimal:
    """Parse a conversion rate: exact, ASCII digits, within [MIN_RATE, MAX_RATE], few digits.

    The bounds keep a converted amount meaningful and, with the digit limit, keep every product
    of an amount and a rate exact in MONEY_CONTEXT before it is quantised to pence.
    """
    if isinstance(value, bool):
        raise MoneyError(f"expected a rate, got {str(value).lower()}; write {RATE_FORMS}")
    if isinstance(value, float):  # only reachable from Python callers, never from YAML
        raise MoneyError("floats are inexact; write the rate as a string, such as '0.79'")
    if isinstance(value, int):
        rate = Decimal(value)
    elif isinstance(value, Decimal):
        rate = value
    elif isinstance(value, str):
        text = value.strip()
        _refuse_non_ascii(text, "rates")
        if len(text) > MAX_WRITTEN or not _RATE.fullmatch(text):
            if _EXPONENT.search(text):
                raise MoneyError(
                    f"exponent notation ({_shown(text)!r}) is not accepted for a rate; "
                    f"write {RATE_FORMS}"
                )
            raise MoneyError(f"{_shown(text)!r} is not a rate; write {RATE_FORMS}")
        rate = Decimal(text)
    else:
        raise MoneyError(f"expected a rate, got a {type(value).__name__}; write {RATE_FORMS}")
    if not rate.is_finite():
        raise MoneyError(f"a rate must be a finite number, not NaN or infinity; write {RATE_FORMS}")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise MoneyError(
            f"the rate {_plain(rate)} is outside {MIN_RATE} to {MAX_RATE:,}; write {RATE_FORMS}"
        )
    if "E" in str(rate).upper():  # in range, only a written exponent (1.0e+2) shows as one
        raise MoneyError(
            f"exponent notation ({_shown(rate)}) is not accepted for a rate; write {RATE_FORMS}"
        )
    coefficient = rate.as_tuple().digits
    significant = "".join(map(str, coefficient)).strip("0")
    if len(significant) > RATE_DIGITS:
        raise MoneyError(
            f"the rate {_plain(rate)} has {len(significant)} significant digits; at most "
            f"{RATE_DIGITS} are kept exact, so round it as its source does"
        )
    # Trailing zeros (0.7900000...) are dropped, which is exact with so few significant digits.
    return rate.normalize(MONEY_CONTEXT) if len(coefficient) > RATE_DIGITS else rate


def _plain(number: Decimal) -> str:
    """A number without exponent notation where that stays short (9E-7 -> 0.0000009)."""
    return _shown(f"{number:f}" if -40 < number.adjusted() < 40 else number)


def convert(value: Decimal, rate: Decimal) -> Decimal:
    """``value`` times ``rate``, exactly, then to the nearest penny (half up): 4000000 x 0.79."""
    return MONEY_CONTEXT.multiply(value, rate).quantize(PENNY, context=MONEY_CONTEXT)


def money_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts, in MONEY_CONTEXT: never rounded, never in exponent form."""
    total = Decimal(0)
    for value in values:
        total = MONEY_CONTEXT.add(total, value)
    return total


def stated_precision(value: Decimal) -> Decimal:
    """One unit of the last significant digit: 18000000 -> 1000000, 88194.45 -> 0.01."""
    if value == 0:
        return Decimal(1)
    exponent = value.normalize(MONEY_CONTEXT).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent, MONEY_CONTEXT)


class Qualifier(StrEnum):
    """How a figure is stated: exactly, at least, more than, about, or up to."""

    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"
    about = "about"
    up_to = "up_to"


QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.at_least: "at least ",
    Qualifier.more_than: "more than ",
    Qualifier.about: "about ",
    Qualifier.up_to: "up to ",
}


@dataclass(frozen=True)
class Interval:
    """Where a qualified figure (or a sum of them) may lie; ``*_open`` marks a strict bound."""

    lower: Decimal
    central: Decimal
    upper: Decimal
    lower_open: bool = False
    upper_open: bool = False

    def __add__(self, other: Interval) -> Interval:
        add = MONEY_CONTEXT.add
        return Interval(
            add(self.lower, other.lower),
            add(self.central, other.central),
            add(self.upper, other.upper),
            self.lower_open or other.lower_open,
            self.upper_open or other.upper_open,
        )

    @property
    def exact(self) -> bool:
        return self.lower == self.upper and not (self.lower_open or self.upper_open)


ZERO = Interval(Decimal(0), Decimal(0), Decimal(0))


def interval(value: Decimal, qualifier: Qualifier, tolerance: Decimal | None = None) -> Interval:
    """The interval a qualified figure stands for.

    ``tolerance`` defaults to the figure's stated precision. "more than" and "at least" reach up to
    one such unit above the figure: had it been higher, it would have been stated higher.
    "up to" reaches down to zero.
    """
    step = tolerance if tolerance is not None else stated_precision(value)
    above = MONEY_CONTEXT.add(value, step)
    if qualifier is Qualifier.exact:
        return Interval(value, value, value)
    if qualifier is Qualifier.at_least:
        return Interval(value, value, above)
    if qualifier is Qualifier.more_than:
        return Interval(value, value, above, lower_open=True)
    if qualifier is Qualifier.about:
        return Interval(max(MONEY_CONTEXT.subtract(value, step), Decimal(0)), value, above)
    return Interval(Decimal(0), value, value)


def format_gbp(value: Decimal, currency: str = "GBP") -> str:
    """Render an amount exactly, grouped, pence kept only when present: £88,194.45."""
    symbol = {"GBP": "£", "USD": "$", "EUR": "€"}.get(currency)
    text = f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{symbol}{text}" if symbol else f"{currency} {text}"
