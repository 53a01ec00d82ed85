"""A profile owns its template: the reader and the checks take it, and nothing else names one."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from hls_audit.narrative.analysis import parse_narrative
from hls_audit.narrative.header import header_fields
from hls_audit.narrative.sections import find_sections
from hls_audit.profiles import PROFILES, get_profile, template_for
from hls_audit.profiles.template import GENERIC, HeaderSpec, SectionSpec, Template
from tests.conftest import MINIMAL_CLAIMS, REPO

# A funder's own report template: three sections under other titles, two header fields.
FUNDER = Template(
    name="funder",
    sections=(
        SectionSpec("1", "What changed", "summary"),
        SectionSpec("2", "The work behind it", "research"),
        SectionSpec("3", "Evidence of change", "sources"),
    ),
    header=(HeaderSpec("title", "Project name"), HeaderSpec("institution", "Lead organisation")),
)

FUNDER_TEXT = """\
Project name: Better bus timetables
Lead organisation: Example University

1. What changed

Two councils now plan routes with our model [3.1].

2. The work behind it

We built a demand model for rural routes.

3. Evidence of change

3.1 Letter from the transport officer of a county council
3.2 Minutes of the route planning board
"""


def test_a_second_template_is_read_without_any_code_of_its_own():
    sections = find_sections(FUNDER_TEXT, FUNDER)
    assert [(s.number, s.title) for s in sections] == [
        ("A", "Section A"),
        ("1", "What changed"),
        ("2", "The work behind it"),
        ("3", "Evidence of change"),
    ]
    fields = {f.key: f.value for f in header_fields(FUNDER_TEXT, FUNDER)}
    assert fields == {"title": "Better bus timetables", "institution": "Example University"}


def test_the_generic_template_does_not_see_a_funders_sections():
    assert [s.number for s in find_sections(FUNDER_TEXT)] == []


def test_a_numbered_sources_list_is_never_taken_for_sub_sections():
    text = (
        "4. Details of the impact\n\n4.1 Councils\n\nTwo councils changed.\n\n"
        "5. Sources to corroborate the impact\n\n5.1 Letter from a council\n"
        "5.2 Board minutes of a trust\n"
    )
    numbers = [s.number for s in find_sections(text)]
    assert numbers == ["4", "4.1", "5"]


def test_a_template_names_its_sections_by_role():
    assert GENERIC.research_sections == ("2", "3")
    assert GENERIC.claim_sections == ("1", "2", "4")
    assert GENERIC.number_of("sources") == "5"
    assert FUNDER.claim_sections == ("1", "2")
    assert FUNDER.number_of("references") == ""


@pytest.mark.parametrize(
    ("identifier", "kind"),
    [("R1", "reference"), ("G2", "grant"), ("E1", "source"), ("5.7", "source"),
     ("Source 1", "source"), ("Reference", "source"), ("Grant A", "source")],
)  # fmt: skip
def test_the_id_numbering_says_what_an_id_names(identifier, kind):
    assert GENERIC.kind_of(identifier) == kind


def test_a_template_may_number_its_ids_in_its_own_way():
    own = replace(GENERIC, reference_prefixes=("O",), grant_prefixes=("F",))
    assert own.kind_of("O3") == "reference" and own.kind_of("F1") == "grant"
    assert own.kind_of("R1") == "source"


def test_a_case_study_without_a_profile_is_read_with_the_generic_template():
    assert template_for(None) is GENERIC
    assert template_for("ref2021").name == "ref2021"
    assert parse_narrative("1. Summary of the impact\n\nA summary.\n", "n.md").template is GENERIC


def test_every_builtin_profile_carries_template_limits_and_rules():
    for name in PROFILES:
        profile = get_profile(name)
        assert profile.name == name and profile.checks
        assert {s.role for s in profile.template.sections} >= {"summary", "details"}
        for limit in profile.limits:
            assert limit.source and limit.status in ("rule", "guidance", "house", "unverified")
    ref2021 = get_profile("ref2021")
    assert ref2021.limit("references_max").value == 6
    assert ref2021.limit("corroborating_sources_max").value == 10
    assert ref2021.limit("words_per_page").status == "house"
    with pytest.raises(KeyError):
        get_profile("ref1066")
    with pytest.raises(KeyError):
        ref2021.limit("no_such_limit")


def test_only_a_profiles_folder_names_its_exercise():
    package = REPO / "src" / "hls_audit"
    naming = re.compile(r"ref ?20(?:21|29)|REF3", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if "profiles" not in path.relative_to(package).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if naming.search(line)
    ]
    assert offenders == []


IDS_CLAIMS = (
    MINIMAL_CLAIMS.split("headlines:")[0]
    + """\
claims:
  - id: C1
    section: "2"
    statement: The research developed the approach.
    evidence: ["1"]
  - id: C2
    section: "4"
    statement: A council changed how it plans services.
    evidence: ["5.7", {source: Source 2, pages: p3}, "9b"]
"""
)


def _record(identifier: str, extra: str = "") -> str:
    return f"id: {identifier!r}\nkind: report\ntitle: A report\nurl: https://example.org/r\n{extra}"


def test_ids_as_case_studies_number_them_are_accepted(case, cli):
    case(
        IDS_CLAIMS,
        {
            "1": _record("1", "listed_in: references\n"),
            "5.7": _record("5.7"),
            "Source 2": _record("Source 2"),
            "9b": _record("9b"),
        },
    )
    result = cli("sources", "--format", "json")
    assert result.exit_code == 0, result.output
    kinds = {e["id"]: e["register"] for e in json.loads(result.stdout)["sources"]}
    assert kinds == {"1": "reference", "5.7": "source", "Source 2": "source", "9b": "source"}


@pytest.mark.parametrize("bad", ["E1.", "E--1", " E1", "E 1 ", "É1", "a" * 65])
def test_an_id_with_stray_punctuation_is_refused(case, cli, bad):
    case(IDS_CLAIMS.replace('evidence: ["1"]', f"evidence: [{json.dumps(bad)}]"), {})
    result = cli("check")
    assert result.exit_code == 2, result.output
    assert "is not a valid identifier" in result.stderr


@pytest.mark.parametrize(
    "heading",
    [
        "### 3. References to the research (our authors in bold)",
        "**3. References to the research** [available from the university]",
        "**3.** **References to the research**",
        "3. References to the research Outputs can be sent on request.",
        "**3. References to the research.**",
        "3. References to research",
        "# 3. References [R] to the research",
    ],
)
def test_a_numbered_heading_may_run_on_or_lose_an_article(heading):
    text = f"2. Underpinning research\n\nWe studied buses.\n\n{heading}\n\nR1. A paper.\n"
    sections = {s.number: s.title for s in find_sections(text)}
    assert sections.get("3") == "References to the research"


def test_body_text_on_a_heading_line_stays_in_its_section():
    text = "**4. Details of the impact** (indicative 750 words)Two councils changed routes.\n"
    narrative = parse_narrative(text, "n.md")
    assert "Two councils changed routes." in narrative.sections["4"]


@pytest.mark.parametrize(
    "line",
    [
        "References to the research were hard to find in 2019.",
        "Details of the impact are below.",
        "The summary of the impact follows.",
    ],
)
def test_a_title_inside_prose_is_not_a_heading(line):
    assert [s.number for s in find_sections(f"Intro.\n\n{line}\n")] == []
