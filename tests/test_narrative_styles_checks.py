"""A case study citing in another style than E1/R1 is audited as well as one that does."""

from __future__ import annotations

import json

from tests.conftest import MINIMAL_CLAIMS

# The small fixture case study, renumbered the way many case studies number their lists:
# references 1, 2 in section 3 and sources "Source 1", "Source 2" in section 5.
CLAIMS = (
    MINIMAL_CLAIMS.replace("evidence: [R1, G1]", 'evidence: ["1", G1]')
    .replace("evidence: [{source: E1, pages: p2}]", "evidence: [{source: Source 1, pages: p2}]")
    .replace("evidence: [E2]", "evidence: [Source 2]")
    .replace("evidence: [E1]", "evidence: [Source 1]")
)
RECORDS = {
    "1": "id: '1'\nlisted_in: references\nkind: article\ntitle: The research article\n"
    "doi: 10.1000/xyz\n",
    "Source 1": "id: Source 1\nkind: testimonial\ntitle: Letter from the council\n"
    "provider: {organisation: A Council, role: Director}\nheld_by: the impact team\n",
    "Source 2": "id: Source 2\nkind: report\ntitle: The trust's annual report\n"
    "url: https://example.org/r\n",
}
TEXT = """\
1. Summary of the impact

More than £10m is now managed the new way.

2. Underpinning research

The team developed the approach (1) with a foundation's support [G1].

3. References to the research

1. A. Researcher (2019) The research article.
2. A. Researcher and B. Colleague (2020) A second article.

Research Funding

G1. PI, A. Researcher, A Foundation, Nov 2018 – Dec 2020, GBP88,194.45

4. Details of the impact

A council put a £7m budget under the approach (source 1, p2). One contract of £500k sits
inside it (source 1).

A trust placed £4m of its grants the same way (source 2).

5. Sources to corroborate the impact

Source 1: Letter from the council
Source 2: The trust's annual report
"""


def _narrative(case, cli, text: str = TEXT) -> dict:
    case(CLAIMS, RECORDS)
    (case.root / "case.md").write_text(text, encoding="utf-8")
    result = cli("narrative", "case.md", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_worded_and_bare_markers_resolve_to_the_records_they_name(case, cli):
    report = _narrative(case, cli)
    names = {f["name"] for f in report["findings"]}
    assert not names & {"unknown-marker", "uncited-in-text", "citation-mismatch"}, names
    cited = [[(i["source"], i["entry"]) for i in m["ids"]] for m in report["markers"]]
    assert cited == [
        [("1", "1")],
        [("G1", "G1")],
        [("Source 1", "Source 1")],
        [("Source 1", "Source 1")],
        [("Source 2", "Source 2")],
    ]


def test_a_marker_naming_no_listed_entry_is_still_reported(case, cli):
    report = _narrative(case, cli, TEXT.replace("(source 2)", "(source 2) [Source 9]"))
    unknown = [f for f in report["findings"] if f["name"] == "unknown-marker"]
    assert [f["source"] for f in unknown] == ["Source 9"]


def test_the_narrative_json_gives_the_register_and_each_cite_resolved(case, cli):
    report = _narrative(case, cli)
    assert report["template"] == "generic"
    register = [(e["id"], e["written"], e["kind"], e["section"]) for e in report["register"]]
    assert register == [
        ("1", "1.", "reference", "3"),
        ("2", "2.", "reference", "3"),
        ("G1", "G1.", "grant", "3"),
        ("Source 1", "Source 1:", "source", "5"),
        ("Source 2", "Source 2:", "source", "5"),
    ]
    worded = report["markers"][2]
    assert worded["style"] == "paren" and worded["section"] == "4"
    assert worded["ids"] == [
        {"source": "Source 1", "pages": "p2", "written": "source 1", "kind": "source",
         "entry": "Source 1"}
    ]  # fmt: skip


BOTH_NUMBERED = """\
1. Summary of the impact

More than £5m now follows the approach.

2. Underpinning research

The team built the approach [1, 2].

3. References to the research

1. A. Researcher (2019) The first article.
2. A. Researcher (2020) The second article.

4. Details of the impact

A council moved a £5m budget to it [1]. A trust followed [2].

5. Sources to corroborate the impact

1. Letter from the council
2. Annual report of the trust
"""


def test_extract_gives_lists_numbered_alike_an_id_each_and_the_markers_follow(case, cli):
    (case.root / "case.md").write_text(BOTH_NUMBERED, encoding="utf-8")
    result = cli("extract", "case.md", "--output", "draft")
    assert result.exit_code == 0, result.output
    stubs = sorted(p.name for p in (case.root / "draft" / "evidence").iterdir())
    assert stubs == ["R1.yaml", "R2.yaml", "S1.yaml", "S2.yaml"]
    claims = (case.root / "draft" / "claims.yaml").read_text(encoding="utf-8")
    assert "evidence:\n  - S1\n" in claims  # the £5m cites source 1, not reference 1
    audited = cli("check", "draft", "--format", "json")
    assert audited.exit_code in (0, 1), audited.output
    names = {f["name"] for f in json.loads(audited.stdout)["findings"]}
    assert "unknown-source" not in names


def test_a_draft_reference_whose_id_does_not_say_so_is_listed_in_the_references(case, cli):
    text = BOTH_NUMBERED.replace(
        "1. Letter from the council\n2. Annual report of the trust\n",
        "S1. Letter from the council\nS2. Annual report of the trust\n",
    )
    (case.root / "case.md").write_text(text.replace("[1]", "[S1]").replace("[2]", "[S2]"))
    result = cli("extract", "case.md", "--output", "draft")
    assert result.exit_code == 0, result.output
    stub = (case.root / "draft" / "evidence" / "1.yaml").read_text(encoding="utf-8")
    assert "listed_in: references" in stub


# The same lists, the sources numbered on from the references.
NUMBERED_ON = (
    BOTH_NUMBERED.replace("it [1]. A trust followed [2]", "it [3]. A trust followed [4]")
    .replace("1. Letter from", "3. Letter from")
    .replace("2. Annual report", "4. Annual report")
)


def test_sources_numbered_on_from_the_references_are_a_list():
    from hls_audit.narrative.analysis import parse_narrative

    narrative = parse_narrative(NUMBERED_ON, "n.md")
    assert [(e.id, e.kind) for e in narrative.register] == [
        ("1", "reference"), ("2", "reference"), ("3", "source"), ("4", "source")
    ]  # fmt: skip
    assert [c.entry for m in narrative.markers for c in m.ids] == ["1", "2", "3", "4"]


def test_a_list_starting_past_the_next_number_is_not_taken_for_sources():
    from hls_audit.narrative.analysis import parse_narrative

    text = NUMBERED_ON.replace("3. Letter", "7. Letter").replace("4. Annual", "8. Annual")
    kinds = [e.kind for e in parse_narrative(text, "n.md").register]
    assert kinds == ["reference", "reference"]
