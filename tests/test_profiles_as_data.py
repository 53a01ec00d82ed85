"""Rule profiles as data: profile.toml, house profiles that extend it, and their commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hls_audit.profiles import get_profile
from hls_audit.profiles.ref2021.limits import LIMITS, RULES
from tests.conftest import MINIMAL_CLAIMS, QUIET_CHECK, REPO, assert_golden

HOUSE = """\
# Our own reading of REF 2021: fewer corroborating sources.
name = "house"
extends = "ref2021"

[limits.corroborating_sources_max]
value = 8
source = "Our impact office's rule"
"""

NAMES = (
    "corroborating_sources_max",
    "references_max",
    "contacts_max",
    "research_period_start",
    "research_period_end",
    "impact_period_start",
    "impact_period_end",
    "units_of_assessment",
    "summary_words",
    "research_words",
    "details_words",
    "pages_max",
    "words_per_page",
)


def house(root: Path, text: str = HOUSE, name: str = "house.toml", setting: bool = True) -> None:
    (root / name).write_text(text, encoding="utf-8")
    if setting:
        (root / "hls-audit.toml").write_text(f'profile = "{name}"\n', encoding="utf-8")


def findings(cli, *extra: str) -> tuple[int, list[dict[str, object]]]:
    result = cli("check", "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def input_error(cli) -> str:
    result = cli("check", "--format", "text")
    assert result.exit_code == 2, result.output
    return result.stderr


# --- the built-in profile is data ------------------------------------------------------------


def test_ref2021_reads_its_limits_and_severities_from_profile_toml():
    profile = get_profile("ref2021")
    assert tuple(limit.name for limit in profile.limits) == NAMES
    assert profile.limits == LIMITS
    assert profile.limit("corroborating_sources_max").value == 10
    assert profile.limit("words_per_page").status == "house"
    assert RULES.max_sources == 10 and RULES.exercise == "REF 2021"
    assert {code: profile.level(code) for code in ("HLS801", "HLS807", "HLS815")} == {
        "HLS801": "error",
        "HLS807": "info",
        "HLS815": "info",
    }
    # The [rules] table gives every rule the severity its code declares.
    for item in profile.checks:
        assert profile.level(item.code) == item.severity.value, item.code


def test_profile_toml_ships_inside_the_package():
    import hls_audit.profiles as package

    assert (Path(package.__file__).parent / "ref2021" / "profile.toml").is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["src/hls_audit"]' in pyproject  # hatch ships every file of the package


def test_a_case_study_without_a_profile_never_reads_toml(case):
    case()
    code = (
        "import sys, io, contextlib\n"
        + QUIET_CHECK
        + "print(sorted({'tomllib', 'hls_audit.profiles.loader'} & set(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_bundled_case_study_reads_profile_toml_once():
    code = (
        "import sys, io, contextlib, pathlib\n"
        "reads = []\n"
        "original = pathlib.Path.read_text\n"
        "def spy(self, *a, **k):\n"
        "    if self.name == 'profile.toml':\n"
        "        reads.append(self.name)\n"
        "    return original(self, *a, **k)\n"
        "pathlib.Path.read_text = spy\n" + QUIET_CHECK + "print(len(reads))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "1", out.stdout + out.stderr


# --- a house profile changes the rules' behaviour and messages -------------------------------


def test_the_bundled_case_study_passes_hls801_under_ref2021(bundled, cli):
    _, found = findings(cli)
    assert "HLS801" not in {f["code"] for f in found}


def test_a_house_profile_of_eight_sources_fails_hls801_naming_eight(bundled, cli):
    house(bundled)
    code, found = findings(cli)
    assert code == 1
    hits = [f for f in found if f["code"] == "HLS801"]
    assert len(hits) == 1
    assert hits[0]["severity"] == "error"
    assert "the house profile (REF 2021) allows at most 8, so E9, E10 are over" in str(
        hits[0]["message"]
    )
    # Everything else is as under ref2021: the other profile rules still run.
    assert {"HLS806", "HLS809"} <= {f["code"] for f in found}


def test_a_house_profile_overrides_a_rule_severity(bundled, cli):
    house(bundled, HOUSE + '\n[rules]\nHLS801 = "warning"\nHLS809 = "off"\n')
    code, found = findings(cli)
    assert code == 0
    by_code = {f["code"]: f for f in found}
    assert by_code["HLS801"]["severity"] == "warning"
    assert "HLS809" not in by_code
    result = cli("check", "--format", "json")
    report = json.loads(result.stdout)
    skipped = json.dumps(report)
    assert "the house profile switches it off" in skipped


def test_the_settings_severity_still_wins_over_the_profile(bundled, cli):
    house(bundled, HOUSE + '\n[rules]\nHLS801 = "warning"\n', setting=False)
    (bundled / "hls-audit.toml").write_text(
        'profile = "house.toml"\n[severity]\nHLS801 = "info"\n', encoding="utf-8"
    )
    _, found = findings(cli)
    assert [f["severity"] for f in found if f["code"] == "HLS801"] == ["info"]


def test_a_profile_can_extend_another_file_in_its_folder(bundled, cli):
    house(bundled, name="base.toml", setting=False)
    house(
        bundled,
        'name = "faculty"\nextends = "base.toml"\n\n[limits.corroborating_sources_max]\n'
        "value = 9\n",
        name="faculty.toml",
    )
    _, found = findings(cli)
    hits = [f for f in found if f["code"] == "HLS801"]
    assert len(hits) == 1 and "at most 9, so E10 are over" in str(hits[0]["message"])
    shown = cli("profile", "show", "faculty.toml", "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert (data["name"], data["extends"], data["base"]) == ("faculty", "base.toml", "ref2021")
    limit = next(x for x in data["limits"] if x["name"] == "corroborating_sources_max")
    assert (limit["value"], limit["status"], limit["source"]) == (9, "house", "faculty.toml")


def test_a_date_limit_can_be_overridden(bundled, cli):
    house(bundled, 'extends = "ref2021"\n[limits.impact_period_end]\nvalue = 2019-07-31\n')
    _, found = findings(cli)
    hits = [f for f in found if f["code"] == "HLS804"]
    assert hits and "31 Jul 2019" in str(hits[0]["message"])


# --- every validation error is coded and located ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "code", "words"),
    [
        (
            'extends = "ref2021"\n\n[limits.source_max]\nvalue = 8\n',
            3,
            9,
            "HLS013",
            "unknown limit 'source_max'",
        ),
        (
            'extends = "ref2021"\n[limits.corroborating_sources_max]\nvalue = "eight"\n',
            3,
            1,
            "HLS013",
            "must be a whole number or a date",
        ),
        (
            'extends = "ref2021"\n[limits.impact_period_end]\nvalue = 8\n',
            3,
            1,
            "HLS013",
            "impact_period_end must be a date, got the number 8",
        ),
        (
            'extends = "ref2021"\n\n[rules]\nHLS801 = "error"\nHLS102 = "off"\n',
            5,
            1,
            "HLS013",
            "HLS102 is not a rule of the ref2021 profile",
        ),
        (
            'extends = "ref2021"\n[rules]\nHLS801 = "fatal"\n',
            3,
            1,
            "HLS013",
            "must be one of error, warning, info, off",
        ),
        ('extends = "ref2021"\ncolour = "red"\n', 2, 1, "HLS013", "unknown key 'colour'"),
        ('name = "house"\n', 1, 1, "HLS013", "names the profile it extends"),
        ('name = "house"\nextends = "ref2099"\n', 2, 1, "HLS014", "extends 'ref2099'"),
        ('extends = "missing.toml"\n', 1, 1, "HLS014", "extends 'missing.toml', which does not"),
        ('extends = "ref2021"\n[limits\n', 2, 8, "HLS013", "invalid TOML"),
    ],
)
def test_an_unusable_profile_is_an_input_error_at_its_place(
    bundled, cli, text, line, column, code, words
):
    house(bundled, text)
    stderr = input_error(cli)
    assert f"house.toml:{line}:{column}: error {code}: " in stderr, stderr
    assert words in stderr


def test_an_extends_cycle_is_an_input_error(bundled, cli):
    house(bundled, 'extends = "b.toml"\n', name="a.toml")
    house(bundled, '# b extends a\nextends = "a.toml"\n', name="b.toml", setting=False)
    stderr = input_error(cli)
    assert "b.toml:2:1: error HLS014: extends cycle: a.toml -> b.toml -> a.toml" in stderr


def test_the_settings_name_a_profile_inside_the_case_study(bundled, cli):
    (bundled / "hls-audit.toml").write_text('profile = "../house.toml"\n', encoding="utf-8")
    assert "hls-audit.toml:1:1: error HLS007: " in input_error(cli)
    (bundled / "hls-audit.toml").write_text('profile = "ref2099"\n', encoding="utf-8")
    assert "hls-audit.toml:1:1: error HLS008: 'ref2099' is not a built-in profile" in (
        input_error(cli)
    )
    (bundled / "hls-audit.toml").write_text('profile = "house.toml"\n', encoding="utf-8")
    assert "error HLS001: the profile file does not exist" in input_error(cli)


def test_the_new_input_codes_are_explained(cli):
    for code, name in (("HLS013", "bad-profile"), ("HLS014", "bad-extends")):
        result = cli("explain", code)
        assert result.exit_code == 0
        assert result.stdout.startswith(f"{code} {name} (input error")


# --- the commands ----------------------------------------------------------------------------


def test_profiles_lists_the_built_in_profiles(cli):
    result = cli("profiles")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "name     exercise                extends",
        "ref2021  REF 2021                -",
        "ref2029  REF 2029 (provisional)  ref2021",
    ]
    data = json.loads(cli("profiles", "--format", "json").stdout)
    assert data["profiles"] == [
        {"name": "ref2021", "exercise": "REF 2021", "extends": None},
        {"name": "ref2029", "exercise": "REF 2029 (provisional)", "extends": "ref2021"},
    ]


def test_profile_show_ref2021_prints_every_limit(cli):
    result = cli("profile", "show", "ref2021", "--format", "text")
    assert result.exit_code == 0
    assert_golden("profile-ref2021.txt", result.stdout)
    data = json.loads(cli("profile", "show", "ref2021", "--format", "json").stdout)
    assert [x["name"] for x in data["limits"]] == list(NAMES)
    assert data["limits"][3] == {
        "name": "research_period_start",
        "value": "2000-01-01",
        "unit": "date",
        "source": "REF 2019/01 Guidance on submissions, eligibility",
        "status": "rule",
    }


def test_profile_show_refuses_an_unknown_name_and_reports_a_bad_file(cli, case):
    assert cli("profile", "show", "ref2099").exit_code == 2
    Path("bad.toml").write_text('extends = "ref2021"\n[limits.pages]\nvalue = 4\n')
    result = cli("profile", "show", "bad.toml")
    assert result.exit_code == 2
    assert "bad.toml:2:9: error HLS013: unknown limit 'pages'" in result.stderr


def test_explain_shows_the_limits_a_rule_uses(cli, case):
    result = cli("explain", "HLS801")
    assert result.exit_code == 0
    assert "Under the ref2021 profile (REF 2021)" in result.stdout
    assert "corroborating_sources_max = 10 sources (rule: " in result.stdout
    case(claims=MINIMAL_CLAIMS)
    house(case.root)
    result = cli("explain", "HLS801", "--profile", "house.toml")
    assert result.exit_code == 0, result.output
    assert "Under the house profile (REF 2021)" in result.stdout
    assert "corroborating_sources_max = 8 sources (house: Our impact office's rule)" in (
        result.stdout
    )
    window = cli("explain", "HLS804").stdout
    assert "impact_period_start = 2013-08-01 date" in window
    assert "impact_period_end = 2020-12-31 date" in window
    assert "Under the" not in cli("explain", "HLS102").stdout


def _as_json(text: str) -> dict:
    import datetime as dt
    import tomllib

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(tomllib.loads(text))


def test_the_profile_schema_accepts_house_profiles_and_rejects_what_the_loader_rejects():
    import jsonschema

    schema = json.loads((REPO / "schema" / "profile.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(_as_json(HOUSE))
    dated = 'extends = "ref2029"\n[limits.impact_period_end]\nvalue = 2028-12-31\n'
    assert validator.is_valid(_as_json(dated))
    for bad in (
        'extends = "ref2021"\n[limits.no_such_limit]\nvalue = 3\n',
        'extends = "ref2021"\n[limits.references_max]\nvalue = 3\nstatus = "maybe"\n',
        'extends = "ref2021"\n[rules]\nHLS801 = "fatal"\n',
        'extends = "ref2021"\ncolour = "blue"\n',
        'extends = "../elsewhere.toml"\n',
        "[limits.references_max]\nvalue = 3\n",
    ):
        assert not validator.is_valid(_as_json(bad)), bad


# --- a folder of profiles shared by several case studies -------------------------------------


def _shared_portfolio(root: Path) -> Path:
    """Two copies of the bundled case study naming `profile: house.toml`, which only the shared
    folder holds; house.toml extends base.toml in the same folder, which extends ref2021."""
    for name in ("a", "b"):
        target = root / "cases" / name
        target.mkdir(parents=True)
        text = (REPO / "claims.yaml").read_text(encoding="utf-8")
        (target / "claims.yaml").write_text(
            text.replace("profile: ref2021 ", "profile: house.toml", 1), encoding="utf-8"
        )
        shutil.copytree(REPO / "evidence", target / "evidence")
    shared = root / "shared"
    shared.mkdir()
    (shared / "house.toml").write_text(
        'extends = "base.toml"\n\n[limits.corroborating_sources_max]\nvalue = 8\n',
        encoding="utf-8",
    )
    (shared / "base.toml").write_text('extends = "ref2021"\n\n[rules]\nHLS815 = "off"\n')
    return shared


def _codes_of(stdout: str) -> list[str]:
    return [f["code"] for f in json.loads(stdout)["findings"]]


def test_a_shared_profile_folder_is_read_where_the_case_study_has_no_such_file(
    tmp_path, monkeypatch, cli
):
    _shared_portfolio(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "cases/a", "--profile-dir", "shared", "--format", "json")
    assert result.exit_code == 1
    codes = _codes_of(result.stdout)
    assert "HLS801" in codes and "HLS815" not in codes  # 8 sources; base.toml's severities
    assert json.loads(result.stdout)["profile"]["file"] == "shared/house.toml"
    by_env = cli("check", "cases/a", "--format", "json", env={"HLS_AUDIT_PROFILE_DIR": "shared"})
    assert _codes_of(by_env.stdout) == codes
    totals = cli("totals", "cases/a", env={"HLS_AUDIT_PROFILE_DIR": "shared"})
    assert totals.exit_code == 0


def test_without_the_shared_folder_the_missing_profile_is_named_where_claims_yaml_names_it(
    tmp_path, monkeypatch, cli
):
    _shared_portfolio(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "cases/a")
    assert result.exit_code == 2
    assert (
        "cases/a/claims.yaml:3:10: error HLS001: the profile file house.toml does not exist "
        "beside claims.yaml"
    ) in result.stderr
    assert "--profile-dir" in result.stderr


def test_the_case_studys_own_profile_file_wins_over_the_shared_one(tmp_path, monkeypatch, cli):
    _shared_portfolio(tmp_path)
    (tmp_path / "cases" / "a" / "house.toml").write_text('extends = "ref2021"\n')
    monkeypatch.chdir(tmp_path)
    result = cli("check", "cases/a", "--profile-dir", "shared", "--format", "json")
    assert result.exit_code == 0 and "HLS801" not in _codes_of(result.stdout)


def test_a_portfolio_shares_the_folder_and_sees_it_change(tmp_path, monkeypatch, cli):
    shared = _shared_portfolio(tmp_path)
    monkeypatch.chdir(tmp_path)
    first = cli("check", "cases", "--profile-dir", "shared", "--format", "json")
    assert first.exit_code == 1
    runs = json.loads(first.stdout)["case_studies"]
    assert [sorted({f["code"] for f in r["findings"]} & {"HLS801"}) for r in runs] == [
        ["HLS801"],
        ["HLS801"],
    ]
    (shared / "house.toml").write_text(
        'extends = "base.toml"\n\n[limits.corroborating_sources_max]\nvalue = 12\n',
        encoding="utf-8",
    )
    again = cli("check", "cases", "--profile-dir", "shared", "--format", "json")
    assert again.exit_code == 0
    assert all(
        "HLS801" not in {f["code"] for f in r["findings"]}
        for r in json.loads(again.stdout)["case_studies"]
    )
