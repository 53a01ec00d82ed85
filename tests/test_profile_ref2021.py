"""The ref2021 profile: each rule passes a clean case study and fails a broken one."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hls_audit.engine.audit import audit
from hls_audit.engine.findings import Finding
from hls_audit.io.load import load_case_study
from hls_audit.profiles.ref2021 import rules as ref2021
from hls_audit.profiles.ref2021.limits import RULES
from hls_audit.rules.catalog import REGISTRY
from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, REPO

STAFF = """\
  staff:
    - {name: Ann Researcher, role: Professor, employed: {start: 2015-09-01}}
"""

# The minimal case study made clean under ref2021: staff listed, the grant in whole pounds,
# and the reference's authors and date given.
CLAIMS = "profile: ref2021\n" + MINIMAL_CLAIMS.replace("value: 88194.45", "value: 88194").replace(
    "  impact_period: {start: 2019, end: 2020}\n",
    "  impact_period: {start: 2019, end: 2020}\n" + STAFF,
)
R1 = (
    "id: R1\nkind: article\ntitle: The research article\ndoi: 10.1000/xyz\n"
    "authors: ['Researcher, A.', 'Other, B.']\ndate: '2019'\n"
)
RECORDS = {**MINIMAL_RECORDS, "R1": R1}


@dataclass
class StubNarrative:
    """The narrative as the profile sees it: a path and each section's text."""

    sections: dict[str, str]
    path: str = "case-study.txt"
    lines: dict[str, int] = field(default_factory=lambda: {"1": 12, "2": 20, "3": 30, "4": 40})

    def line_of(self, section: str) -> int:
        return self.lines.get(section, 1)


def profile_findings(narrative: object = None) -> list[Finding]:
    report = audit(load_case_study(Path(".")), profile="ref2021", narrative=narrative)
    return [f for f in report.findings if f.code.startswith("HLS8")]


def codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


def only(found: list[Finding], code: str) -> list[Finding]:
    hits = [f for f in found if f.code == code]
    assert hits, f"{code} not in {codes(found)}"
    return hits


def record(identifier: str, **fields: str) -> str:
    text = f"id: {identifier}\nkind: report\ntitle: Source {identifier}\nheld_by: them\n"
    return text + "".join(f"{key}: {value}\n" for key, value in fields.items())


@pytest.fixture
def clean(case):
    case(claims=CLAIMS, records=RECORDS)
    return case


# --- the profile as a whole ----------------------------------------------------------------


def test_the_clean_case_study_passes_every_rule(clean):
    assert profile_findings() == []


def test_profile_checks_are_registered_documented_and_numbered_from_801():
    listed = [c for c in REGISTRY if c.profile == "ref2021"]
    assert listed == list(ref2021.CHECKS)
    assert [c.code for c in listed] == [f"HLS{801 + i}" for i in range(len(listed))]
    for item in listed:
        assert item.family == "ref2021"
        why = item.doc["why"]
        assert "REF rule" in why or "house heuristic" in why.lower(), item.code
        assert all(item.doc[k].strip() for k in ("what", "why", "example", "fix")), item.code


def test_rules_are_one_frozen_value():
    with pytest.raises(AttributeError):
        RULES.max_sources = 11  # type: ignore[misc]
    assert RULES.impact_window[1].isoformat() == "2020-12-31"


def test_the_profile_is_off_unless_asked_for(case):
    case(claims=CLAIMS.replace("profile: ref2021\n", ""), records=MINIMAL_RECORDS)
    report = audit(load_case_study(Path(".")))
    assert not [f for f in report.findings if f.code.startswith("HLS8")]
    # Asked for by name, it runs: the minimal R1 lists no authors to check against the staff.
    assert codes(profile_findings()) == ["HLS808"]


def test_the_claims_file_turns_the_profile_on_through_the_cli(clean, cli):
    clean.edit("value: 88194\n", "value: 88194.45\n")
    result = cli("check", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["source"]) for f in found if f["code"].startswith("HLS8")] == [
        ("HLS815", "G1")
    ]


# --- 1. how many sources and references ------------------------------------------------------


def test_ten_sources_pass_and_parts_count_once(case):
    records = {**RECORDS, **{f"E{n}": record(f"E{n}") for n in range(3, 10)}}
    records["E10a"] = record("E10a", part_of="E10")
    records["E10b"] = record("E10b", part_of="E10")
    case(claims=CLAIMS, records=records)
    assert "HLS801" not in codes(profile_findings())


def test_eleven_sources_are_an_error_at_the_first_over(case):
    records = {**RECORDS, **{f"E{n}": record(f"E{n}") for n in range(3, 12)}}
    case(claims=CLAIMS, records=records)
    hit = only(profile_findings(), "HLS801")[0]
    assert hit.severity.value == "error" and hit.source == "E11"
    assert hit.location is not None and hit.location.file == "evidence/E11.yaml"
    assert "11 corroborating sources" in hit.message


def test_six_references_pass_seven_warn(case):
    refs = {f"R{n}": R1.replace("id: R1", f"id: R{n}") for n in range(2, 7)}
    case(claims=CLAIMS, records={**RECORDS, **refs})
    assert "HLS802" not in codes(profile_findings())
    (case.root / "evidence" / "R7.yaml").write_text(R1.replace("id: R1", "id: R7"))
    hit = only(profile_findings(), "HLS802")[0]
    assert hit.severity.value == "warning" and hit.source == "R7"


# --- 2. the REF windows ------------------------------------------------------------------------


def test_research_before_2000_and_a_reference_after_2020_are_errors(clean):
    clean.edit("research_period: {start: 2018", "research_period: {start: 1999")
    (clean.root / "evidence" / "R1.yaml").write_text(R1.replace("'2019'", "'2021-02'"))
    hits = only(profile_findings(), "HLS803")
    assert {(h.source, h.location.yaml_path if h.location else "") for h in hits} == {
        (None, "case_study.research_period.start"),
        ("R1", "date"),
    }
    assert all(h.severity.value == "error" for h in hits)


def test_a_partial_date_overlapping_the_window_is_inside(clean):
    clean.edit("research_period: {start: 2018", "research_period: {start: 2000")
    clean.edit("impact_period: {start: 2019", "impact_period: {start: 2013")
    assert codes(profile_findings()) == []


def test_impact_after_2020_is_an_error(clean):
    clean.edit("impact_period: {start: 2019, end: 2020}", "impact_period: {start: 2012, end: 2021}")
    hits = only(profile_findings(), "HLS804")
    paths = [h.location.yaml_path for h in hits if h.location]
    assert paths == ["case_study.impact_period.start", "case_study.impact_period.end"]
    assert "31 Dec 2020" in hits[0].message


# --- 3. claims dated outside the declared impact period ----------------------------------------


def test_impact_claims_dated_inside_the_declared_period_pass(clean):
    clean.edit("    statement: A council put", "    date: 2019-06\n    statement: A council put")
    assert codes(profile_findings()) == []


def test_impact_claim_dated_before_the_declared_period_warns(clean):
    clean.edit("    statement: A council put", "    date: 2018\n    statement: A council put")
    clean.edit(
        "    statement: The research developed",
        "    date: 2017\n    statement: The research developed",
    )
    hit = only(profile_findings(), "HLS805")
    assert [(h.claim, h.severity.value) for h in hit] == [("C2", "warning")]  # C1 is section 2
    assert hit[0].location is not None and hit[0].location.yaml_path == "claims[1].date"
    assert hit[0].location.line == clean.line_of("date: 2018")


def test_amount_period_start_and_claim_period_count_as_dates(clean):
    clean.edit('stated: "£4m"}', 'stated: "£4m", period: {start: 2018-06, end: 2020}}')
    clean.edit(
        "    statement: One contract",
        "    period: {start: 2019, end: 2021}\n    statement: One contract",
    )
    hits = only(profile_findings(), "HLS805")
    assert {(h.claim, h.location.yaml_path if h.location else "") for h in hits} == {
        ("C3", "claims[2].amount.period.start"),
        ("C4", "claims[3].period.end"),
    }


# --- 4. money past 2020 or expected, and the headline without it -------------------------------


def test_realised_counted_money_inside_the_window_passes(clean):
    clean.edit('stated: "£7m"}', 'stated: "£7m", period: {start: 2019, end: 2020-12}}')
    assert codes(profile_findings()) == []


def test_counted_money_past_2020_or_expected_warns_and_the_headline_is_recomputed(clean):
    clean.edit('stated: "£7m"}', 'stated: "£7m", period: {start: 2019, end: 2029}}')
    clean.edit('stated: "£4m"}', 'stated: "£4m", expected: true}')
    found = profile_findings()
    hits = only(found, "HLS806")
    assert {(h.claim, h.location.yaml_path if h.location else "") for h in hits} == {
        ("C2", "claims[1].amount.period.end"),
        ("C3", "claims[2].amount.expected"),
    }
    assert all(h.severity.value == "warning" for h in hits)
    info = only(found, "HLS807")
    assert len(info) == 1 and info[0].severity.value == "info" and info[0].claim == "H1"
    assert info[0].message.startswith("H1 without money past 2020 or expected: £0, failed")


def test_only_counted_amounts_matter_and_a_surviving_headline_says_so(clean):
    # A part running past 2020 is never added, so it is not flagged.
    clean.edit("part_of: C2}", "part_of: C2, period: {start: 2019, end: 2030}, expected: true}")
    assert "HLS806" not in codes(profile_findings())
    # Without £4m expected, £7m still fails "more than £10m"; with the headline at £5m it holds.
    clean.edit('stated: "£4m"}', 'stated: "£4m", expected: true}')
    clean.edit("    value: 10000000\n", "    value: 5000000\n")
    info = only(profile_findings(), "HLS807")[0]
    assert info.message.startswith("H1 without money past 2020 or expected: £7,000,000, proven")


# --- 5. references by staff employed at the time -----------------------------------------------


def test_reference_by_staff_employed_in_its_year_passes_with_initials(clean):
    assert codes(profile_findings()) == []  # 'Researcher, A.' is Ann Researcher, employed 2015-


def test_reference_with_no_staff_author_or_dated_before_employment_warns(clean):
    evidence = clean.root / "evidence"
    (evidence / "R1.yaml").write_text(R1.replace("'2019'", "'2014'"))
    (evidence / "R2.yaml").write_text(R1.replace("id: R1", "id: R2").replace("A.", "Z."))
    (evidence / "R3.yaml").write_text("id: R3\nkind: article\ntitle: No authors\ndoi: 10.1/a\n")
    hits = only(profile_findings(), "HLS808")
    assert {(h.source, h.location.yaml_path if h.location else "") for h in hits} == {
        ("R1", "date"),
        ("R2", "authors"),
        ("R3", "id"),
    }
    assert all(h.severity.value == "warning" for h in hits)


# --- 6. sources must be external ---------------------------------------------------------------


def test_a_source_that_is_a_reference_warns(case):
    records = {**RECORDS, "E3": record("E3", same_as="R1"), "E4": record("E4", same_as="E3")}
    case(claims=CLAIMS, records=records)
    hits = only(profile_findings(), "HLS809")
    assert [(h.source, h.severity.value) for h in hits] == [("E3", "warning")]
    assert hits[0].location is not None and hits[0].location.yaml_path == "same_as"


# --- 7. individuals: organisation and role, at most five contacts ------------------------------


def test_an_individual_named_by_organisation_and_role_passes(clean):
    assert "HLS810" not in codes(profile_findings())  # E1 is a testimonial with no name


def test_a_named_individual_warns(clean):
    (clean.root / "evidence" / "E1.yaml").write_text(
        MINIMAL_RECORDS["E1"].replace("role: Director}", "role: Director, name: A. Person}")
    )
    hit = only(profile_findings(), "HLS810")[0]
    assert hit.source == "E1" and hit.severity.value == "warning"
    assert hit.location is not None and hit.location.yaml_path == "provider.name"
    assert "Director, A Council" in hit.message


def test_six_named_contacts_are_an_error_five_are_not(case):
    people = {
        f"E{n}": record(
            f"E{n}", provider=f"{{organisation: Org {n}, role: Chair, name: P{n} X{n}}}"
        )
        for n in range(3, 8)
    }
    case(claims=CLAIMS, records={**RECORDS, **people})
    assert "HLS811" not in codes(profile_findings())
    (case.root / "evidence" / "E8.yaml").write_text(
        record("E8", provider="{organisation: Org 8, role: Chair, name: P8 X8}")
    )
    hit = only(profile_findings(), "HLS811")[0]
    assert hit.severity.value == "error" and hit.source == "E8"
    assert hit.message.startswith("6 individuals")


# --- 8. Section A complete ---------------------------------------------------------------------


def test_section_a_gaps_are_errors(clean):
    clean.edit("number: 17", "number: 35")
    clean.edit("research_period: {start: 2018, end: 2020}", "research_period: {start: 2018}")
    clean.edit("employed: {start: 2015-09-01}", "employed: {end: 2020}")
    hits = only(profile_findings(), "HLS812")
    assert [h.location.yaml_path for h in hits if h.location] == [
        "case_study.unit.number",
        "case_study.research_period",
        "case_study.staff[0].employed",
    ]
    assert all(h.severity.value == "error" for h in hits)


def test_section_a_without_staff_is_an_error(case):
    case(claims=CLAIMS.replace(STAFF, ""), records=RECORDS)
    hit = only(profile_findings(), "HLS812")[0]
    assert "no staff" in hit.message
    assert "HLS808" not in codes(profile_findings())  # nothing to check references against


# --- 9. the narrative: word limits and pages ---------------------------------------------------


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_a_narrative_within_limits_passes(clean):
    narrative = StubNarrative({"1": words(100), "2": words(500), "4": words(750), "5": words(10)})
    assert codes(profile_findings(narrative)) == []


def test_sections_over_their_indicative_limits_warn(clean):
    narrative = StubNarrative({"1": words(101), "2": words(20), "4": words(751)})
    hits = only(profile_findings(narrative), "HLS813")
    assert [(h.location.file, h.location.line) for h in hits if h.location] == [
        ("case-study.txt", 12),
        ("case-study.txt", 40),
    ]
    assert "101 words" in hits[0].message and "indicative" in hits[0].message
    assert "HLS814" not in codes(profile_findings(narrative))


def test_a_narrative_estimated_past_five_pages_warns(clean):
    narrative = StubNarrative({str(n): words(501) for n in range(1, 6)})
    hit = only(profile_findings(narrative), "HLS814")[0]
    assert hit.severity.value == "warning"
    assert "2,505 words" in hit.message and "5.0 pages" in hit.message


def test_without_a_narrative_nothing_is_said_about_length(clean):
    assert not {"HLS813", "HLS814"} & set(codes(profile_findings(None)))


# --- 10. grants in whole pounds ----------------------------------------------------------------


def test_a_grant_in_whole_pounds_passes_one_with_pence_is_noted(clean):
    assert "HLS815" not in codes(profile_findings())
    clean.edit("value: 88194\n", "value: 88194.45\n")
    hit = only(profile_findings(), "HLS815")[0]
    assert hit.severity.value == "info" and hit.source == "G1"
    assert hit.location is not None and hit.location.yaml_path == "grants[0].value"
    assert "£88,194.45" in hit.message


# --- the bundled case study ----------------------------------------------------------------------


def test_the_bundled_case_study_under_ref2021(tmp_path, monkeypatch):
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(REPO / "evidence", tmp_path / "evidence")
    monkeypatch.chdir(tmp_path)
    found = profile_findings()
    assert {(f.code, f.claim or f.source) for f in found} == {
        # Impact claims dated 2018 against the declared 2019-2020 (C07 is section 2: not here).
        ("HLS805", "C23"),
        ("HLS805", "C40"),
        ("HLS805", "C41"),
        # The ten-year budgets counted toward H1 run past 2020 and are only expected.
        ("HLS806", "C15"),
        ("HLS806", "C41"),
        ("HLS807", "H1"),
        ("HLS809", "E4"),  # the same work as R1
        ("HLS810", "E1"),
        ("HLS810", "E3"),
        ("HLS810", "E6"),
        ("HLS810", "E10"),
        ("HLS815", "G1"),
    }
    assert len(found) == 12
    headline = only(found, "HLS807")[0]
    assert headline.message.startswith(
        "H1 without money past 2020 or expected: £87,200,000, failed"
    )
