"""The command line on the bundled case study: exit codes, formats, and the golden JSON."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import pytest

from tests.conftest import QUIET_CHECK, REPO, assert_golden

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def _redact(text: str) -> str:
    return re.sub(r'"tool_version": "[^"]+"', '"tool_version": "X"', text)


def test_bundled_case_study_passes_and_reconciles_the_headline(in_repo, cli):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    assert "Headline H1: more than £169,000,000" in out
    assert re.search(r"^Total\s+6 amounts\s+£169,200,000", out, re.MULTILINE)
    for included in ("C15", "C24", "C25", "C29", "C41", "C44"):
        assert re.search(rf"^{included}\s", out, re.MULTILINE)
    assert "part of C29 (£7,700,000)" in out
    assert "part of C41 (£5,000,000)" in out
    assert "a research grant; never added" in out
    assert "holds only if C44" in out
    assert "R6 is in the register but no claim cites it" in out
    *_, counts, last = out.rstrip().splitlines()
    assert counts.endswith("(fails on error and above; evidence required: records)")
    assert last.startswith("PASS: 0 errors, 13 warnings · headline H1 not proven (more than ")


def test_bundled_check_json_matches_golden(in_repo, cli):
    result = cli("check", "--format", "json")
    assert result.exit_code == 0
    assert_golden("check.json", _redact(result.stdout))


def test_bundled_totals_json_matches_golden(in_repo, cli):
    result = cli("totals", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    counted = [a for a in payload["amounts"] if a["counted"]]
    assert sum(int(a["value_gbp"]) for a in counted) == 169_200_000
    assert {a["claim"] for a in payload["amounts"] if a["role"] == "grant"} == {"G1", "G2", "G3"}
    assert next(a for a in payload["amounts"] if a["claim"] == "G1")["value"] == "88194.45"
    assert_golden("totals.json", _redact(result.stdout))


def test_bundled_sources_cover_the_whole_register(in_repo, cli):
    result = cli("sources", "--format", "json")
    assert result.exit_code == 0
    ids = {s["id"] for s in json.loads(result.stdout)["sources"]}
    expected = {f"E{i}" for i in (1, 2, 3, 4, 6, 7, 8, 9, 10)} | {"E5", "E5a", "E5b"}
    expected |= {f"R{i}" for i in range(1, 7)} | {"G1", "G2", "G3"}
    assert ids == expected


def test_deleting_one_claims_citations_fails_and_names_the_claim(bundled, cli):
    text = (bundled / "claims.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: C24")
    block = text[start : text.index("  - id: C25")]
    stripped = re.sub(r"    evidence:\n(      - .*\n)+", "", block)
    stripped = re.sub(r"    evidence: \[.*\]\n", "", stripped)
    assert stripped != block
    (bundled / "claims.yaml").write_text(text.replace(block, stripped), encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert "C24 cites no source" in result.stdout


def test_deleting_one_evidence_record_fails_and_names_it(bundled, cli):
    (bundled / "evidence" / "E10.yaml").unlink()
    result = cli("check")
    assert result.exit_code == 1
    assert "cites E10, which is not in the evidence register" in result.stdout


def test_shrinking_a_counted_amount_below_the_headline_fails(bundled, cli):
    text = (bundled / "claims.yaml").read_text(encoding="utf-8")
    (bundled / "claims.yaml").write_text(text.replace("value: 77000000", "value: 7000000"))
    result = cli("check")
    assert result.exit_code == 1
    assert "HLS402" in result.stdout


def test_check_never_writes_a_file(bundled, cli):
    def snapshot() -> dict[str, str]:
        return {
            str(p.relative_to(bundled)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(bundled.rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    for command in ("check", "totals", "sources"):
        for fmt in ("table", "json"):
            cli(command, "--format", fmt)
    assert snapshot() == before


def test_plain_text_when_not_a_terminal_has_no_colour_and_no_boxes(in_repo, cli):
    result = cli("check")
    assert not ANSI_COLOUR.search(result.stdout)
    assert "┃" not in result.stdout and "│" not in result.stdout


def test_rich_tables_on_a_terminal(in_repo, cli):
    result = cli("totals", env={"TTY_COMPATIBLE": "1", "NO_COLOR": ""})
    assert result.exit_code == 0
    assert "┃" in result.stdout or "│" in result.stdout
    assert ANSI_COLOUR.search(result.stdout)


def test_no_color_removes_colour_from_rich_tables(in_repo, cli):
    result = cli("rules", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert "│" in result.stdout
    colours = [code for code in ANSI_COLOUR.findall(result.stdout) if re.search(r"\[3\d", code)]
    assert colours == []


def test_rules_lists_every_check(cli):
    from hls_audit.rules.catalog import REGISTRY

    result = cli("rules", "--format", "json")
    codes = [r["code"] for r in json.loads(result.stdout)["rules"]]
    assert codes == [c.code for c in REGISTRY]
    text = cli("rules").stdout
    assert all(c.code in text and c.summary in text for c in REGISTRY)


def test_path_may_be_the_file_or_its_folder(cli):
    by_folder = cli("check", str(REPO), "--format", "json")
    by_file = cli("check", str(REPO / "claims.yaml"), "--format", "json")
    assert by_folder.exit_code == by_file.exit_code == 0
    assert json.loads(by_folder.stdout)["findings"] == json.loads(by_file.stdout)["findings"]


@pytest.mark.parametrize(
    "args",
    [["check", "--format", "xml"], ["check", "--fail-on", "never"], ["check", "--nope"], ["nope"]],
)
def test_unusable_command_line_exits_2(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_version_and_module_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "hls_audit", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("hls-audit ")


def test_start_up_imports_stay_light():
    code = (
        "import sys, hls_audit.cli; "
        "heavy = {'pydantic', 'yaml', 'rich.table', 'rich.console'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_github_actions_gets_annotations_by_default(in_repo, cli):
    result = cli("check", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("::warning file=claims.yaml,line=")
    assert cli("check", "--format", "text", env={"GITHUB_ACTIONS": "true"}).stdout.startswith(
        "hls-audit check:"
    )


def test_a_plain_check_imports_only_what_it_uses():
    """No narrative, documents or settings: their parsers and libraries stay unloaded."""
    code = (
        "import sys, io, contextlib\n"
        + QUIET_CHECK
        # tomllib is not listed: the bundled case study uses ref2021, whose profile.toml is
        # read once (tests/test_profiles_as_data.py checks a profile-less case study skips it).
        + "lazy = {'pypdf', 'docx', 'rapidfuzz', 'rich.table', 'hls_audit.narrative.analysis',\n"
        "        'hls_audit.io.settings_model', 'html.parser'}\n"
        "print(sorted(lazy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["check", "."], "check"),
        (["--debug", "check"], "check"),
        (["profile", "show", "ref2021"], "profile"),
        (["--help"], None),
        ([], None),
        (["chek"], None),
        (["--", "check"], None),
    ],
)
def test_a_command_line_names_its_command(arguments: list[str], named: str | None) -> None:
    from hls_audit.cli.root import command_named

    assert command_named(arguments) == named


def test_each_command_reads_the_same_in_an_app_of_its_own() -> None:
    """`main` builds the app with the command it runs alone; nothing a user sees may differ."""
    from typer.testing import CliRunner

    from hls_audit.cli.root import COMMANDS, app, build_app

    runner = CliRunner()
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    for name in COMMANDS:
        for arguments in ([name, "--help"], [name, "--no-such-option"]):
            whole = runner.invoke(app, arguments, env=env)
            alone = runner.invoke(build_app(name), arguments, env=env)
            assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output), arguments
            assert whole.exit_code in (0, 2)
    root_help = runner.invoke(app, ["--help"], env=env).output
    assert all(f"  {name} " in root_help for name in COMMANDS)


def test_the_console_script_runs_the_command_it_names() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hls_audit", "--debug", "rules", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)
