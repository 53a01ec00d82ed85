"""The CI formats: GitHub annotations, SARIF 2.1.0, JUnit XML and the Markdown summary."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from hls_audit.engine.audit import audit
from hls_audit.engine.findings import Finding, Report, Severity
from hls_audit.io.load import Located, load_case_study
from hls_audit.render import github, junit, markdown, plain, sarif
from hls_audit.render.views import summary_line, where
from hls_audit.rules.catalog import REGISTRY
from tests.conftest import REPO, CaseWriter

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
UNKNOWN = "evidence: [E9]"  # the citation the failing fixture breaks
RENDERERS = {"github": github, "sarif": sarif, "junit": junit, "markdown": markdown}


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths must not depend on whether the tests themselves run under GitHub Actions."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    """The bundled case study, copied so that its paths print relative."""
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(REPO / "evidence", tmp_path / "evidence")
    monkeypatch.chdir(tmp_path)
    return audit(load_case_study(tmp_path))


@pytest.fixture
def failing(case: CaseWriter) -> Report:
    """A small case study with a citation to an unknown id and a stray file in evidence/."""
    case(documents={"stray.pdf": b"%PDF-1.4\n"})
    case.edit("evidence: [E2]", UNKNOWN)
    return audit(load_case_study(case.root))


def _finding(report: Report, code: str) -> Finding:
    return next(f for f in report.findings if f.code == code)


def _unknown_position(case: CaseWriter) -> tuple[int, int]:
    line = case.line_of(UNKNOWN)
    text = (case.root / "claims.yaml").read_text(encoding="utf-8").splitlines()[line - 1]
    return line, text.index("E9") + 1


def _suppress(report: Report, code: str, reason: str = "accepted gap") -> Report:
    findings = [replace(f, suppressed=reason) if f.code == code else f for f in report.findings]
    return replace(report, findings=findings)


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_format_is_deterministic_and_ends_in_a_newline(name, bundled):
    first = RENDERERS[name].render(bundled)
    assert first.endswith("\n")
    assert first == RENDERERS[name].render(bundled)


# --- GitHub workflow commands -------------------------------------------------------------


def test_escaping_follows_actions_toolkit():
    assert github.escape_data("50% match\r\nbest: page 38, C1") == (
        "50%25 match%0D%0Abest: page 38, C1"
    )
    assert github.escape_data("%0A") == "%250A"  # % first, or escapes would be escaped twice
    assert github.escape_property("HLS001: quote, not found\r\n50%") == (
        "HLS001%3A quote%2C not found%0D%0A50%25"
    )


def test_annotations_carry_the_fixture_lines_most_severe_first(failing, case):
    lines = github.render(failing).splitlines()
    line, col = _unknown_position(case)
    assert lines[0] == (
        f"::error file=claims.yaml,line={line},col={col},title=HLS102 unknown-source::"
        "C3 cites E9, which is not in the evidence register%0A"
        "hint: did you mean E2? otherwise add evidence/E9.yaml describing the source"
    )
    headline = case.line_of("- id: H1")
    assert f"::warning file=claims.yaml,line={headline},col=5,title=HLS403 " in "\n".join(lines)
    stray = [ln for ln in lines if "stray.pdf" in ln]
    assert stray == [
        "::warning file=evidence/stray.pdf,title=HLS202 unrecorded-document::"
        "evidence/stray.pdf is not named by any record%0A"
        "hint: name it in a record's `document:`, or remove it from evidence/"
    ]
    assert [ln.split(" ", 1)[0] for ln in lines[:-1]] == ["::error"] + ["::warning"] * 3
    assert lines[-1] == summary_line(failing)
    assert lines[-1].startswith("FAIL: 1 error(s), 3 warning(s)")


def test_an_annotation_escapes_message_and_title():
    finding = Finding(
        "HLS999",
        "odd, name: here",
        Severity.info,
        "50% of C1, see: p2\r\nnext",
        Located("evidence/a b, c.yaml", 3, 7),
    )
    assert github.annotation(finding) == (
        "::notice file=evidence/a b%2C c.yaml,line=3,col=7,title=HLS999 odd%2C name%3A here::"
        "50%25 of C1, see: p2%0D%0Anext"
    )


def test_a_finding_without_location_has_no_file_property(failing):
    finding = replace(_finding(failing, "HLS102"), location=None)
    assert github.annotation(finding).startswith("::error title=HLS102 unknown-source::C3 cites")


def test_a_quote_cannot_inject_a_command(failing):
    hostile = replace(_finding(failing, "HLS102"), message="quote\n::error::injected\r\n::x")
    out = github.render(replace(failing, findings=[hostile]))
    commands = [ln for ln in out.splitlines() if ln.lstrip().startswith("::")]
    assert len(commands) == 1 and "%0A::error::injected%0D%0A::x" in commands[0]
    assert github.plain_line("  ::error::x\n::y").startswith("- ")
    assert "\n" not in github.plain_line("a\nb")


def test_at_most_ten_annotations_per_level_then_one_notice(failing):
    base = _finding(failing, "HLS203")
    warnings = [replace(base, message=f"w{i}") for i in range(25)]
    infos = [replace(base, severity=Severity.info, message=f"i{i}") for i in range(12)]
    out = github.render(replace(failing, findings=warnings + infos)).splitlines()
    assert sum(ln.startswith("::warning ") for ln in out) == 10
    notices = [ln for ln in out if ln.startswith("::notice ")]
    assert len(notices) == 10  # nine info findings and the note, so the note is never dropped
    assert "18 more findings not annotated" in notices[-1]
    assert out[-1] == summary_line(replace(failing, findings=warnings + infos))


def test_paths_are_relative_to_the_workspace(case, monkeypatch):
    case()
    assert github.workspace_path("./evidence/E1.yaml", workspace="") == "evidence/E1.yaml"
    assert github.workspace_path("claims.yaml", workspace=str(case.root.parent)) == (
        f"{case.root.name}/claims.yaml"
    )
    assert github.workspace_path("/elsewhere/claims.yaml", workspace=str(case.root)) == (
        "/elsewhere/claims.yaml"
    )
    monkeypatch.setenv("GITHUB_WORKSPACE", str(case.root.parent))
    finding = Finding("HLS101", "claim-without-source", Severity.error, "m", Located("claims.yaml"))
    assert github.annotation(finding).startswith(f"::error file={case.root.name}/claims.yaml,")
    assert sarif.artifact_uri("claims.yaml") == f"{case.root.name}/claims.yaml"


# --- SARIF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["$id"].endswith("/sarif-schema-2.1.0.json")
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _sarif(report: Report) -> dict:
    return json.loads(sarif.render(report))


@pytest.mark.parametrize("which", ["bundled", "failing"])
def test_sarif_validates_against_the_oasis_schema(which, request, validator):
    report = request.getfixturevalue(which)
    errors = sorted(validator.iter_errors(_sarif(report)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def _require_text(value: object, where_: str) -> None:
    assert isinstance(value, str) and value.strip(), f"{where_} is missing or empty"


@pytest.mark.parametrize("which", ["bundled", "failing"])
def test_sarif_fills_every_field_github_requires(which, request):
    doc = _sarif(request.getfixturevalue(which))
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    _require_text(driver["name"], "driver.name")
    _require_text(driver["semanticVersion"], "driver.semanticVersion")
    assert "informationUri" not in driver
    for rule in driver["rules"]:
        for path in ("id", "name"):
            _require_text(rule[path], f"rule.{path}")
        for path in ("shortDescription", "fullDescription", "help"):
            _require_text(rule[path]["text"], f"{rule['id']}.{path}.text")
        assert len(rule["shortDescription"]["text"]) <= 1024
        assert len(rule["fullDescription"]["text"]) <= 1024
    assert isinstance(run["results"], list)
    for res in run["results"]:
        _require_text(res["message"]["text"], "result.message.text")
        assert 1 <= len(res["locations"]) <= 10
        _require_text(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "uri")
    assert "Time" not in json.dumps(doc)  # no timestamps: the same audit gives the same file


def test_sarif_has_one_rule_per_check_that_ran(bundled):
    rules = _sarif(bundled)["runs"][0]["tool"]["driver"]["rules"]
    ran = [c for c in REGISTRY if c.code in bundled.ran]
    assert [r["id"] for r in rules] == [c.code for c in ran]
    assert not {r["id"] for r in rules} & set(bundled.skipped)  # no narrative, no lock here
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule, item in zip(rules, ran, strict=True):
        assert rule["name"] == item.name
        assert rule["shortDescription"]["text"] == item.summary
        assert rule["defaultConfiguration"]["level"] == levels[item.severity.value]
        assert rule["properties"]["tags"] == [item.family]


def test_sarif_points_at_the_failing_line(failing, case):
    doc = _sarif(failing)
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    assert len(doc["runs"][0]["results"]) == len(failing.findings)
    unknown = results["HLS102"]
    line, col = _unknown_position(case)
    assert unknown["level"] == "error"
    assert unknown["ruleIndex"] == [c.code for c in REGISTRY].index("HLS102")
    assert unknown["message"]["text"].startswith("C3 cites E9, which is not in the evidence")
    physical = unknown["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "claims.yaml"},
        "region": {"startLine": line, "startColumn": col},
    }
    assert results["HLS403"]["level"] == "warning"
    stray = results["HLS202"]["locations"][0]["physicalLocation"]
    assert stray == {"artifactLocation": {"uri": "evidence/stray.pdf"}}  # no line: no region
    assert "suppressions" not in unknown


def test_sarif_keeps_suppressed_findings_marked(failing, validator):
    doc = _sarif(_suppress(failing, "HLS102"))
    validator.validate(doc)
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    assert len(results) == len(failing.findings)
    assert results["HLS102"]["suppressions"] == [
        {"kind": "external", "justification": "accepted gap"}
    ]
    assert all("suppressions" not in r for code, r in results.items() if code != "HLS102")


def test_sarif_locations_for_odd_paths(failing, validator):
    nowhere = replace(_finding(failing, "HLS102"), location=None)
    spaced = replace(_finding(failing, "HLS403"), location=Located("my case/claims.yaml", 2, 1))
    doc = _sarif(replace(failing, findings=[nowhere, spaced]))
    validator.validate(doc)
    first, second = (r["locations"][0]["physicalLocation"] for r in doc["runs"][0]["results"])
    assert first == {"artifactLocation": {"uri": "claims.yaml"}}  # the case study as a whole
    assert second["artifactLocation"]["uri"] == "my%20case/claims.yaml"
    assert sarif.artifact_uri("/abs/dir/claims.yaml") == "file:///abs/dir/claims.yaml"


# --- JUnit XML ------------------------------------------------------------------------------


def _junit(report: Report) -> ET.Element:
    text = junit.render(report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _assert_counts_add_up(root: ET.Element) -> None:
    suites = root.findall("testsuite")
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped", "")) == len(suite.findall("testcase/skipped"))
        assert suite.get("errors") == "0" and suite.get("time") == "0"
        assert all(c.get("classname") == suite.get("name") for c in cases)
    assert int(root.get("tests", "")) == len(root.findall("testsuite/testcase"))
    assert int(root.get("failures", "")) == len(root.findall("testsuite/testcase/failure"))
    assert root.get("errors") == "0" and root.get("time") == "0"


def test_junit_has_a_suite_per_family_and_every_check(bundled):
    root = _junit(bundled)
    assert root.tag == "testsuites" and root.get("name") == "hls-audit"
    families = list(dict.fromkeys(c.family for c in REGISTRY))
    assert [s.get("name") for s in root.findall("testsuite")] == [
        f"hls-audit.{f}" for f in families
    ]
    names = [c.get("name", "") for c in root.iter("testcase")]
    for item in REGISTRY:
        assert any(n.startswith(f"{item.code} {item.name}") for n in names), item.code
    for case in root.iter("testcase"):  # a rule that did not run is skipped, never passed
        code = case.get("name", "").split(" ")[0]
        if code in bundled.skipped:
            assert case.find("skipped").get("message") == bundled.skipped[code]
    assert any(code.startswith("HLS7") for code in bundled.skipped)  # no narrative given
    _assert_counts_add_up(root)
    # The bundled case study passes: its warnings fail their testcases, its info passes.
    assert root.get("failures") == str(bundled.counts["warning"])
    info = [c for c in root.iter("testcase") if c.get("name", "").startswith("HLS308")]
    assert len(info) == 2 and all(c.find("system-out") is not None for c in info)
    assert all(c.find("failure") is None for c in info)


def test_junit_failure_names_the_place_and_the_hint(failing, case):
    root = _junit(failing)
    _assert_counts_add_up(root)
    assert root.get("failures") == str(len(failing.active_findings))
    unknown = next(c for c in root.iter("testcase") if c.get("name", "").startswith("HLS102"))
    assert unknown.get("name") == "HLS102 unknown-source: C3"
    assert unknown.get("classname") == "hls-audit.citations"
    failure = unknown.find("failure")
    assert failure is not None and failure.get("type") == "HLS102"
    line, col = _unknown_position(case)
    assert failure.get("message") == "C3 cites E9, which is not in the evidence register"
    assert failure.text == (
        f"claims.yaml:{line}:{col} C3 cites E9, which is not in the evidence register\n"
        "hint: did you mean E2? otherwise add evidence/E9.yaml describing the source"
    )


def test_junit_suppressed_finding_is_skipped(failing):
    root = _junit(_suppress(failing, "HLS102"))
    _assert_counts_add_up(root)
    unknown = next(c for c in root.iter("testcase") if c.get("name", "").startswith("HLS102"))
    skipped = unknown.find("skipped")
    assert skipped is not None and skipped.get("message") == "suppressed: accepted gap"
    assert unknown.find("failure") is None
    assert root.get("failures") == str(len(failing.active_findings) - 1)


def test_junit_fail_on_info_fails_info_findings(bundled):
    report = replace(bundled, fail_on=Severity.info)
    root = _junit(report)
    assert root.get("failures") == str(len(report.active_findings))


def test_junit_escapes_text_and_keeps_names_unique(failing):
    base = _finding(failing, "HLS102")
    odd = replace(base, message='a <b> & "c"\x0c]]> end', hint="")
    root = _junit(replace(failing, findings=[odd, odd]))
    cases = [c for c in root.iter("testcase") if c.get("name", "").startswith("HLS102")]
    assert [c.get("name") for c in cases] == [
        "HLS102 unknown-source: C3",
        "HLS102 unknown-source: C3 #2",
    ]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c"\ufffd]]> end'
    assert failure.text is not None and failure.text.endswith('a <b> & "c"\ufffd]]> end')


# --- Markdown -------------------------------------------------------------------------------


def _rows(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("| ") and "---" not in ln]


def test_markdown_summary_of_the_bundled_case_study(bundled):
    out = markdown.render(bundled)
    assert out.splitlines()[0] == f"## ✅ hls-audit {markdown.md(summary_line(bundled))}"
    assert "### Headline H1: more than £169,000,000" in out
    assert re.search(r"^\| \*\*Total\*\* \| \*\*6 amounts\*\* \|.*\*\*£169,200,000\*\*", out, re.M)
    assert "Verdict: not proven; holds only if C44" in out
    assert "<details><summary>Not counted toward H1 (" in out
    assert out.count("<details>") == out.count("</details>")
    rows = _rows(out)
    for finding in bundled.findings:
        assert any(finding.code in r and where(finding) in r for r in rows), finding.code
    assert out.rstrip().splitlines()[-3].startswith("Evidence: ")
    assert out.rstrip().splitlines()[-1].startswith("Rules: ")


def test_markdown_failing_case_has_a_row_per_finding(failing, case):
    out = markdown.render(failing)
    assert out.startswith("## ❌ hls-audit FAIL: 1 error(s), 3 warning(s)")
    gaps = out.split("### Gaps (4), grouped by claim", 1)[1]
    rows = _rows(gaps)[1:]  # after the header row
    assert len(rows) == len(failing.findings)
    line, col = _unknown_position(case)
    assert any("| HLS102 |" in r and f"claims.yaml:{line}:{col}" in r for r in rows)
    assert "Suppressed" not in out


def test_markdown_escapes_cells():
    assert markdown.md("a|b\nc") == "a\\|b<br>c"
    assert markdown.md("~£5m or ~$6m <b>") == "\\~£5m or \\~\\$6m \\<b\\>"
    row = "| " + " | ".join([markdown.md("x | y"), "z"]) + " |"
    assert len(re.findall(r"(?<!\\)\|", row)) == 3  # the escaped pipe makes no new column


def test_markdown_lists_suppressed_findings_apart(failing):
    out = markdown.render(_suppress(failing, "HLS102"))
    assert "<details><summary>Suppressed (accepted gaps) (1)</summary>" in out
    gaps, suppressed = out.split("### Gaps (3), grouped by claim", 1)[1].split("<details>", 1)
    assert "HLS102" not in gaps
    assert "HLS102" in suppressed and "accepted gap" in suppressed


def test_markdown_is_cut_below_the_limit(bundled, monkeypatch):
    base = _finding(bundled, "HLS203")
    many = replace(bundled, findings=[replace(base, message=f"gap {i}") for i in range(400)])
    monkeypatch.setattr(markdown, "MAX_BYTES", 8_000)
    out = markdown.render(many)
    assert len(out.encode("utf-8")) <= 8_000
    assert "**Cut short:**" in out.splitlines()[-1]
    assert out.count("<details>") == out.count("</details>")
    assert markdown.render(bundled) == markdown.cap(markdown.render(bundled).splitlines(), 10**9)


# --- Through the command line ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_check_writes_each_format(name, bundled, cli):
    result = cli("check", "--format", name)
    assert result.exit_code == 0, result.output
    assert result.stdout == RENDERERS[name].render(bundled)


def test_without_a_profile_no_ref_rule_passes(tmp_path, monkeypatch):
    text = (REPO / "claims.yaml").read_text(encoding="utf-8")
    profile_line = next(line for line in text.splitlines() if line.startswith("profile:"))
    (tmp_path / "claims.yaml").write_text(text.replace(profile_line + "\n", ""))
    shutil.copytree(REPO / "evidence", tmp_path / "evidence")
    monkeypatch.chdir(tmp_path)
    report = audit(load_case_study(tmp_path))
    ref = [c.code for c in REGISTRY if c.profile == "ref2021"]
    assert ref and all("ref2021 profile is not in use" in report.skipped[code] for code in ref)
    root = _junit(report)
    for case in root.iter("testcase"):
        if case.get("classname") == "hls-audit.ref2021":
            assert case.find("skipped") is not None and case.find("failure") is None
    sarif_rules = {r["id"] for r in _sarif(report)["runs"][0]["tool"]["driver"]["rules"]}
    assert not sarif_rules & set(ref)
    assert "Rules: " in plain.check_text(report) and "ref2021 profile" in plain.check_text(report)
