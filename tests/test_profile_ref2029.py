"""The provisional REF 2029 profile: its limits as data, its own rules, and moving a case study
from REF 2021 to REF 2029 (`check --profile ref2021 --profile ref2029`)."""

from __future__ import annotations

import json

import pytest

from hls_audit.profiles import get_profile
from hls_audit.profiles.ref2029.identifiers import (
    doi_problem,
    orcid_problem,
    organisation_id_problem,
)
from tests.conftest import assert_golden

IMPACT = "  impact_period: {start: 2019, end: 2020}\n"


def _codes(result, code: str) -> list[dict]:
    data = json.loads(result.stdout)
    return [f for f in data["findings"] if f["code"] == code]


def _check(cli, *extra: str):
    return cli("check", "--profile", "ref2029", "--format", "json", *extra)


# --- the profile as data ---------------------------------------------------------------------


def test_ref2029_extends_ref2021_and_marks_what_is_unconfirmed():
    profile = get_profile("ref2029")
    assert profile.extends == "ref2021" and profile.exercise == "REF 2029 (provisional)"
    limits = {item.name: item for item in profile.limits}
    assert str(limits["impact_period_start"].value) == "2021-01-01"
    assert str(limits["research_period_start"].value) == "2008-01-01"
    assert limits["words_max"].value == 2200
    for name in ("impact_period_start", "impact_period_end", "corroborating_sources_max"):
        assert limits[name].status == "unverified"
        assert "REF 2029" in limits[name].source
    assert limits["units_of_assessment"].status == "rule"
    ref2021 = {item.code for item in get_profile("ref2021").checks}
    assert ref2021 <= {item.code for item in profile.checks}
    assert profile.level("HLS816") == "off" and profile.level("HLS801") == "warning"


def test_profile_show_ref2029_matches_its_golden_file(cli):
    result = cli("profile", "show", "ref2029", "--format", "text")
    assert result.exit_code == 0
    assert_golden("profile-ref2029.txt", result.stdout)


def test_explain_shows_the_limit_under_the_active_profile(cli):
    plain = cli("explain", "HLS804")
    assert plain.exit_code == 0
    assert_golden("explain-HLS804.txt", plain.stdout)
    under = cli("explain", "HLS804", "--profile", "ref2029")
    assert under.exit_code == 0
    assert_golden("explain-HLS804-ref2029.txt", under.stdout)
    assert "outside 1 Jan 2021 – 31 Jul 2028." in under.stdout
    assert "impact_period_start = 2021-01-01 date (unverified:" in under.stdout
    own = cli("explain", "HLS907")
    assert "Under the ref2029 profile" in own.stdout and "words_max = 2200" in own.stdout
    refused = cli("explain", "HLS907", "--profile", "ref2021")
    assert refused.exit_code == 2 and "ref2029" in refused.stderr


# --- the bundled case study under REF 2029 ---------------------------------------------------


def test_bundled_impact_period_is_judged_against_ref2029s_window(bundled, cli):
    result = _check(cli)
    assert result.exit_code == 1
    window = _codes(result, "HLS804")
    assert [f["severity"] for f in window] == ["error", "error"]
    assert "starts 2019" in window[0]["message"] and "ends 2020" in window[1]["message"]
    for finding in window:
        assert "(1 Jan 2021 – 31 Jul 2028)" in finding["message"]
        assert "provisional: rests on the ref2029 profile's unverified" in finding["message"]
        assert finding["unverified_limits"] == ["impact_period_start", "impact_period_end"]
    data = json.loads(result.stdout)
    assert data["profile"]["name"] == "ref2029"
    assert "words_max" in data["profile"]["unverified_limits"]
    assert "units_of_assessment" not in data["profile"]["unverified_limits"]


def test_a_finding_on_the_cases_own_dates_is_not_called_provisional(bundled, cli):
    outside = _codes(_check(cli), "HLS805")
    assert outside and all(f["unverified_limits"] == [] for f in outside)
    assert all("provisional" not in f["message"] for f in outside)


def test_bundled_ref2021_findings_carry_no_provisional_note(bundled, cli):
    data = json.loads(cli("check", "--format", "json").stdout)
    assert data["profile"]["name"] == "ref2021" and data["profile"]["unverified_limits"] == []
    assert all(f["unverified_limits"] == [] for f in data["findings"])


# --- REF 2029's own rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("orcid", "problem"),
    [
        ("https://orcid.org/0000-0002-1825-0097", ""),
        ("0000-0002-1694-233X", ""),
        ("orcid.org/0000-0001-5109-3700", ""),
        ("https://orcid.org/0000-0002-1825-0098", "check digit 8, but its digits give 7"),
        ("0000-0002-1825-009", "not of the form"),
        ("0000000218250097", "not of the form"),
        ("https://orcid.org/0000-0002-1694-233x", "not of the form"),
    ],
)
def test_orcid_form_and_check_digit(orcid, problem):
    found = orcid_problem(orcid)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("https://ror.org/049e6bc10", ""),
        ("052gg0110", ""),
        ("ror.org/02jx3x895", ""),
        ("grid.4991.5", ""),
        ("https://ror.org/049e6bc11", "checksum 11, but its characters give 10"),
        ("https://ror.org/049i6bc10", "neither a ROR id"),
        ("Lankelly Chase", "neither a ROR id"),
    ],
)
def test_organisation_id_form_and_checksum(written, problem):
    found = organisation_id_problem(written)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("doi", "valid"),
    [
        ("10.1080/09540962.2020.1832738", True),
        ("https://doi.org/10.2307/j.ctv177tgp0.24", True),
        ("doi:10.1007/978-3-030-03008-7_16-1", True),
        ("https://doi.org/10.1177%2F0032321718794740", True),
        ("1080/09540962.2020.1832738", False),
        ("10.12/short-registrant", False),
        ("10.1080/", False),
    ],
)
def test_doi_form(doi, valid):
    assert (doi_problem(doi) == "") is valid


def test_hls901_reports_a_mistyped_orcid_at_its_place(case, cli):
    case()
    case.edit(
        IMPACT,
        IMPACT + "  staff:\n"
        "    - {name: A. Researcher, role: Lecturer, employed: {start: 2015},\n"
        "       orcid: 'https://orcid.org/0000-0002-1825-0098'}\n"
        "    - {name: B. Researcher, role: Reader, employed: {start: 2015},\n"
        "       orcid: 'https://orcid.org/0000-0002-1825-0097'}\n",
    )
    found = _codes(_check(cli), "HLS901")
    assert len(found) == 1 and "A. Researcher" in found[0]["message"]
    assert found[0]["severity"] == "error"
    assert found[0]["location"]["line"] == case.line_of("0098")
    assert found[0]["location"]["yaml_path"] == "case_study.staff[0].orcid"


def test_hls901_to_hls904_do_not_run_under_ref2021(case, cli):
    case()
    case.edit("    value: 88194.45\n", "    value: 88194.45\n    funder_id: nonsense\n")
    data = json.loads(cli("check", "--profile", "ref2021", "--format", "json").stdout)
    assert not [f for f in data["findings"] if f["code"].startswith("HLS9")]
    skipped = {s["code"]: s["reason"] for s in data["rules"]["skipped"]}
    assert "ref2029 profile is not in use" in skipped["HLS902"]


def test_hls902_funder_id_must_be_ror_or_grid(case, cli):
    case()
    case.edit("    value: 88194.45\n", "    value: 88194.45\n    funder_id: ror.org/049e6bc11\n")
    found = _codes(_check(cli), "HLS902")
    assert len(found) == 1 and "checksum 11" in found[0]["message"]
    assert found[0]["severity"] == "warning"
    case.edit("funder_id: ror.org/049e6bc11", "funder_id: https://ror.org/049e6bc10")
    assert _codes(_check(cli), "HLS902") == []


def test_hls903_and_hls904_grant_numbers(case, cli):
    case()
    missing = _codes(_check(cli), "HLS903")
    assert len(missing) == 1 and "G1" in missing[0]["message"]
    case.edit("    value: 88194.45\n", "    value: 88194.45\n    number: '-/-'\n")
    result = _check(cli)
    assert _codes(result, "HLS903") == []
    bad = _codes(result, "HLS904")
    assert len(bad) == 1 and "no letter or digit" in bad[0]["message"]
    case.edit("number: '-/-'", f"number: {'A' * 257}")
    assert "257 characters; at most 256" in _codes(_check(cli), "HLS904")[0]["message"]
    case.edit(f"number: {'A' * 257}", "number: ES/P000000/1")
    assert _codes(_check(cli), "HLS904") == []


def test_a_house_profile_changes_the_grant_number_length(case, cli):
    case()
    case.edit("    value: 88194.45\n", "    value: 88194.45\n    number: ES/P000000/1\n")
    (case.root / "short.toml").write_text(
        'extends = "ref2029"\n\n[limits.grant_number_max_length]\nvalue = 8\n'
        'source = "our finance system"\nstatus = "unverified"\n',
        encoding="utf-8",
    )
    (case.root / "hls-audit.toml").write_text('profile = "short.toml"\n', encoding="utf-8")
    data = json.loads(cli("check", "--format", "json").stdout)
    found = [f for f in data["findings"] if f["code"] == "HLS904"]
    assert len(found) == 1 and "12 characters; at most 8" in found[0]["message"]
    assert found[0]["unverified_limits"] == ["grant_number_max_length"]
    assert "the short profile's unverified grant_number_max_length = 8" in found[0]["message"]


def test_hls905_and_hls906_dois(case, cli):
    records = {
        "E1": "id: E1\nkind: report\ntitle: A report\ndoi: 'https://doi.org/1000/xyz'\n",
        "E2": "id: E2\nkind: report\ntitle: Another report\n",
        "R1": "id: R1\nkind: article\ntitle: The research article\n",
    }
    case(records=records)
    result = _check(cli)
    invalid = _codes(result, "HLS905")
    assert [f["source"] for f in invalid] == ["E1"]
    assert invalid[0]["location"]["file"] == "evidence/E1.yaml"
    assert invalid[0]["location"]["line"] == 4
    without = _codes(result, "HLS906")
    assert [f["source"] for f in without] == ["R1"] and without[0]["severity"] == "info"


def _narrative(words_each: int) -> str:
    body = " ".join(["word"] * words_each)
    titles = (
        "Summary of the impact",
        "Underpinning research",
        "References to the research",
        "Details of the impact",
        "Sources to corroborate the impact",
    )
    return "\n\n".join(f"{n}. {title}\n\n{body}" for n, title in enumerate(titles, start=1)) + "\n"


def test_hls907_counts_every_section_against_the_word_cap(case, cli):
    case()
    (case.root / "narrative.md").write_text(_narrative(460), encoding="utf-8")
    found = _codes(_check(cli, "--narrative", "narrative.md"), "HLS907")
    assert len(found) == 1
    assert "sections 1, 2, 3, 4, 5 come to 2,300 words; the cap is 2,200" in found[0]["message"]
    assert found[0]["unverified_limits"] == ["words_max"]
    (case.root / "narrative.md").write_text(_narrative(400), encoding="utf-8")
    assert _codes(_check(cli, "--narrative", "narrative.md"), "HLS907") == []


def test_hls908_continued_case_studies(case, cli):
    case()
    case.edit(IMPACT, IMPACT + "  continued_from_2014: true\n")
    found = _codes(_check(cli), "HLS908")
    assert len(found) == 1 and "continued_from_2014 answers" in found[0]["message"]
    case.edit("  continued_from_2014: true\n", "  continued_from: 'REF 2021: an earlier case'\n")
    found = _codes(_check(cli), "HLS908")
    assert len(found) == 1 and "no claim is dated within 1 Jan 2021" in found[0]["message"]
    case.edit(
        "    amount: {role: counted, value: 4000000",
        "    date: 2022-05\n    amount: {role: counted, value: 4000000",
    )
    assert _codes(_check(cli), "HLS908") == []


def test_hls816_the_2star_threshold_applies_under_ref2021_only(case, cli):
    records = {
        "E1": "id: E1\nkind: report\ntitle: A report\nurl: https://example.org/a\n",
        "E2": "id: E2\nkind: report\ntitle: Another report\nurl: https://example.org/b\n",
        "R1": "id: R1\nkind: report\ntitle: An unpublished study\n",
    }
    case(records=records)
    case.edit("grants:\n", "grants: []\nold_grants:\n")
    text = (case.root / "claims.yaml").read_text(encoding="utf-8")
    start = text.index("old_grants:\n")
    end = text.index("claims:\n")
    (case.root / "claims.yaml").write_text(
        text[:start] + text[end:].replace("evidence: [R1, G1]", "evidence: [R1]"),
        encoding="utf-8",
    )
    data = json.loads(cli("check", "--profile", "ref2021", "--format", "json").stdout)
    found = [f for f in data["findings"] if f["code"] == "HLS816"]
    assert len(found) == 1 and found[0]["source"] == "R1"
    later = json.loads(_check(cli).stdout)
    assert not [f for f in later["findings"] if f["code"] == "HLS816"]
    skipped = {s["code"]: s["reason"] for s in later["rules"]["skipped"]}
    assert skipped["HLS816"] == "the ref2029 profile switches it off"


# --- profile: in claims.yaml ------------------------------------------------------------------


def test_claims_yaml_may_name_a_house_profile_file(bundled, cli):
    (bundled / "house.toml").write_text(
        'extends = "ref2021"\n\n[limits.corroborating_sources_max]\nvalue = 8\n',
        encoding="utf-8",
    )
    text = (bundled / "claims.yaml").read_text(encoding="utf-8")
    (bundled / "claims.yaml").write_text(
        text.replace("profile: ref2021 ", "profile: house.toml", 1), encoding="utf-8"
    )
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    found = _codes(result, "HLS801")
    assert len(found) == 1 and found[0]["source"] == "E9"
    assert "the house profile (REF 2021) allows at most 8" in found[0]["message"]


@pytest.mark.parametrize("named", ["../house.toml", "/tmp/house.toml", "house.txt", "ref2030"])
def test_claims_yaml_profile_outside_the_folder_or_unknown_is_refused(bundled, cli, named):
    text = (bundled / "claims.yaml").read_text(encoding="utf-8")
    (bundled / "claims.yaml").write_text(
        text.replace("profile: ref2021 ", f"profile: '{named}'", 1), encoding="utf-8"
    )
    result = cli("check")
    assert result.exit_code == 2
    assert "claims.yaml:3:10: error HLS006: expected a built-in profile" in result.stderr
    assert "Traceback" not in result.output


# --- moving from REF 2021 to REF 2029 --------------------------------------------------------


def test_migration_shows_both_sides_and_what_differs(bundled, cli):
    result = cli("check", "--profile", "ref2021", "--profile", "ref2029")
    assert result.exit_code == 1  # the exit code of the profile moved to
    out = result.stdout
    assert "from ref2021 (REF 2021) to ref2029 (REF 2029 (provisional))" in out
    assert "Limits that differ (ref2021 -> ref2029)" in out
    assert "impact_period_start        2013-08-01  2021-01-01  unverified" in out
    assert "words_max                  -           2200        unverified" in out
    new = out[out.index("New under ref2029") : out.index("No longer reported")]
    assert new.count("HLS804 impact-outside-window") == 2
    assert new.count("HLS903 grant-without-number") == 3
    gone = out[out.index("No longer reported") : out.index("Under both, with another")]
    assert "after 31 Dec 2020" in gone
    assert out.rstrip().splitlines()[-1].startswith("FAIL under ref2029: 2 error(s)")


def test_migration_json_document(bundled, cli):
    result = cli("check", "--profile", "ref2021", "--profile", "ref2029", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["format"] == "hls-audit/migration" and data["version"] == 1
    assert data["from"]["profile"]["name"] == "ref2021"
    assert data["to"]["result"]["exit_code"] == 1
    assert data["from"]["headlines"][0]["verdict"] == "not proven"
    assert sorted({f["code"] for f in data["new"]}) == ["HLS804", "HLS806", "HLS807", "HLS903"]
    assert {f["code"] for f in data["gone"]} == {"HLS806", "HLS807"}
    limits = {item["name"]: item for item in data["limits"]}
    assert limits["words_max"]["from"] is None
    assert limits["impact_period_end"]["to"]["value"] == "2028-07-31"
    assert limits["impact_period_end"]["to"]["status"] == "unverified"
    assert data["unchanged"] > 0


def test_migration_back_to_ref2021_exits_with_ref2021s_code(bundled, cli):
    result = cli("check", "--profile", "ref2029", "--profile", "ref2021")
    assert result.exit_code == 0
    assert result.stdout.rstrip().splitlines()[-1].startswith("PASS under ref2021")


@pytest.mark.parametrize(
    "extra",
    [
        ["--profile", "ref2021", "--profile", "ref2021"],
        ["--profile", "ref2021", "--profile", "ref2029", "--profile", "ref2021"],
        ["--profile", "ref2021", "--profile", "ref2029", "--format", "sarif"],
        ["--profile", "ref2021", "--profile", "ref2029", "--output", "out.json"],
    ],
)
def test_migration_refuses_what_it_cannot_show(bundled, cli, extra):
    result = cli("check", *extra)
    assert result.exit_code == 2
    assert "--profile" in result.stderr or "--format" in result.stderr
    assert not (bundled / "out.json").exists()


def test_summaries_name_the_limits_of_the_profile_that_runs_them(bundled, cli):
    (bundled / "house.toml").write_text(
        'extends = "ref2021"\n\n[limits.corroborating_sources_max]\nvalue = 8\n',
        encoding="utf-8",
    )
    (bundled / "hls-audit.toml").write_text('profile = "house.toml"\n', encoding="utf-8")
    sarif = json.loads(cli("check", "--format", "sarif").stdout)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["HLS801"]["shortDescription"]["text"].startswith("More than 8 corroborating")
    listed = cli("rules", "--format", "json")
    summaries = {r["code"]: r["summary"] for r in json.loads(listed.stdout)["rules"]}
    assert summaries["HLS801"].startswith("More than 10 corroborating")
    assert summaries["HLS804"] == (
        "The declared impact period lies outside 1 Aug 2013 – 31 Dec 2020."
    )
    assert summaries["HLS907"] == "The narrative's sections come to more than 2200 words in all."
