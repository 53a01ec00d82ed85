"""Exact money: parsing written amounts into Decimal, stated precision, and qualified intervals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

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
_WRITTEN = re.compile(
    r"""^\s*
    (?P<sign>[£$€])?\s*
    (?P<code>[A-Z]{3})?\s*
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
    \s*(?P<scale>k|thousand|m|mn|million|bn|billion)?
    \s*(?P<trailing>[A-Z]{3})?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)

# Keeps every amount, and sums of many, exact within Decimal's 28 significant digits.
MAX_AMOUNT = Decimal(10) ** 15

MONEY_FORMS = (
    "an integer (77000000), a plain decimal (88194.45), a grouped number in quotes "
    "('77,000,000') or a scaled figure in quotes ('77m', '7.7 million', '675k', '1.2bn')"
)


class MoneyError(ValueError):
    """A written amount that is not accepted, with the reason."""


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
                f"exponent notation ({value}) is not accepted for money; write {MONEY_FORMS}"
            )
        number = value
        currency = None
    elif isinstance(value, float):  # only reachable from Python callers, never from YAML
        raise MoneyError("floats lose pennies; write the amount as a string or an integer")
    elif isinstance(value, str):
        match = _WRITTEN.match(value)
        if not match:
            if value.strip().startswith("-"):
                raise MoneyError(
                    "an amount cannot be negative; record a saving with role: saving instead"
                )
            if re.search(r"\d[eE][+-]?\d", value):
                raise MoneyError(
                    f"exponent notation ({value!r}) is not accepted for money; write {MONEY_FORMS}"
                )
            raise MoneyError(f"{value!r} is not an amount; write {MONEY_FORMS}")
        number = Decimal(match["number"].replace(",", ""))
        if match["scale"]:
            number *= SCALES[match["scale"].lower()]
        sign = CURRENCY_SIGNS.get(match["sign"] or "")
        named = {c.upper() for c in (sign, match["code"], match["trailing"]) if c}
        if len(named) > 1:
            raise MoneyError(f"{value!r} names two currencies ({' and '.join(sorted(named))})")
        currency = named.pop() if named else None
    else:
        raise MoneyError(f"expected an amount, got a {type(value).__name__}; write {MONEY_FORMS}")
    if not number.is_finite():
        raise MoneyError("an amount must be a finite number (not NaN or infinity)")
    if number.is_signed() and number != 0:
        raise MoneyError("an amount cannot be negative; record a saving with role: saving instead")
    if number >= MAX_AMOUNT:
        raise MoneyError(
            f"{str(value)[:40]} is too large for an amount; the limit is {MAX_AMOUNT:,}"
        )
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        if number == number.quantize(Decimal("0.01")):
            number = number.quantize(Decimal("0.01"))
        else:
            raise MoneyError(f"{value} has more than two decimal places (pence)")
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number, currency


def stated_precision(value: Decimal) -> Decimal:
    """One unit of the last significant digit: 18000000 -> 1000000, 88194.45 -> 0.01."""
    if value == 0:
        return Decimal(1)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


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
        return Interval(
            self.lower + other.lower,
            self.central + other.central,
            self.upper + other.upper,
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
    if qualifier is Qualifier.exact:
        return Interval(value, value, value)
    if qualifier is Qualifier.at_least:
        return Interval(value, value, value + step)
    if qualifier is Qualifier.more_than:
        return Interval(value, value, value + step, lower_open=True)
    if qualifier is Qualifier.about:
        return Interval(max(value - step, Decimal(0)), value, value + step)
    return Interval(Decimal(0), value, value)


def format_gbp(value: Decimal, currency: str = "GBP") -> str:
    """Render an amount exactly, grouped, pence kept only when present: £88,194.45."""
    symbol = {"GBP": "£", "USD": "$", "EUR": "€"}.get(currency)
    text = f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{symbol}{text}" if symbol else f"{currency} {text}"
