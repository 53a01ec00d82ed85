"""Each check fires on a small case study broken in exactly one way, at the right place."""

from __future__ import annotations

import json
import os

import pytest

from hls_audit.rules.catalog import BY_CODE, REGISTRY, get_check
from tests.conftest import MINIMAL_RECORDS


def findings(cli, *extra):
    result = cli("check", "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def only(items, code):
    hits = [f for f in items if f["code"] == code]
    assert hits, f"{code} not found in {[f['code'] for f in items]}"
    return hits


def test_codes_are_unique_documented_and_stable():
    codes = [c.code for c in REGISTRY]
    assert len(codes) == len(set(codes))
    assert all(c.summary.endswith(".") and len(c.summary) < 100 for c in REGISTRY)
    assert get_check("hls101") is BY_CODE["HLS101"]
    assert get_check("claim-without-source") is BY_CODE["HLS101"]
    with pytest.raises(KeyError):
        get_check("HLS999")


def test_claim_without_source_is_an_error_in_impact_sections(case, cli):
    case()
    case.edit("    evidence: [E2]\n", "")
    code, items = findings(cli)
    hit = only(items, "HLS101")[0]
    assert code == 1
    assert hit["claim"] == "C3"
    assert hit["location"]["line"] == case.line_of("id: C3")


def test_research_claim_without_reference_is_a_warning(case, cli):
    case()
    case.edit("    evidence: [R1, G1]\n", "")
    code, items = findings(cli)
    assert only(items, "HLS106")[0]["severity"] == "warning"
    assert code == 0
    assert not [f for f in items if f["code"] == "HLS101"]


def test_unknown_source_suggests_the_closest_id(case, cli):
    case()
    case.edit("evidence: [E2]", "evidence: [E20]")
    code, items = findings(cli)
    hit = only(items, "HLS102")[0]
    assert code == 1
    assert "E20" in hit["message"] and "did you mean E2" in hit["hint"]
    assert hit["location"]["line"] == case.line_of("evidence: [E20]")
    assert hit["location"]["yaml_path"] == "claims[2].evidence[0]"


def test_deleting_an_evidence_record_fails_and_names_it(case, cli):
    case()
    os.remove(case.root / "evidence" / "E2.yaml")
    code, items = findings(cli)
    assert code == 1
    assert any(f["code"] == "HLS102" and f["source"] == "E2" for f in items)
    # The headline now rests on an amount whose evidence is gone.
    assert only(items, "HLS403")[0]["message"].count("C3") == 1


@pytest.mark.parametrize("pages", ["p0", "p5-3", "page nine", "pX"])
def test_bad_page_reference(case, cli, pages):
    case()
    case.edit("pages: p2", f"pages: {pages}")
    code, items = findings(cli)
    assert code == 1
    assert only(items, "HLS103")[0]["location"]["line"] == case.line_of(f"pages: {pages}")


def test_page_past_the_recorded_page_count(case, cli):
    records = dict(MINIMAL_RECORDS, E1=MINIMAL_RECORDS["E1"] + "page_count: 1\n")
    case(records=records)
    code, items = findings(cli)
    assert code == 1
    assert "has 1 page(s)" in only(items, "HLS103")[0]["message"]


def test_page_ranges_and_plain_numbers_are_accepted(case, cli):
    case()
    case.edit("pages: p2", "pages: p2-3")
    assert findings(cli) == (0, [])
    case.edit("pages: p2-3", "pages: 7")
    assert findings(cli) == (0, [])


def test_repeated_citation(case, cli):
    case()
    case.edit("evidence: [E2]", "evidence: [E2, E2]")
    _, items = findings(cli)
    assert only(items, "HLS104")[0]["location"]["yaml_path"] == "claims[2].evidence[1]"


def test_money_claim_citing_only_research(case, cli):
    case()
    case.edit("evidence: [E2]", "evidence: [R1]")
    _, items = findings(cli)
    assert only(items, "HLS105")[0]["claim"] == "C3"


def test_missing_document(case, cli):
    records = dict(MINIMAL_RECORDS, E2=MINIMAL_RECORDS["E2"] + "document: docs/report.pdf\n")
    case(records=records)
    code, items = findings(cli)
    hit = only(items, "HLS201")[0]
    assert code == 1
    assert hit["location"]["file"] == "evidence/E2.yaml"
    assert hit["location"]["line"] == 5


def test_document_on_file_is_counted_as_on_file(case, cli):
    records = dict(MINIMAL_RECORDS, E2=MINIMAL_RECORDS["E2"] + "document: docs/report.pdf\n")
    case(records=records, documents={"docs/report.pdf": b"%PDF-1.4\n"})
    result = cli("sources", "--format", "json")
    entry = next(s for s in json.loads(result.stdout)["sources"] if s["id"] == "E2")
    assert entry["level"] == "on-file"


def test_unrecorded_document(case, cli):
    case(documents={"stray.pdf": b"%PDF-1.4\n"})
    code, items = findings(cli)
    assert code == 0
    assert only(items, "HLS202")[0]["location"]["file"] == "evidence/stray.pdf"


def test_uncited_source(case, cli):
    records = dict(MINIMAL_RECORDS, R6="id: R6\nkind: chapter\ntitle: A chapter\ndoi: 10.1/x\n")
    case(records=records)
    code, items = findings(cli)
    assert code == 0
    hit = only(items, "HLS203")[0]
    assert hit["source"] == "R6" and hit["location"]["file"] == "evidence/R6.yaml"


def test_duplicate_claim_id(case, cli):
    case()
    case.edit("  - id: C3\n", "  - id: C2\n")
    code, items = findings(cli)
    assert code == 1
    assert "first at claims.yaml" in only(items, "HLS204")[0]["message"]


def test_duplicate_record_id_across_files(case, cli):
    records = dict(MINIMAL_RECORDS, E2copy=MINIMAL_RECORDS["E2"])
    case(records=records)
    code, items = findings(cli)
    assert code == 1
    assert only(items, "HLS204")
    assert only(items, "HLS206")[0]["location"]["file"] == "evidence/E2copy.yaml"


def test_require_documents_turns_recorded_only_into_errors(case, cli):
    case()
    assert findings(cli)[0] == 0
    code, items = findings(cli, "--require", "documents")
    assert code == 1
    assert {f["source"] for f in only(items, "HLS205")} == {"E1", "E2", "R1"}


def test_untraceable_source(case, cli):
    records = dict(MINIMAL_RECORDS, E2="id: E2\nkind: report\ntitle: Somewhere\n")
    case(records=records)
    _, items = findings(cli)
    assert only(items, "HLS207")[0]["source"] == "E2"


def test_same_as_unknown_record(case, cli):
    records = dict(MINIMAL_RECORDS, E2=MINIMAL_RECORDS["E2"] + "same_as: R9\n")
    case(records=records)
    code, items = findings(cli)
    assert code == 1 and only(items, "HLS208")


def test_parts_of_a_source_are_cited_through_the_parent(case, cli):
    records = dict(MINIMAL_RECORDS)
    records["E5a"] = "id: E5a\nkind: tender\ntitle: Tender\npart_of: E5\nheld_by: council\n"
    records["E5b"] = "id: E5b\nkind: case-study\ntitle: Study\npart_of: E5\nheld_by: council\n"
    case(records=records)
    case.edit("evidence: [E2]", "evidence: [E2, E5]")
    assert findings(cli) == (0, [])


def test_part_of_unknown_claim(case, cli):
    case()
    case.edit("part_of: C2", "part_of: C9")
    code, items = findings(cli)
    assert code == 1
    assert only(items, "HLS301")[0]["location"]["yaml_path"] == "claims[3].amount.part_of"


def test_part_of_cycle(case, cli):
    case()
    case.edit(
        'amount: {role: counted, value: 7000000, stated: "£7m"}',
        "amount: {role: part, value: 7000000, part_of: C4}",
    )
    code, items = findings(cli)
    assert code == 1
    assert (
        "C2 → C4 → C2" in only(items, "HLS302")[0]["message"]
        or "C4 → C2 → C4" in (only(items, "HLS302")[0]["message"])
    )


def test_parts_exceeding_their_whole(case, cli):
    case()
    case.edit("value: 500000, part_of: C2", "value: 8000000, part_of: C2")
    code, items = findings(cli)
    assert code == 1
    assert "£8,000,000" in only(items, "HLS303")[0]["message"]


def test_part_without_part_of(case, cli):
    case()
    case.edit(", part_of: C2", "")
    code, items = findings(cli)
    assert code == 1 and only(items, "HLS304")


def test_foreign_currency_without_conversion(case, cli):
    case()
    case.edit("value: 4000000, stated", "value: 4000000, currency: USD, stated")
    code, items = findings(cli)
    assert code == 1 and only(items, "HLS305")


def test_foreign_currency_with_conversion_is_counted_exactly(case, cli):
    case()
    case.edit(
        "value: 4000000, stated",
        "value: 4000000, currency: USD, conversion: {rate: 0.79, source: 'ONS 2019'}, stated",
    )
    result = cli("totals", "--format", "json")
    line = next(a for a in json.loads(result.stdout)["amounts"] if a["claim"] == "C3")
    assert line["value_gbp"] == "3160000.00"
    assert line["counted"] is True


def test_recurring_amount_counted(case, cli):
    case()
    case.edit("value: 4000000, stated", "value: 4000000, per: year, stated")
    code, items = findings(cli)
    assert code == 1 and only(items, "HLS306")


def test_counted_amount_naming_a_missing_headline(case, cli):
    case()
    case.edit("value: 4000000, stated", "value: 4000000, headline: H9, stated")
    code, items = findings(cli)
    assert code == 1 and only(items, "HLS307")


def test_unquantified_amount_is_reported_not_dropped(case, cli):
    case()
    case.edit(
        "amount: {role: part, value: 500000, part_of: C2}",
        "amount: {role: unquantified, stated: tens of millions of pounds}",
    )
    code, items = findings(cli)
    assert code == 0
    assert "tens of millions" in only(items, "HLS308")[0]["message"]


def test_headline_not_proven_names_the_break_even(case, cli):
    case()
    case.edit('value: 4000000, stated: "£4m"', 'value: 3000000, qualifier: about, stated: "~£3m"')
    case.edit("value: 10000000", "value: 9500000")
    code, items = findings(cli)
    hit = only(items, "HLS401")[0]
    assert code == 0
    assert "holds only if C3 (~£3m) is more than £2,500,000" in hit["message"]
    assert hit["location"]["line"] == case.line_of("- id: H1")


def test_shrinking_a_counted_amount_below_the_headline_fails(case, cli):
    case()
    case.edit("value: 7000000, stated", "value: 5000000, stated")
    code, items = findings(cli)
    assert code == 1
    assert "£1,000,000 short" in only(items, "HLS402")[0]["message"]


def test_headline_without_counted_amounts(case, cli):
    case()
    case.edit("role: counted, value: 7000000", "role: context, value: 7000000")
    case.edit("role: counted, value: 4000000", "role: saving, value: 4000000")
    code, items = findings(cli)
    assert code == 1 and only(items, "HLS404")


def test_fail_on_warning_turns_warnings_into_exit_1(case, cli):
    records = dict(MINIMAL_RECORDS, R6="id: R6\nkind: chapter\ntitle: A chapter\ndoi: 10.1/x\n")
    case(records=records)
    assert cli("check").exit_code == 0
    assert cli("check", "--fail-on", "warning").exit_code == 1
