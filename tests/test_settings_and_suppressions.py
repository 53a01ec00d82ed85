"""Settings in hls-audit.toml or pyproject.toml: failure level, severities and suppressions."""

from __future__ import annotations

import json

from tests.conftest import MINIMAL_RECORDS

WITH_R6 = dict(MINIMAL_RECORDS, R6="id: R6\nkind: chapter\ntitle: A chapter\ndoi: 10.1/x\n")


def _check(cli, *extra):
    result = cli("check", "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_a_suppression_with_a_reason_silences_exactly_one_finding(case, cli):
    records = dict(WITH_R6, R7="id: R7\nkind: chapter\ntitle: Another\ndoi: 10.1/y\n")
    case(records=records)
    (case.root / "hls-audit.toml").write_text(
        'fail-on = "warning"\n\n'
        "[[suppress]]\n"
        'code = "HLS203"\n'
        'source = "R6"\n'
        'reason = "Listed for the panel; cited in the next draft"\n'
        "expires = 2999-12-31\n"
    )
    code, report = _check(cli)
    uncited = [f for f in report["findings"] if f["code"] == "HLS203"]
    assert {f["source"]: f["suppressed"] for f in uncited} == {
        "R6": "Listed for the panel; cited in the next draft",
        "R7": None,
    }
    assert report["result"]["counts"]["suppressed"] == 1
    assert code == 1  # R7 still fails the warning gate


def test_suppressed_findings_do_not_fail_the_gate(case, cli):
    case(records=WITH_R6)
    (case.root / "hls-audit.toml").write_text(
        'fail-on = "warning"\n[[suppress]]\ncode = "HLS203"\nsource = "R6"\nreason = "accepted"\n'
    )
    code, _report = _check(cli)
    assert code == 0
    text = cli("check").stdout
    assert "Suppressed (accepted gaps)" in text and "accepted" in text


def test_an_expired_suppression_fails_the_gate(case, cli):
    case(records=WITH_R6)
    (case.root / "hls-audit.toml").write_text(
        '[[suppress]]\ncode = "HLS203"\nsource = "R6"\nreason = "until January"\n'
        "expires = 2020-01-31\n"
    )
    code, report = _check(cli)
    assert code == 1
    expired = next(f for f in report["findings"] if f["code"] == "HLS501")
    assert expired["location"] == {
        "file": "hls-audit.toml",
        "line": 1,
        "column": 1,
        "yaml_path": "suppress[0]",
    }
    # The finding it covered counts again.
    assert next(f for f in report["findings"] if f["code"] == "HLS203")["suppressed"] is None


def test_an_unused_suppression_is_reported(case, cli):
    case()
    (case.root / "hls-audit.toml").write_text(
        '[[suppress]]\ncode = "HLS203"\nsource = "R9"\nreason = "stale"\n'
    )
    code, report = _check(cli)
    assert code == 0
    assert [f["code"] for f in report["findings"]] == ["HLS502"]


def test_pyproject_settings_and_per_code_severity(case, cli):
    case(records=WITH_R6)
    (case.root / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.hls-audit]\nrequire = "records"\n\n'
        '[tool.hls-audit.severity]\nHLS203 = "error"\n'
    )
    code, report = _check(cli)
    assert code == 1
    assert next(f for f in report["findings"] if f["code"] == "HLS203")["severity"] == "error"


def test_command_line_beats_the_settings(case, cli):
    case(records=WITH_R6)
    (case.root / "hls-audit.toml").write_text('fail-on = "warning"\n')
    assert cli("check").exit_code == 1
    assert cli("check", "--fail-on", "error").exit_code == 0


def test_settings_with_an_unknown_key_or_code_are_unusable_input(case, cli):
    case()
    (case.root / "hls-audit.toml").write_text('fail-on = "warning"\nfial = 1\n')
    result = cli("check")
    assert result.exit_code == 2
    assert "hls-audit.toml:2:1: error HLS008: unknown setting 'fial'" in result.stderr
    (case.root / "hls-audit.toml").write_text(
        '[[suppress]]\ncode = "HLS999"\nsource = "R6"\nreason = "x"\n'
    )
    result = cli("check")
    assert result.exit_code == 2
    assert "hls-audit.toml:2:1: error HLS008: HLS999 is not a check code" in result.stderr


def test_a_suppression_needs_a_reason_and_a_subject(case, cli):
    case()
    (case.root / "hls-audit.toml").write_text('[[suppress]]\ncode = "HLS203"\nsource = "R6"\n')
    result = cli("check")
    assert result.exit_code == 2
    expected = "missing required setting 'reason' (at suppress[0].reason)"
    assert f"hls-audit.toml:1:1: error HLS008: {expected}" in result.stderr
    (case.root / "hls-audit.toml").write_text('[[suppress]]\ncode = "HLS203"\nreason = "r"\n')
    result = cli("check")
    assert result.exit_code == 2
    assert "names the claim or the source" in result.stderr


def test_invalid_toml_names_the_line(case, cli):
    case()
    (case.root / "hls-audit.toml").write_text('fail-on = "warning"\n[[suppress]\n')
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("hls-audit.toml:2:")
