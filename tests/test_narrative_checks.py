"""The narrative against the ledger: each reconciliation finding, the command, and extract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hls_audit.io.load import load_case_study
from tests.conftest import ORIGINAL_TEXT

# A narrative that agrees with the small fixture case study in tests/conftest.py.
NARRATIVE = """\
Institution: Example University
Unit of Assessment: 17 (Business and Management Studies)
Title of case study: A small case study
Period when the underpinning research was undertaken: 2018 - 2020
Period when the claimed impact occurred: 2019 - 2020

1. Summary of the impact

More than £10m is now managed the new way.

2. Underpinning research

The team developed the approach [R1] with a foundation's support [G1].

3. References to the research

R1. A. Researcher (2019) The research article.

Research Funding

G1. PI, A. Researcher, A Foundation, Nov 2018 – Dec 2020, GBP88,194.45

4. Details of the impact

A council put a £7m budget under the approach [E1, p2]. One contract of £500k sits inside it [E1].

A trust placed £4m of its grants the same way [E2].

5. Sources to corroborate the impact

E1\tLetter from the council
E2\tThe trust's annual report
"""


def narrative_findings(case, cli, text: str = NARRATIVE, *extra: str):
    (case.root / "case.txt").write_text(text, encoding="utf-8")
    result = cli("narrative", "case.txt", "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def codes(report) -> list[str]:
    return sorted(f["code"] for f in report["findings"])


def test_a_narrative_that_agrees_with_the_ledger_passes(case, cli):
    case()
    report = narrative_findings(case, cli)
    assert report["findings"] == []
    assert [s["number"] for s in report["sections"]] == ["A", "1", "2", "3", "4", "5"]
    assert {m["value"] for m in report["money"]} == {
        "10000000", "88194.45", "7000000", "500000", "4000000"
    }  # fmt: skip


def test_a_figure_the_ledger_lacks(case, cli):
    case()
    text = NARRATIVE.replace("[E2].", "[E2]. A further £2.5m followed [E2].")
    report = narrative_findings(case, cli, text)
    hit = next(f for f in report["findings"] if f["code"] == "HLS701")
    assert "'£2.5m' (section 4)" in hit["message"]
    assert hit["location"]["file"] == "case.txt"
    assert (
        hit["location"]["line"]
        == text.splitlines().index(next(ln for ln in text.splitlines() if "£2.5m" in ln)) + 1
    )
    assert report["result"]["exit_code"] == 1


def test_an_amount_the_text_never_states(case, cli):
    case()
    report = narrative_findings(case, cli, NARRATIVE.replace("£4m of its grants", "its grants"))
    hit = next(f for f in report["findings"] if f["code"] == "HLS702")
    assert hit["claim"] == "C3" and hit["location"]["file"] == "claims.yaml"


def test_a_marker_outside_the_register(case, cli):
    case()
    report = narrative_findings(case, cli, NARRATIVE.replace("[E2].", "[E2; **E9**, p3]."))
    hit = next(f for f in report["findings"] if f["code"] == "HLS703")
    assert hit["source"] == "E9"


def test_a_register_entry_the_text_never_cites(case, cli):
    case()
    report = narrative_findings(case, cli, NARRATIVE.replace(" [R1]", ""))
    hit = next(f for f in report["findings"] if f["code"] == "HLS704")
    assert hit["source"] == "R1"
    assert (
        hit["location"]["line"]
        == NARRATIVE.splitlines().index("R1. A. Researcher (2019) The research article.") + 1
    )


def test_a_claim_citing_other_sources_than_the_text_beside_its_figure(case, cli):
    case()
    report = narrative_findings(
        case, cli, NARRATIVE.replace("the same way [E2]", "the same way [E1]")
    )
    hits = [f for f in report["findings"] if f["code"] == "HLS705"]
    assert [h["claim"] for h in hits] == ["C3"]
    assert "the text cites E1 beside it" in hits[0]["message"]
    assert "claims.yaml:" in hits[0]["message"]


def test_the_same_figure_with_different_qualifiers(case, cli):
    case()
    text = NARRATIVE.replace(
        "A council put a £7m budget", "A council put over £7m into a budget"
    ).replace("[E2].\n", "[E2]. In all, £10m is managed the new way.\n")
    report = narrative_findings(case, cli, text)
    messages = [f["message"] for f in report["findings"] if f["code"] == "HLS706"]
    assert any("'over £7m'" in m and "records it as exact" in m for m in messages)
    assert any("'£10m'" in m and "different qualifiers" in m for m in messages)


def test_markdown_narratives_with_bold_markers_read_the_same(case, cli):
    case()
    markdown = (
        NARRATIVE.replace("1. Summary", "## 1. Summary")
        .replace("4. Details", "## 4. Details")
        .replace("[E1, p2]", "[**E1**, p2]")
    )
    report = narrative_findings(case, cli, markdown)
    assert report["findings"] == []


def test_check_takes_the_narrative_from_claims_yaml(case, cli):
    case()
    (case.root / "case.txt").write_text(NARRATIVE.replace(" [R1]", ""), encoding="utf-8")
    case.edit("version: 1\n", "version: 1\nnarrative: case.txt\n")
    result = cli("check", "--format", "json")
    assert "HLS704" in codes(json.loads(result.stdout))


def test_a_narrative_outside_the_case_folder_is_refused(case, cli):
    case()
    case.edit("version: 1\n", "version: 1\nnarrative: ../elsewhere.txt\n")
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("claims.yaml:2:")


def test_a_missing_narrative_is_unusable_input(case, cli):
    case()
    result = cli("narrative", "nowhere.txt")
    assert result.exit_code == 2
    assert "nowhere.txt" in result.stderr


def test_extract_drafts_a_claims_file_that_check_loads(case, cli, tmp_path):
    case()
    (case.root / "case.txt").write_text(NARRATIVE, encoding="utf-8")
    out = tmp_path / "draft"
    result = cli("extract", "case.txt", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "evidence").iterdir()) == ["E1.yaml", "E2.yaml", "R1.yaml"]
    draft = load_case_study(out)
    values = {c.amount.value for c in draft.data.claims if c.amount and c.amount.value}
    assert values == {7000000, 500000, 4000000}
    assert draft.data.headlines[0].value == 10000000
    assert str(draft.data.grants[0].value) == "88194.45"  # pence kept exactly
    assert cli("check", str(out)).exit_code in (0, 1)


def test_extract_never_overwrites(case, cli):
    case()
    (case.root / "case.txt").write_text(NARRATIVE, encoding="utf-8")
    before = (case.root / "claims.yaml").read_bytes()
    result = cli("extract", "case.txt", "--output", "claims.yaml")
    assert result.exit_code == 2
    assert "never overwrites" in result.stderr
    assert (case.root / "claims.yaml").read_bytes() == before


def test_extract_to_standard_output_lists_the_register(case, cli):
    case()
    (case.root / "case.txt").write_text(NARRATIVE, encoding="utf-8")
    result = cli("extract", "case.txt")
    assert result.exit_code == 0
    assert "#   E1 (source):" in result.stdout and "#   R1 (reference):" in result.stdout


@pytest.mark.skipif(
    not ORIGINAL_TEXT.exists(), reason="the original case study text is not available"
)
def test_the_original_text_reconciles_with_the_bundled_claims(cli, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    result = cli("narrative", str(ORIGINAL_TEXT), "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [(f["code"], f["source"]) for f in report["findings"]] == [("HLS704", "R6")]
    assert len(report["money"]) == 20


@pytest.mark.skipif(
    not ORIGINAL_TEXT.exists(), reason="the original case study text is not available"
)
def test_extract_on_the_original_text_holds_every_figure(cli, tmp_path):
    out = tmp_path / "draft"
    assert cli("extract", str(ORIGINAL_TEXT), "--output", str(out)).exit_code == 0
    draft = load_case_study(out)
    held = {c.amount.value for c in draft.data.claims if c.amount and c.amount.value is not None}
    held |= {g.value for g in draft.data.grants} | {h.value for h in draft.data.headlines}
    from hls_audit.io.files import outside_folder
    from hls_audit.narrative.analysis import load_narrative

    stated = {
        m.value
        for m in load_narrative(ORIGINAL_TEXT, "original", outside_folder(ORIGINAL_TEXT)).money
        if m.value is not None
    }
    assert stated <= held
    unquantified = [
        c for c in draft.data.claims if c.amount and c.amount.role.value == "unquantified"
    ]
    assert len(unquantified) == 2
