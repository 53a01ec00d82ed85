"""Limits on what money may be, and checks that stay linear on the worst-shaped claims files.

The worst shapes (a 3,000-long part_of loop and chain, 20,000 claims citing one source, many
counted amounts, many headlines, thousands of unknown ids) used to take minutes: the checks
walked lists inside loops over the claims. Nothing here is timed; each test asserts the findings
such a file must give, and would simply not finish in any sensible time if a check went back to
being quadratic or cubic. `benchmarks/worst_case.py` times the same shapes at the 5 MiB limit.

The large case studies are built in memory (the model validates them as it does a loaded file)
so that the suite does not spend its time parsing YAML; the limits are tested through the
command line, where an input error must be exit 2 with file:line:col and a hint.
"""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from typing import Any

import pytest
import yaml

from hls_audit.analysis.evidence import build_register
from hls_audit.core.model import ClaimsFile
from hls_audit.core.money import (
    MAX_AMOUNT,
    MoneyError,
    convert,
    money_sum,
    parse_money,
    parse_rate,
)
from hls_audit.engine.audit import audit
from hls_audit.engine.findings import Report
from hls_audit.io.load import CaseStudy, load_case_study
from hls_audit.io.yaml_source import YamlDocument, _construct_decimal
from hls_audit.narrative.money import find_money
from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, CaseWriter, Result

# --- helpers -------------------------------------------------------------------------------------

CASE_STUDY = {
    "title": "A worst-shaped case study",
    "institution": "Example University",
    "unit": {"number": 17, "name": "Business and Management Studies"},
    "research_period": {"start": "2018", "end": "2020"},
    "impact_period": {"start": "2019", "end": "2020"},
}
ONE_HEADLINE = [{"id": "H1", "statement": "T.", "relation": "more_than", "value": 1}]


def claim(index: int, amount: dict[str, Any] | None = None, evidence: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": f"C{index}",
        "section": "4",
        "statement": f"Claim {index}.",
        "evidence": ["E1"] if evidence is None else evidence,
    }
    if amount is not None:
        out["amount"] = amount
    return out


def in_memory(
    case: CaseWriter,
    claims: list[dict[str, Any]],
    headlines: list[dict[str, Any]] | None = None,
    grants: list[dict[str, Any]] | None = None,
    records: dict[str, str] | None = None,
    **extra: Any,
) -> CaseStudy:
    """The minimal case study's evidence folder (or these records), with these claims.

    The claims file is validated by the same model as a loaded one; it has no positions, so
    findings name their place by YAML path (claims[12].amount.part_of) only.
    """
    loaded = load_case_study(case(records=records))
    data = {
        "version": 1,
        "case_study": CASE_STUDY,
        "headlines": ONE_HEADLINE if headlines is None else headlines,
        "grants": grants or [],
        "claims": claims,
        **extra,
    }
    document = YamlDocument(loaded.claims_document.path, data, {})
    return dataclasses.replace(
        loaded, claims_document=document, data=ClaimsFile.model_validate(data)
    )


def codes(report: Report, code: str) -> list[Any]:
    return [f for f in report.findings if f.code == code]


def refused(result: Result, where: str, *fragments: str) -> str:
    """Exit 2, no traceback, `where: error: …` first on stderr with a hint under it."""
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    first = next(i for i, line in enumerate(lines) if re.search(r": error HLS0\d\d: ", line))
    assert re.match(rf"{re.escape(where)}: error HLS0\d\d: ", lines[first]), lines[first]
    assert lines[first + 1].startswith("  hint: ") and lines[first + 1].strip() != "hint:"
    for fragment in fragments:
        assert fragment in lines[first], lines[first]
    return lines[first]


def position(case: CaseWriter, needle: str, token: str, skip: int = 0) -> str:
    """`claims.yaml:line:col` of `token` (then `skip` characters on) on the line with `needle`."""
    for number, line in enumerate((case.root / "claims.yaml").read_text().splitlines(), start=1):
        if needle in line:
            return f"claims.yaml:{number}:{line.index(token) + skip + 1}"
    raise AssertionError(f"{needle!r} not in claims.yaml")


def totals_json(cli: Any) -> dict[str, Any]:
    result = cli("totals", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def amount_of(data: dict[str, Any], claim_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in data["amounts"] if a["claim"] == claim_id)
    return found


# --- 1. linear checks on worst-shaped inputs -----------------------------------------------------

LONG = 3_000


def test_a_3000_long_part_of_loop_is_reported_once_from_its_first_claim(case):
    loop = [
        claim(i, {"role": "part", "value": 1, "part_of": f"C{(i + 1) % LONG}"}) for i in range(LONG)
    ]
    report = audit(in_memory(case, loop))
    hits = codes(report, "HLS302")
    assert len(hits) == 1
    ids = [f"C{i}" for i in range(LONG)]
    assert hits[0].message == "part_of forms a loop: " + " → ".join([*ids, "C0"])
    assert hits[0].claim == "C0"
    assert hits[0].location.yaml_path == "claims[0].amount.part_of"


def test_loops_are_told_from_their_first_claim_in_the_file_and_tails_are_no_loops(case):
    claims = [
        # a tail into the first loop, listed before it: not a loop of its own
        claim(0, {"role": "part", "value": 1, "part_of": "C3"}),
        # the loop C2 → C3 → C1 → C2 is entered at C3 but told from C1, first in the file
        claim(1, {"role": "part", "value": 1, "part_of": "C2"}),
        claim(2, {"role": "part", "value": 1, "part_of": "C3"}),
        claim(3, {"role": "part", "value": 1, "part_of": "C1"}),
        claim(4, {"role": "part", "value": 1, "part_of": "C4"}),  # a part of itself
        claim(5, {"role": "counted", "value": 5}),
        claim(6, {"role": "part", "value": 1, "part_of": "C5"}),  # a plain part: no loop
    ]
    hits = codes(audit(in_memory(case, claims)), "HLS302")
    assert [(h.message, h.location.yaml_path) for h in hits] == [
        ("part_of forms a loop: C1 → C2 → C3 → C1", "claims[1].amount.part_of"),
        ("part_of forms a loop: C4 → C4", "claims[4].amount.part_of"),
    ]


def test_a_3000_long_part_of_chain_is_no_loop(case):
    chain = [claim(0, {"role": "counted", "value": 2})] + [
        claim(i, {"role": "part", "value": 1, "part_of": f"C{i - 1}"}) for i in range(1, LONG)
    ]
    report = audit(in_memory(case, chain))
    assert not [f for f in report.findings if f.code in ("HLS301", "HLS302", "HLS303", "HLS304")]
    (rec,) = report.reconciliations
    assert [line.claim for line in rec.included] == ["C0"]
    assert len(rec.excluded) == LONG - 1


def test_20000_claims_citing_e1_are_each_noted_once(case):
    many = 20_000
    claims = [
        claim(i, evidence=["E1", "E1"] if i % 2 else ["E1", {"source": "E1", "pages": "p2"}])
        for i in range(many)
    ]
    report = audit(in_memory(case, claims))
    entry = report.register.entries["E1"]
    assert entry.cited_by == [f"C{i}" for i in range(many)]
    assert len(codes(report, "HLS104")) == many // 2  # [E1, E1]: the same source twice
    assert not codes(report, "HLS102")
    assert [f.source for f in codes(report, "HLS203")] == ["E2", "R1"]  # cited by no claim


def test_a_group_cited_by_many_claims_notes_each_claim_once_on_each_part(case):
    parts = {
        part: f"id: {part}\nkind: report\ntitle: Part\npart_of: E5\nheld_by: the team\n"
        for part in ("E5a", "E5b")
    }
    claims = [claim(i, evidence=["E5", "E5a"] if i % 3 else ["E5"]) for i in range(6_000)]
    register = build_register(in_memory(case, claims, records=MINIMAL_RECORDS | parts))
    everyone = [f"C{i}" for i in range(6_000)]
    assert register.entries["E5"].cited_by == everyone
    assert register.entries["E5a"].cited_by == everyone
    assert register.entries["E5b"].cited_by == everyone


def test_10000_counted_pennies_add_up_to_exactly_100_pounds(case):
    pennies = [claim(i, {"role": "counted", "value": "0.01"}) for i in range(10_000)]
    headline = [{"id": "H1", "statement": "£100.", "relation": "exact", "value": 100}]
    (rec,) = audit(in_memory(case, pennies, headline)).reconciliations
    assert str(rec.total.lower) == str(rec.total.central) == str(rec.total.upper) == "100.00"
    assert rec.verdict == "proven"
    assert str(rec.margin) == "0.00"


def test_many_counted_approximate_amounts_give_the_break_even_in_full_pounds(case):
    many = 20_000
    amounts = [
        claim(i, {"role": "counted", "value": 19_000, "qualifier": "about" if i % 2 else "exact"})
        for i in range(many)
    ]
    total = 19_000 * many
    headline = [{"id": "H1", "statement": "T.", "relation": "more_than", "value": total}]
    report = audit(in_memory(case, amounts, headline))
    (rec,) = report.reconciliations
    assert rec.verdict == "not proven"
    assert len(rec.included) == many and not rec.excluded
    assert str(rec.total.central) == str(total)
    # each 'about £19,000' reaches down to £18,000: the exact half is known, the rest must reach
    assert rec.break_even.startswith("holds only if C1 (about £19,000), C3 (about £19,000), ")
    assert rec.break_even.endswith(
        f"together come to more than £{total // 2:,}; their stated ranges start at "
        f"£{18_000 * many // 2:,}"
    )
    assert len(codes(report, "HLS401")) == 1


def test_thousands_of_amounts_in_another_currency_are_each_located(case):
    many = 10_000
    amounts = [
        claim(
            i,
            {"role": "counted", "value": 100, "currency": "USD"}
            | ({} if i % 2 else {"conversion": {"rate": "0.79", "source": "ONS"}}),
        )
        for i in range(many)
    ]
    report = audit(in_memory(case, amounts))
    hits = codes(report, "HLS305")
    assert len(hits) == many // 2
    assert sorted(h.location.yaml_path for h in hits) == sorted(
        f"claims[{i}].amount.currency" for i in range(1, many, 2)
    )
    (rec,) = report.reconciliations
    assert str(rec.total.central) == f"{79 * many // 2}.00"


def test_as_many_headlines_as_amounts_each_reconcile_their_own(case):
    many = 5_000
    heads = [
        {"id": f"H{i}", "statement": "T.", "relation": "at_least", "value": i + 1}
        for i in range(many)
    ]
    amounts = [
        claim(i, {"role": "counted", "value": i + 1, "headline": f"H{i}"}) for i in range(many)
    ]
    amounts.append(claim(many, {"role": "context", "value": 5}))
    report = audit(in_memory(case, amounts, heads))
    assert len(report.reconciliations) == many
    for i, rec in enumerate(report.reconciliations):
        assert [line.claim for line in rec.included] == [f"C{i}"]
        assert rec.verdict == "proven"
        assert [line.claim for line in rec.excluded] == [f"C{many}"]
    assert not codes(report, "HLS307") and not codes(report, "HLS404")


def test_thousands_of_unknown_ids_and_uncited_grants_are_all_reported(case):
    many = 5_000
    grants = [
        {
            "id": f"G{i}",
            "funder": "F",
            "principal_investigator": "P",
            "period": {"start": "2018"},
            "value": 1,
        }
        for i in range(1, many + 1)
    ]
    claims = [claim(i, evidence=[f"X{i}"]) for i in range(many)]
    report = audit(in_memory(case, claims, grants=grants))
    unknown = codes(report, "HLS102")
    assert sorted(f.source for f in unknown) == sorted(f"X{i}" for i in range(many))
    assert all("add evidence/X" in f.hint for f in unknown)
    uncited = {f.source: f.location.yaml_path for f in codes(report, "HLS203")}
    assert all(uncited[f"G{i}"] == f"grants[{i - 1}]" for i in range(1, many + 1))


def test_an_unknown_id_still_gets_its_suggestion(case, cli):
    case()
    case.edit("evidence: [E2]", "evidence: [E20]")
    result = cli("check", "--format", "json")
    (hit,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "HLS102"]
    assert hit["hint"].startswith("did you mean E2?")


def test_a_long_staff_list_is_matched_to_the_reference_authors(case):
    reference = (
        'id: R1\nkind: article\ntitle: The article\nauthors: ["Lowe, T.", B. Other]\n'
        'date: "2016"\ndoi: 10.1000/xyz\n'
    )
    staff = [
        {"name": f"Person{i} Surname{i}", "role": "Lecturer", "employed": {"start": "2015"}}
        for i in range(20_000)
    ]
    staff.append({"name": "Toby Lowe", "role": "Reader", "employed": {"start": "2018-11-01"}})
    info = CASE_STUDY | {"staff": staff}
    claims = [claim(0, evidence=["R1", "E2"])]
    records = MINIMAL_RECORDS | {"R1": reference}
    built = in_memory(case, claims, records=records, profile="ref2021", case_study=info)
    (hit,) = codes(audit(built), "HLS808")
    assert hit.message == (
        "R1 is dated 2016, but none of its staff authors (Toby Lowe) was employed in 2016"
    )


# --- 2. rates, converted amounts and exact totals ------------------------------------------------

USD = "value: 4000000, currency: USD, conversion: {{rate: {rate}, source: 'ONS 2019'}}, stated"


@pytest.mark.parametrize(
    ("rate", "fragment"),
    [
        ('"1e400"', "exponent notation"),
        ("1.0e+2", "exponent notation"),
        ('"1000001"', "outside 0.000001 to 1,000,000"),
        ('"0.0000009"', "the rate 0.0000009 is outside"),
        ("0", "outside"),
        ('"1.23456789012"', "12 significant digits"),
        ('"NaN"', "is not a rate"),
        ('"0,79"', "is not a rate"),
        ("true", "expected a rate, got true"),
    ],
)
def test_a_rate_outside_its_bounds_is_refused_at_its_place(case, cli, rate, fragment):
    case()
    case.edit("value: 4000000, stated", USD.format(rate=rate))
    refused(cli("check"), position(case, "currency: USD", f"rate: {rate}", 6), fragment)


def test_a_converted_amount_over_the_limit_is_refused_at_the_conversion(case, cli):
    case()
    case.edit(
        "value: 4000000, stated",
        "value: 10000000000, currency: USD, conversion: {rate: 999999, source: X}, stated",
    )
    line = refused(
        cli("check"),
        position(case, "currency: USD", "{rate"),
        "the value 10,000,000,000 USD at the rate 999999 comes to 9,999,990,000,000,000.00 GBP",
        f"over the limit of {MAX_AMOUNT:,}",
    )
    assert "E+" not in line


def test_a_converted_tolerance_over_the_limit_is_refused_too(case, cli):
    case()
    case.edit(
        "value: 4000000, stated",
        "value: 4000000, currency: USD, qualifier: about, tolerance: 999999999999,"
        " conversion: {rate: 2000, source: X}, stated",
    )
    refused(cli("check"), position(case, "currency: USD", "{rate"), "the tolerance")


def test_the_largest_rate_within_bounds_is_exact_to_the_penny(case, cli):
    case()
    case.edit(
        "value: 4000000, stated",
        "value: 999999999.99, currency: USD, conversion: {rate: '999999', source: X}, stated",
    )
    data = totals_json(cli)
    assert amount_of(data, "C3")["value_gbp"] == "999998999990000.01"
    (headline,) = data["headlines"]
    assert headline["total"]["central"] == "999999006990000.01"  # with C2's £7m: no digit lost


def test_conversions_are_quantised_to_pence_and_never_shown_with_an_exponent(case, cli):
    case()
    case.edit(
        "value: 4000000, stated",
        "value: 0.01, currency: USD, conversion: {rate: '0.000001', source: X}, stated",
    )
    result = cli("totals", "--format", "json")
    assert "E+" not in result.stdout and "E-" not in result.stdout
    data = json.loads(result.stdout)
    assert amount_of(data, "C3")["value_gbp"] == "0.00"  # was 1E-8
    assert amount_of(data, "C3")["interval"]["central"] == "0.00"


def test_a_rate_with_a_tolerance_converts_both(case, cli):
    case()
    case.edit(
        "value: 4000000, stated",
        "value: 4000000, currency: USD, qualifier: about, tolerance: 100000,"
        " conversion: {rate: '0.79', source: X}, stated",
    )
    span = amount_of(totals_json(cli), "C3")["interval"]
    assert (span["lower"], span["central"], span["upper"]) == (
        "3081000.00",
        "3160000.00",
        "3239000.00",
    )


def test_money_arithmetic_is_exact():
    assert money_sum([Decimal("0.01")] * 10_000) == Decimal("100.00")
    assert str(money_sum([Decimal("0.01")] * 10_000)) == "100.00"
    assert str(money_sum([Decimal("999999999999999.99")] * 1000)) == "999999999999999990.00"
    assert str(convert(Decimal("999999999999999"), Decimal("0.999999"))) == "999998999999999.00"
    assert str(convert(Decimal("0.01"), Decimal("0.5"))) == "0.01"  # half a penny rounds up
    assert str(convert(Decimal(5), Decimal("1000000"))) == "5000000.00"
    assert parse_rate("0.79000000000000000000") == Decimal("0.79")
    with pytest.raises(MoneyError, match="significant digits"):
        parse_rate("99999999999999999999")


# --- 3. ASCII digits only ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "token", "named"),
    [
        (
            'value: 7000000, stated: "£7m"',
            'value: "\uff17\uff17m", stated: "£7m"',
            '"\uff17',
            "U+FF17",
        ),
        ('value: 7000000, stated: "£7m"', 'value: \u0667\u0667, stated: "£7m"', "\u0667", "U+0667"),
        ("value: 88194.45", 'value: "88,\u066194.45"', '"88', "U+0661"),
        ("    value: 10000000\n", '    value: "£\uff110m"\n', '"£', "U+FF11"),
    ],
    ids=["full-width", "arabic-indic-plain", "grant-value", "headline"],
)
def test_an_amount_with_non_ascii_digits_is_refused_naming_the_character(
    case, cli, old, new, token, named
):
    case()
    case.edit(old, new)
    needle = new.strip().split(",")[0]
    refused(cli("check"), position(case, needle, token), named, "not an ASCII digit")


def test_a_rate_or_figure_with_non_ascii_digits_is_refused(case, cli):
    case()
    case.edit("value: 4000000, stated", USD.format(rate='"\u0660.\u0667\u0669"'))
    refused(
        cli("check"), position(case, "currency: USD", '"\u0660'), "U+0660", "not an ASCII digit"
    )
    case.edit(USD.format(rate='"\u0660.\u0667\u0669"'), "value: 4000000, stated")
    case.edit(
        'stated: "£4m"}', 'stated: "£4m"}\n    figure: {value: "\u0665\u0660", unit: percent}'
    )
    refused(cli("check"), position(case, "figure:", '"\u0665'), "U+0665")


def test_parse_money_reads_ascii_digits_only():
    for written in (
        "\uff17\uff17m",
        "\u0667\u0667",
        "£\u0667.\u0667m",
        "1.\u0665m",
        "\u096d",
        "77",
    ):
        if written == "77":
            assert parse_money(written) == (Decimal(77), None)
            continue
        with pytest.raises(MoneyError, match="not an ASCII digit"):
            parse_money(written)
    # letters that IGNORECASE would fold to ASCII (the long s, the Kelvin sign) are not codes
    with pytest.raises(MoneyError, match="not an amount"):
        parse_money("U\u017fD 5")
    with pytest.raises(MoneyError, match="not an amount"):
        parse_money("675\u212a")
    assert parse_money("£\u00a077m") == (Decimal(77_000_000), "GBP")  # a no-break space is fine


def test_a_long_written_amount_is_refused_without_backtracking():
    with pytest.raises(MoneyError, match="is not an amount"):
        parse_money("£" + " " * 200_000 + "x")
    with pytest.raises(MoneyError, match="is not an amount") as caught:
        parse_money("1" * 100_000 + "m")
    assert len(str(caught.value)) < 400  # the value is quoted cut short


def test_a_yaml_float_with_non_ascii_text_stays_text_for_the_model_to_refuse():
    loader = yaml.SafeLoader("")
    try:
        node = yaml.ScalarNode("tag:yaml.org,2002:float", "\u0667.\u0665")
        assert _construct_decimal(loader, node) == "\u0667.\u0665"
        assert _construct_decimal(loader, yaml.ScalarNode(node.tag, "7.5")) == Decimal("7.5")
    finally:
        loader.dispose()


def test_the_narrative_reads_figures_in_ascii_digits_only():
    assert [
        m.value
        for m in find_money("budgets of £77m and £\uff17\uff17m and £\u0667\u0667m and £\u066777m")
    ] == [Decimal(77_000_000)]
    (long,) = find_money("£" + "1" * 40)  # more digits than Decimal's default context
    assert long.value == Decimal("1" * 40)


# --- 4. the expiry of a suppression is a date --------------------------------------------------

SUPPRESS = '[[suppress]]\ncode = "HLS203"\nsource = "E2"\nreason = "Kept for the panel"\n'


@pytest.mark.parametrize(
    ("expires", "fragment"),
    [
        ("4102444800", "expected a date, got the number 4102444800"),
        ('"4102444800"', "'4102444800' is not a date"),
        ("2030-01-31T00:00:00", "is a date and time"),
        ('"2030-02-30"', "'2030-02-30' is not a real date"),
        ("true", "expected a date, got true or false"),
    ],
)
def test_an_expiry_that_is_not_a_date_is_refused(case, cli, expires, fragment):
    case()
    case.edit("evidence: [E2]", "evidence: [E1]")
    (case.root / "hls-audit.toml").write_text(SUPPRESS + f"expires = {expires}\n")
    line = refused(cli("check"), "hls-audit.toml:5:1", fragment)
    assert "TOML date" in line


@pytest.mark.parametrize("expires", ["2999-12-31", '"2999-12-31"'])
def test_an_expiry_as_a_toml_date_or_iso_text_is_accepted(case, cli, expires):
    case()
    case.edit("evidence: [E2]", "evidence: [E1]")
    (case.root / "hls-audit.toml").write_text(SUPPRESS + f"expires = {expires}\n")
    result = cli("check", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    hits = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "HLS203"]
    assert [f["suppressed"] for f in hits if f["source"] == "E2"] == ["Kept for the panel"]
    assert not [f for f in json.loads(result.stdout)["findings"] if f["code"] == "HLS501"]


def test_the_minimal_case_study_keeps_its_totals_in_whole_pounds(case, cli):
    """Sums in the wider context keep the form of their terms: no pence appear from nowhere."""
    case(MINIMAL_CLAIMS)
    data = totals_json(cli)
    assert amount_of(data, "C2")["value_gbp"] == "7000000"
    (headline,) = data["headlines"]
    assert headline["total"] == {
        "lower": "11000000",
        "lower_open": False,
        "central": "11000000",
        "upper": "11000000",
        "upper_open": False,
    }
