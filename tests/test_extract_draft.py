"""extract drafts cautiously: roles from each figure's clause, parts, restatements, reviewed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from hls_audit.narrative.analysis import parse_narrative
from hls_audit.narrative.extract import claims_yaml, draft, record_stub
from hls_audit.profiles import template_for
from tests.conftest import ORIGINAL_TEXT

HEAD = """\
Institution: Example University
Unit of Assessment: 17 (Business and Management Studies)
Title of case study: A drafted case study
Period when the underpinning research was undertaken: 2015 - 2019
Period when the claimed impact occurred: 2016 - 2020

1. Summary of the impact

More than £12m of county money is now allocated the new way.

2. Underpinning research

The team developed the approach [R1], funded by a £300,000 research grant [G1].

3. References to the research

R1. A. Writer (2018) An invented article. https://doi.org/10.1234/invented.1

Research Funding

G1. PI, A. Writer, A Council, Jan 2015 – Dec 2018, GBP300,000

4. Details of the impact

"""
SOURCES = """
5. Sources to corroborate the impact

E1\tLetter from the county
E2\tReport of the trust https://example.org/report
"""


def drafted(details: str, template: str | None = None) -> dict[str, Any]:
    text = HEAD + details + SOURCES
    data, _ = draft(parse_narrative(text, "case.txt", template_for(template)), "case.txt")
    return data


def amounts(data: dict[str, Any], research: bool = False) -> dict[int, dict[str, Any]]:
    """Value -> amount of the drafted claims (of section 4 only unless ``research``)."""
    return {
        c["amount"]["value"]: c["amount"]
        for c in data["claims"]
        if "value" in c["amount"] and (research or not c["section"].startswith("2"))
    }


def test_a_budget_allocated_under_the_approach_is_counted_with_its_reason():
    amount = amounts(drafted("The county allocated a £12m budget under the approach [E1].\n"))
    assert amount[12000000]["role"] == "counted"
    assert "'allocated'" in amount[12000000]["note"] and "section 4" in amount[12000000]["note"]


def test_a_market_size_is_context():
    data = drafted(
        "The approach reached a market worth £400m [E2]. The county allocated £3m to it [E1].\n"
    )
    assert amounts(data)[400000000]["role"] == "context"
    assert amounts(data)[3000000]["role"] == "counted"


def test_turnover_and_sales_are_context():
    data = drafted("The firm's turnover rose to £20m and its sales to £8m [E2].\n")
    assert {a["role"] for a in amounts(data).values()} == {"context"}


def test_savings_are_savings():
    data = drafted(
        "The county saved £2m [E1]. The trust reduced costs by £400,000 [E2]. "
        "Savings of £90,000 followed [E2].\n"
    )
    roles = {v: a["role"] for v, a in amounts(data).items()}
    assert roles == {2000000: "saving", 400000: "saving", 90000: "saving"}


def test_an_annual_figure_is_context():
    amount = amounts(drafted("The county gives £6m in grants each year [E1].\n"))[6000000]
    assert amount["role"] == "context" and amount["per"] == "year"


def test_a_figure_with_nothing_to_tie_it_to_funding_is_context():
    amount = amounts(drafted("The work touched £9m [E1].\n"))[9000000]
    assert amount["role"] == "context" and "nothing" in amount["note"]


def test_a_research_grant_is_never_counted():
    data = drafted("The team then won £500,000 of ESRC research funding [G1].\n")
    assert amounts(data)[500000]["role"] == "grant"
    assert amounts(data, research=True)[300000]["role"] == "grant"  # section 2


def test_one_example_contract_is_a_part_of_the_larger_award():
    data = drafted(
        "The county was awarded £8m to pilot the approach [E1]. It changed how it buys.\n"
        "One example is the outreach service, a £450,000 contract [E1].\n".replace(
            ".\nOne", ". One"
        )
    )
    claims = {c["amount"]["value"]: c for c in data["claims"]}
    part = claims[450000]["amount"]
    assert part["role"] == "part" and part["part_of"] == claims[8000000]["id"]
    assert part["note"].startswith(f"part of {claims[8000000]['id']}: 'One example'")


def test_the_initial_million_of_a_budget_is_a_part():
    data = drafted(
        "The trust will run the inquiry over ten years with a budget of £4m [E2]. "
        "The initial £1m investment has already changed practice [E2].\n"
    )
    claims = {c["amount"]["value"]: c for c in data["claims"]}
    assert claims[4000000]["amount"]["role"] == "counted"
    assert claims[1000000]["amount"]["role"] == "part"
    assert claims[1000000]["amount"]["part_of"] == claims[4000000]["id"]


def test_a_smaller_figure_without_a_cue_is_not_a_part():
    data = drafted("The county allocated £8m [E1]. The trust distributed £2m in grants [E2].\n")
    assert {a["role"] for a in amounts(data).values()} == {"counted"}


def test_a_restated_figure_is_one_claim():
    data = drafted(
        "The county allocated £5m under the approach [E1].\n\n"
        "4.1 Later\n\nThe same £5m was allocated again in the story [E1].\n"
    )
    fives = [c for c in data["claims"] if c["amount"].get("value") == 5000000]
    assert len(fives) == 1
    assert "also stated in section" in fives[0]["amount"]["note"]


def test_the_headline_is_the_summary_figure_and_its_restatement_is_no_claim():
    data = drafted("More than £12m of county money is now allocated the new way [E1].\n")
    assert data["headlines"][0]["relation"] == "more_than"
    assert data["headlines"][0]["value"] == 12000000
    assert data["headlines"][0]["sections"] == ["1", "4"]
    assert not [c for c in data["claims"] if c["amount"].get("value") == 12000000]


def test_every_drafted_item_is_unreviewed_and_every_amount_has_a_note():
    data = drafted("The county allocated £8m [E1]. It saved £1m [E1]. Its turnover is £3m.\n")
    items = data["claims"] + data["headlines"] + data["grants"]
    assert items and all(item["reviewed"] is False for item in items)
    assert all(c["amount"]["note"] for c in data["claims"])


def test_the_draft_names_the_profile_and_the_narrative():
    text = HEAD + "The county allocated £8m [E1].\n" + SOURCES
    narrative = parse_narrative(text, "case.txt", template_for("ref2021"))
    data, register = draft(narrative, "case.txt", "case.txt")
    assert data["profile"] == "ref2021" and data["narrative"] == "case.txt"
    assert list(data)[:4] == ["version", "profile", "narrative", "case_study"]
    generic, _ = draft(parse_narrative(text, "case.txt"), "case.txt")
    assert "profile" not in generic and "narrative" not in generic
    assert "copy case.txt in" in claims_yaml(generic, register, "case.txt")


def test_record_stubs_carry_kind_title_link_and_reviewed():
    text = HEAD + "The county allocated £8m [E1, E2].\n" + SOURCES
    narrative = parse_narrative(text, "case.txt")
    _, register = draft(narrative, "case.txt")
    stubs = {e.id: yaml.safe_load(record_stub(e, narrative.template)) for e in register}
    assert stubs["R1"]["doi"] == "10.1234/invented.1"
    assert stubs["R1"]["title"] == "A. Writer (2018) An invented article"
    assert stubs["E2"] == {
        "id": "E2",
        "kind": "report",
        "title": "Report of the trust",
        "url": "https://example.org/report",
        "reviewed": False,
    }
    assert stubs["E1"]["kind"] == "other" and stubs["E1"]["reviewed"] is False


def test_the_cli_writes_unreviewed_items_and_names_a_narrative_beside_the_file(case, cli):
    (case.root / "case.txt").write_text(HEAD + "The county allocated £8m [E1].\n" + SOURCES)
    result = cli("extract", "case.txt", "--output", "draft.yaml", "--profile", "ref2021")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((case.root / "draft.yaml").read_text(encoding="utf-8"))
    assert data["narrative"] == "case.txt" and data["profile"] == "ref2021"
    assert all(c["reviewed"] is False for c in data["claims"])


@pytest.mark.skipif(
    not ORIGINAL_TEXT.exists(), reason="the original case study text is not available"
)
def test_the_original_text_drafts_to_the_hand_made_total_once_reviewed(cli, tmp_path):
    out = tmp_path / "draft"
    assert cli("extract", str(ORIGINAL_TEXT), "--output", str(out)).exit_code == 0
    unreviewed = cli("check", str(out), "--format", "json")
    assert unreviewed.exit_code == 1, unreviewed.output
    drafts = [f for f in json.loads(unreviewed.stdout)["findings"] if f["code"] == "HLS107"]
    drafted = (out / "claims.yaml").read_text(encoding="utf-8")
    claims_drafted = len(re.findall(r"^ +reviewed: false$", drafted, re.MULTILINE))
    assert len(drafts) == claims_drafted + len(list((out / "evidence").iterdir()))
    for path in [out / "claims.yaml", *sorted((out / "evidence").iterdir())]:
        text = path.read_text(encoding="utf-8")
        assert "reviewed: false" in text
        path.write_text(text.replace("reviewed: false", "reviewed: true"), encoding="utf-8")
    result = cli("totals", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["headlines"][0]["total"]["central"] == "169200000"
    roles = {a["value"]: a["role"] for a in report["amounts"]}
    assert roles["675000"] == "part" and roles["1000000"] == "part"
    counted = sorted(int(a["value"]) for a in report["amounts"] if a["role"] == "counted")
    assert counted == [1500000, 5000000, 7700000, 18000000, 60000000, 77000000]
    hand = yaml.safe_load((Path(__file__).resolve().parents[1] / "claims.yaml").read_text())
    want = {
        (c["amount"]["role"], str(c["amount"].get("value")))
        for c in hand["claims"]
        if "amount" in c
    }
    assert want <= {(a["role"], str(a["value"])) for a in report["amounts"]} | {
        ("unquantified", "None")
    }


def test_research_projects_and_forecasts_are_never_drafted_as_counted():
    from hls_audit.narrative.analysis import parse_narrative
    from hls_audit.narrative.extract import draft

    text = (
        "4. Details of the impact\n\n"
        "The findings shaped a set of research projects with £3m of funding allocated.\n\n"
        "A forecast of £40m in new investment was made by the region.\n"
    )
    data, _ = draft(parse_narrative(text, "n.md"), "n.md")
    roles = {c["amount"]["stated"]: c["amount"]["role"] for c in data["claims"]}
    assert roles == {"£3m": "grant", "£40m": "context"}


def test_a_grants_reference_number_is_drafted():
    from hls_audit.narrative.analysis import parse_narrative
    from hls_audit.narrative.extract import draft

    text = (
        "3. References to the research\n\n"
        "R1. A. Researcher (2019) An article.\nR2. A. Researcher (2020) Another article.\n\n"
        "Research Funding\n\n"
        "G1. PI, A. Researcher, ESRC, ES/P000001/1, Jan 2018 – Dec 2020, GBP250,000\n"
        "G2. PI, B. Colleague, A Trust, grant no. TR-2291, Mar 2019 – Feb 2021, GBP40,000\n"
    )
    data, _ = draft(parse_narrative(text, "n.md"), "n.md")
    assert [(g["id"], g.get("number")) for g in data["grants"]] == [
        ("G1", "ES/P000001/1"),
        ("G2", "TR-2291"),
    ]
    assert all(g["reviewed"] is False for g in data["grants"])
