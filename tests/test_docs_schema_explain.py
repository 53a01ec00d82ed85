"""explain, schema, --output and the pre-commit hook: the documented contracts hold."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
import yaml

from hls_audit.io.yaml_source import load_yaml
from hls_audit.rules.catalog import REGISTRY
from tests.conftest import REPO


@pytest.mark.parametrize("item", REGISTRY, ids=lambda c: c.code)
def test_every_check_is_documented_in_four_sections(item):
    doc = item.doc
    for section in ("what", "why", "example", "fix"):
        assert doc[section].strip(), f"{item.code} has no '{section}' section"


def test_explain_prints_the_documentation(cli):
    result = cli("explain", "HLS203")
    assert result.exit_code == 0
    assert result.stdout.startswith("HLS203 uncited-source (default severity: warning)")
    for heading in ("What it does", "Why it matters", "Example", "Fix"):
        assert f"\n{heading}\n" in result.stdout
    assert cli("explain", "uncited-source").stdout == result.stdout


def test_explain_unknown_code_exits_2(cli):
    result = cli("explain", "HLS999")
    assert result.exit_code == 2
    assert "not a check or input-error code" in result.stderr


def test_every_input_error_code_is_explained_and_documented(cli):
    from hls_audit.core.input_codes import INPUT_CODES

    readme = (REPO / "README.md").read_text("utf-8")
    for code, item in INPUT_CODES.items():
        shown = cli("explain", code)
        assert shown.exit_code == 0 and "exit 2" in shown.stdout and item.fix in shown.stdout
        assert cli("explain", item.name).stdout == shown.stdout
        assert f"| {code} | {item.name} |" in readme, code


def test_the_json_error_report_carries_the_code(case, cli):
    case()
    case.edit("value: 7000000", "value: 7.7e7")
    result = cli("check", "--format", "json")
    assert result.exit_code == 2
    assert [e["code"] for e in json.loads(result.stdout)["errors"]] == ["HLS006"]


def test_docs_checks_md_is_generated_from_the_checks(cli):
    assert cli("explain", "--all").stdout == (REPO / "docs" / "checks.md").read_text("utf-8")


@pytest.mark.parametrize("kind", ["claims", "record", "profile"])
def test_committed_schema_equals_the_generated_one(cli, kind):
    result = cli("schema", kind)
    assert result.exit_code == 0
    committed = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed


def test_bundled_files_validate_against_the_schemas():
    claims_schema = json.loads((REPO / "schema" / "claims.schema.json").read_text("utf-8"))
    record_schema = json.loads((REPO / "schema" / "record.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(claims_schema)
    validator = jsonschema.Draft202012Validator(claims_schema)
    data = load_yaml(REPO / "claims.yaml", "claims.yaml").data
    assert list(validator.iter_errors(data)) == []
    record_validator = jsonschema.Draft202012Validator(record_schema)
    for path in sorted((REPO / "evidence").glob("*.yaml")):
        assert list(record_validator.iter_errors(load_yaml(path, path.name).data)) == []


def test_schema_rejects_what_the_loader_rejects():
    schema = json.loads((REPO / "schema" / "claims.schema.json").read_text("utf-8"))
    data = load_yaml(REPO / "claims.yaml", "claims.yaml").data
    data["claims"][0]["colour"] = "red"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_bundled_files_carry_the_editor_modeline():
    assert (
        (REPO / "claims.yaml")
        .read_text("utf-8")
        .startswith("# yaml-language-server: $schema=schema/claims.schema.json\n")
    )


def test_output_writes_the_file_while_the_terminal_shows_the_table(case, cli):
    case()
    result = cli("check", "--output", "report.json")
    assert result.exit_code == 0
    assert "Gaps (0)" in result.stdout
    report = json.loads((case.root / "report.json").read_text("utf-8"))
    assert report["format"] == "hls-audit/check"
    leftovers = [p.name for p in case.root.iterdir() if p.name.startswith(".report.json")]
    assert leftovers == []


def test_output_refuses_to_overwrite_an_input(case, cli):
    case()
    before = (case.root / "claims.yaml").read_bytes()
    result = cli("check", "--format", "json", "--output", "claims.yaml")
    assert result.exit_code == 2
    assert "would overwrite an input" in result.stderr
    assert (case.root / "claims.yaml").read_bytes() == before
    result = cli("check", "--format", "json", "--output", "evidence/report.json")
    assert result.exit_code == 2
    assert not (case.root / "evidence" / "report.json").exists()


def test_output_with_an_unknown_suffix_needs_a_format(case, cli):
    case()
    result = cli("check", "--output", "report.bin")
    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_pre_commit_hook_runs_the_gate_on_the_whole_case_study():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "hls-audit")
    assert hook["entry"] == "hls-audit check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    import re

    pattern = re.compile(hook["files"])
    for touched in ("claims.yaml", "evidence/E1.yaml", "case/evidence/x.pdf", "hls-audit.toml"):
        assert pattern.search(touched), touched
    assert not pattern.search("src/hls_audit/cli/root.py")


def test_no_stray_files_in_the_repository_root_after_tests():
    assert not [p for p in os.listdir(REPO) if p.startswith(".report")]
