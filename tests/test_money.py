"""Money is exact: parsing written amounts, stated precision, intervals and headline verdicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hls_audit.analysis.reconcile import FAILED, NOT_PROVEN, PROVEN, judge
from hls_audit.core.model import Headline
from hls_audit.core.money import (
    Interval,
    MoneyError,
    Qualifier,
    format_gbp,
    interval,
    parse_money,
    stated_precision,
)

D = Decimal


@pytest.mark.parametrize(
    ("written", "value", "currency"),
    [
        (77000000, D("77000000"), None),
        ("77,000,000", D("77000000"), None),
        ("£77m", D("77000000"), "GBP"),
        ("GBP 7.7 million", D("7700000"), "GBP"),
        ("675k", D("675000"), None),
        ("1.2bn", D("1200000000"), None),
        ("88194.45", D("88194.45"), None),
        (D("88194.45"), D("88194.45"), None),
        ("5 GBP", D("5"), "GBP"),
    ],
)
def test_accepted_forms_are_exact(written, value, currency):
    parsed, named = parse_money(written)
    assert parsed == value and named == currency
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("7.7e7", "exponent"),
        (D("7.7E+7"), "exponent"),
        (-5, "negative"),
        ("-5", "negative"),
        (D("NaN"), "finite"),
        (D("Infinity"), "finite"),
        (True, "got true"),
        (7.7, "floats"),
        ("£5 USD", "two currencies"),
        (D("1.005"), "two decimal places"),
        ("seventy", "not an amount"),
    ],
)
def test_refused_forms_say_why(written, reason):
    with pytest.raises(MoneyError, match=reason):
        parse_money(written)


def test_stated_precision_is_one_unit_of_the_last_significant_digit():
    assert stated_precision(D("18000000")) == D("1000000")
    assert stated_precision(D("7700000")) == D("100000")
    assert stated_precision(D("60000000")) == D("10000000")
    assert stated_precision(D("88194.45")) == D("0.01")


def test_intervals_by_qualifier():
    assert interval(D(18), Qualifier.about) == Interval(D(17), D(18), D(19))
    assert interval(D(18), Qualifier.about, D("0.5")) == Interval(D("17.5"), D(18), D("18.5"))
    assert interval(D(60), Qualifier.more_than) == Interval(D(60), D(60), D(70), lower_open=True)
    assert interval(D(60), Qualifier.at_least) == Interval(D(60), D(60), D(70))
    assert interval(D(5), Qualifier.up_to) == Interval(D(0), D(5), D(5))
    assert interval(D(5), Qualifier.exact).exact


def _headline(relation: str, value: str) -> Headline:
    return Headline(id="H", statement="s", relation=relation, value=value)


@pytest.mark.parametrize(
    ("relation", "total", "verdict"),
    [
        ("more_than", Interval(D(170), D(170), D(170)), PROVEN),
        ("more_than", Interval(D(169), D(169), D(171), lower_open=True), PROVEN),
        ("more_than", Interval(D(169), D(169), D(169)), FAILED),
        ("more_than", Interval(D(168), D(170), D(172)), NOT_PROVEN),
        ("more_than", Interval(D(160), D(165), D(168)), FAILED),
        ("at_least", Interval(D(169), D(169), D(169)), PROVEN),
        ("exact", Interval(D(169), D(169), D(169)), PROVEN),
        ("exact", Interval(D(168), D(169), D(170)), NOT_PROVEN),
        ("exact", Interval(D(170), D(170), D(171)), FAILED),
        ("up_to", Interval(D(100), D(150), D(169)), PROVEN),
        ("up_to", Interval(D(170), D(170), D(170)), FAILED),
        ("about", Interval(D("168.6"), D(169), D("169.4")), PROVEN),
        ("about", Interval(D(100), D(100), D(100)), FAILED),
    ],
)
def test_headline_verdicts(relation, total, verdict):
    assert judge(total, _headline(relation, "169")) == verdict


def test_the_bundled_headline_arithmetic_is_exact():
    parts = [
        interval(D("77000000"), Qualifier.exact),
        interval(D("1500000"), Qualifier.exact),
        interval(D("60000000"), Qualifier.more_than),
        interval(D("7700000"), Qualifier.exact),
        interval(D("5000000"), Qualifier.exact),
        interval(D("18000000"), Qualifier.about),
    ]
    total = sum(parts[1:], parts[0])
    assert total.central == D("169200000")
    assert judge(total, _headline("more_than", "169000000")) == NOT_PROVEN


def test_format_keeps_pence_only_when_present():
    assert format_gbp(D("88194.45")) == "£88,194.45"
    assert format_gbp(D("169200000")) == "£169,200,000"
    assert format_gbp(D("5"), "USD") == "$5"
    assert format_gbp(D("5"), "CHF") == "CHF 5"
