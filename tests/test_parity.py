"""A case study gives the same result alone and in a portfolio: one use case runs both.

Each fixture case study differs from the minimal one in one way the audit must take into
account: a narrative, settings, a lock that no longer matches, an input error. The portfolio's
entry for each must equal `check --format json` on that case study alone, finding for finding,
with the same exit code, with and without `--frozen`, from the cache and without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CLAIMS, CaseWriter

NARRATIVE = """\
1. Summary of the impact

The approach now steers more than £10m of spending, including £7m from a council and a
further £9m from a trust nobody recorded [E1].
"""


def _write(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    writer = CaseWriter(folder)
    writer(MINIMAL_CLAIMS)
    if name == "narrative":
        (folder / "case-study.md").write_text(NARRATIVE)
        writer.edit("version: 1\n", "version: 1\nnarrative: case-study.md\n")
    elif name == "settings":
        (folder / "hls-audit.toml").write_text('fail-on = "warning"\n')
        (folder / "evidence" / "stray.txt").write_text("not named by any record\n")
    elif name == "locked":
        records = folder / "evidence"
        (records / "E1.yaml").write_text(
            (records / "E1.yaml").read_text() + "document: letter.txt\n"
        )
        (records / "letter.txt").write_text("page one\fpage two\n")
    elif name == "broken":
        writer.edit("value: 7000000", "value: seven million")
    return folder


@pytest.fixture
def portfolio(tmp_path, monkeypatch, cli) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("plain", "narrative", "settings", "locked", "broken", "unlocked"):
        _write(tmp_path, name)
    assert cli("lock", "locked").exit_code == 0
    (tmp_path / "locked" / "evidence" / "letter.txt").write_text("page one\fpage 2, changed\n")
    return tmp_path


def _single(cli, name: str, *options: str) -> tuple[int, dict[str, object]]:
    result = cli("check", name, "--format", "json", *options)
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("options", [(), ("--frozen",), ("--fail-on", "info")])
def test_every_portfolio_result_equals_the_single_run(portfolio, cli, options):
    names = sorted(p.name for p in portfolio.iterdir() if (p / "claims.yaml").exists())
    for attempt in ("cold", "warm"):
        combined = cli("check", ".", "--format", "json", *options)
        entries = {e["path"]: e for e in json.loads(combined.stdout)["case_studies"]}
        codes = []
        for name in names:
            code, alone = _single(cli, name, *options)
            codes.append(code)
            entry = dict(entries[f"{name}/claims.yaml"])
            entry.pop("path")
            assert entry["result"]["exit_code"] == code, (attempt, name)
            if code == 2:  # unusable: the same errors, located the same way
                messages = [e["message"] for e in entry["input_errors"]]
                assert messages == [e["message"] for e in alone["errors"]], (attempt, name)
            else:
                assert entry == alone, (attempt, name)
        assert combined.exit_code == max(codes), attempt


def test_the_narrative_counts_in_a_portfolio_as_alone(portfolio, cli):
    code, alone = _single(cli, "narrative")
    assert code == 1 and any(f["code"].startswith("HLS7") for f in alone["findings"])


def test_frozen_without_a_lock_is_unusable_alone_and_in_a_portfolio(portfolio, cli):
    code, _ = _single(cli, "unlocked", "--frozen")
    assert code == 2
    combined = json.loads(cli("check", ".", "--format", "json", "--frozen").stdout)
    entry = {e["path"]: e for e in combined["case_studies"]}["unlocked/claims.yaml"]
    assert entry["result"]["exit_code"] == 2


def test_an_edited_narrative_is_audited_afresh_in_a_portfolio(portfolio, cli, monkeypatch):
    first = json.loads(cli("check", ".", "--format", "json").stdout)
    (portfolio / "narrative" / "case-study.md").write_text("1. Summary of the impact\n\nNone.\n")
    second = json.loads(cli("check", ".", "--format", "json").stdout)
    before = {e["path"]: e for e in first["case_studies"]}["narrative/claims.yaml"]
    after = {e["path"]: e for e in second["case_studies"]}["narrative/claims.yaml"]
    assert before["findings"] != after["findings"]


def test_options_for_one_case_study_are_refused_for_a_portfolio(portfolio, cli):
    for option in (["--narrative", "narrative/case-study.md"], ["--config", "x.toml"]):
        result = cli("check", ".", *option)
        assert result.exit_code == 2 and "portfolio" in result.stderr
