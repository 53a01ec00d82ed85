"""`hls-audit init`, `hls-audit review` and the draft checks HLS107 (unreviewed) and HLS108."""

from __future__ import annotations

import json

import pytest

from hls_audit.rules.drafts import is_placeholder


def _check(cli, *paths):
    result = cli("check", *paths, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def _codes(findings, code):
    return [f for f in findings if f["code"] == code]


def test_init_writes_a_skeleton_that_fails_check_on_every_placeholder(case, cli):
    result = cli("init", "new")
    assert result.exit_code == 0, result.output
    root = case.root / "new"
    assert (root / "claims.yaml").is_file()
    assert (root / "evidence" / "E1.yaml").is_file()
    assert (root / "hls-audit.toml").is_file()

    code, findings = _check(cli, "new")
    assert code == 1
    placeholders = _codes(findings, "HLS108")
    by_path = {(f["location"]["file"], f["location"]["yaml_path"]): f for f in placeholders}
    claims = (root / "claims.yaml").read_text(encoding="utf-8").splitlines()
    for yaml_path, needle in [
        ("case_study.title", "TODO: the case study's title"),
        ("case_study.institution", "TODO: the submitting institution"),
        ("case_study.unit.name", "TODO: the unit's name"),
        ("grants[0].funder", "<name of funder>"),
        ("claims[0].statement", "TODO: what the research found"),
    ]:
        hit = by_path[("new/claims.yaml", yaml_path)]
        line = next(n for n, text in enumerate(claims, 1) if needle in text)
        assert hit["location"]["line"] == line
        assert yaml_path in hit["message"]
    record = by_path[("new/evidence/E1.yaml", "held_by")]
    assert record["source"] == "E1"
    # every TODO and <...> in the files is reported, and nothing else is an error
    written = sum(
        text.split("#", 1)[0].count('"TODO') + text.split("#", 1)[0].count('"<')
        for name in ("claims.yaml", "evidence/E1.yaml")
        for text in (root / name).read_text(encoding="utf-8").splitlines()
    )
    assert len(placeholders) == written
    unreviewed = _codes(findings, "HLS107")
    assert {f["message"].split(" is ")[0] for f in unreviewed} == {
        "headline H1",
        "grant G1",
        *(f"claim C{n}" for n in range(1, 8)),
        "record E1",
    }
    errors = {f["code"] for f in findings if f["severity"] == "error"}
    assert errors == {"HLS107", "HLS108"}


def test_init_in_the_current_folder_and_the_hint_on_success(case, cli):
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert "hls-audit review" in result.stdout
    assert cli("check").exit_code == 1


@pytest.mark.parametrize("existing", ["claims.yaml", "evidence", "hls-audit.toml"])
def test_init_never_overwrites(case, cli, existing):
    target = case.root / "new" / existing
    target.parent.mkdir()
    if existing == "evidence":
        target.mkdir()
    else:
        target.write_text("# mine\n", encoding="utf-8")
    result = cli("init", "new")
    assert result.exit_code == 2
    assert "HLS011" in result.stderr and existing in result.stderr
    assert "never overwrites" in result.stderr
    if existing != "evidence":
        assert target.read_text(encoding="utf-8") == "# mine\n"
    assert not (case.root / "new" / "evidence" / "E1.yaml").exists()


def test_an_unreviewed_claim_fails_check_at_its_reviewed_key(case, cli):
    case()
    assert cli("check").exit_code == 0
    case.edit(
        '    amount: {role: counted, value: 4000000, stated: "£4m"}\n',
        '    amount: {role: counted, value: 4000000, stated: "£4m"}\n    reviewed: false\n',
    )
    code, findings = _check(cli)
    assert code == 1
    (hit,) = _codes(findings, "HLS107")
    assert hit["message"] == "claim C3 is a draft: not yet reviewed"
    assert hit["claim"] == "C3"
    assert hit["hint"] == "check it against the evidence, then set reviewed: true"
    assert hit["location"]["line"] == case.line_of("reviewed: false")
    assert hit["location"]["yaml_path"] == "claims[2].reviewed"

    case.edit("reviewed: false", "reviewed: true")
    code, findings = _check(cli)
    assert code == 0 and not _codes(findings, "HLS107")


def test_unreviewed_records_grants_and_headlines(case, cli):
    records = {
        "E1": "id: E1\nkind: testimonial\ntitle: Letter from the council\n"
        "held_by: the impact team\nreviewed: false\n",
        "E2": "id: E2\nkind: report\ntitle: The trust's annual report\nurl: https://example.org/r\n",
        "R1": "id: R1\nkind: article\ntitle: The research article\ndoi: 10.1000/xyz\n",
    }
    case(records=records)
    case.edit("    value: 88194.45\n", "    value: 88194.45\n    reviewed: false\n")
    case.edit("    value: 10000000\n", "    value: 10000000\n    reviewed: false\n")
    _, findings = _check(cli)
    hits = {f["message"]: f for f in _codes(findings, "HLS107")}
    assert set(hits) == {
        "record E1 is a draft: not yet reviewed",
        "grant G1 is a draft: not yet reviewed",
        "headline H1 is a draft: not yet reviewed",
    }
    record = hits["record E1 is a draft: not yet reviewed"]["location"]
    assert record == {"file": "evidence/E1.yaml", "line": 5, "column": 11, "yaml_path": "reviewed"}


def test_placeholders_in_a_record_are_located(case, cli):
    records = {
        "E1": "id: E1\nkind: testimonial\ntitle: Letter from the council\n"
        "provider: {organisation: TBC, role: '?'}\n"
        "held_by: <who holds it>\n"
        "corroborates: Fixme later\n",
        "E2": "id: E2\nkind: report\ntitle: '...'\nurl: <https://example.org/r>\n",
        "R1": "id: R1\nkind: article\ntitle: The research article\nauthors: [A. Author, tbd]\n",
    }
    case(records=records)
    code, findings = _check(cli)
    assert code == 1
    found = {
        (f["location"]["file"], f["location"]["yaml_path"]): f["location"]["line"]
        for f in _codes(findings, "HLS108")
    }
    assert found == {
        ("evidence/E1.yaml", "provider.organisation"): 4,
        ("evidence/E1.yaml", "provider.role"): 4,
        ("evidence/E1.yaml", "held_by"): 5,
        ("evidence/E1.yaml", "corroborates"): 6,
        ("evidence/E2.yaml", "title"): 3,
        ("evidence/R1.yaml", "authors[1]"): 4,
    }
    hit = next(f for f in findings if f["location"]["yaml_path"] == "held_by")
    assert hit["message"] == "E1: held_by is a placeholder: '<who holds it>'"
    assert hit["source"] == "E1"


def test_a_placeholder_in_a_claim_names_the_claim(case, cli):
    case()
    case.edit("statement: A trust put its grants under the approach.", "statement: 'TODO'")
    _, findings = _check(cli)
    (hit,) = _codes(findings, "HLS108")
    assert hit["claim"] == "C3"
    assert hit["location"]["yaml_path"] == "claims[2].statement"
    assert hit["location"]["line"] == case.line_of("statement: 'TODO'")


@pytest.mark.parametrize(
    "value",
    [
        "TODO",
        "todo: write it",
        "TBC",
        "FIXME",
        "XXX",
        "...",
        "…",
        "?",
        "???",
        "tbd",
        "TBD",
        "<name of funder>",
        "<...>",
        " TODO ",
    ],
)
def test_what_is_a_placeholder(value):
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        "Todorov and Partners",
        "A trust's report",
        "Is it?",
        "<https://example.org>",
        "<someone@example.org>",
        "",
        "XXXL",
        "2 < 3 > 1 maybe",
        "Tbilisi",
    ],
)
def test_what_is_not_a_placeholder(value):
    assert not is_placeholder(value)


def test_review_lists_what_is_left_and_exits_1_then_0(case, cli):
    case()
    result = cli("review")
    assert result.exit_code == 0, result.output
    assert "nothing left to review" in result.stdout

    case.edit("    evidence: [E2]\n", "    evidence: [E2]\n    reviewed: false\n")
    case.edit("institution: Example University", "institution: <the institution>")
    result = cli("review", "--format", "text")
    assert result.exit_code == 1
    line = case.line_of("reviewed: false")
    assert f"claim C3  claims.yaml:{line}:" in result.stdout
    where = case.line_of("institution:")
    assert f"claims.yaml:{where}:" in result.stdout and "case_study.institution" in result.stdout
    assert "1 unreviewed item and 1 placeholder left to review" in result.stdout


def test_review_json(case, cli):
    case()
    case.edit("    evidence: [E2]\n", "    evidence: [E2]\n    reviewed: false\n")
    case.edit("title: A small case study", "title: 'TODO: a title'")
    result = cli("review", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["format"] == "hls-audit/review" and data["version"] == 1
    assert "tool_version" in data
    assert data["case_study"]["file"] == "claims.yaml"
    assert data["result"] == {
        "done": False,
        "exit_code": 1,
        "counts": {"unreviewed": 1, "placeholders": 1},
    }
    (item,) = data["unreviewed"]
    assert item["kind"] == "claim" and item["id"] == "C3"
    assert item["location"]["line"] == case.line_of("reviewed: false")
    (value,) = data["placeholders"]
    assert value["field"] == "case_study.title" and value["value"] == "TODO: a title"
    assert value["item"] is None
    assert value["location"]["line"] == case.line_of("title:")


def test_review_of_the_init_skeleton(case, cli):
    assert cli("init").exit_code == 0
    data = json.loads(cli("review", "--format", "json").stdout)
    assert data["result"]["counts"]["unreviewed"] == 10
    assert data["result"]["counts"]["placeholders"] >= 25


def test_review_on_unusable_input_exits_2(case, cli):
    case()
    case.edit("version: 1", "version: 1\nnonsense: true")
    result = cli("review", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["format"] == "hls-audit/error"
    assert cli("review", "missing-folder").exit_code == 2
