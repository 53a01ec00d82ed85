"""A portfolio of case studies in one run: discovery, verdicts, exit code, JSON, and the cache."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from hls_audit.app.portfolio import Options, discover, run_portfolio
from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import portfolio as generate


def write_case(folder: Path, claims: str = MINIMAL_CLAIMS) -> None:
    (folder / "evidence").mkdir(parents=True)
    (folder / "claims.yaml").write_text(claims, encoding="utf-8")
    for name, text in MINIMAL_RECORDS.items():
        (folder / "evidence" / f"{name}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def three(tmp_path, monkeypatch):
    """A passing, a failing and an unusable case study under one folder."""
    root = tmp_path / "portfolio"
    write_case(root / "good")
    write_case(root / "short", MINIMAL_CLAIMS.replace("value: 7000000", "value: 1000000"))
    write_case(root / "broken", MINIMAL_CLAIMS.replace("claims:\n", "claims:\n  - [\n"))
    monkeypatch.chdir(tmp_path)
    return root


def test_discovery_finds_every_claims_file_but_not_inside_evidence(three):
    (three / "good" / "evidence" / "claims.yaml").write_text("not a case study")
    found = discover([three])
    assert [p.parent.name for p in found] == ["broken", "good", "short"]


def test_portfolio_verdicts_and_worst_exit_code(three, cli):
    result = cli("check", "portfolio", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["format"] == "hls-audit/portfolio-check"
    verdicts = {
        Path(r["path"]).parent.name: ("input_errors" in r, r["result"]["exit_code"])
        for r in payload["case_studies"]
    }
    assert verdicts == {"good": (False, 0), "short": (False, 1), "broken": (True, 2)}
    assert result.exit_code == 2 == payload["result"]["exit_code"]
    assert payload["result"] == {"exit_code": 2, "case_studies": 3, "passed": 1, "unusable": 1}


def test_portfolio_table_lists_each_case_and_the_details_of_failures(three, cli):
    shutil.rmtree(three / "broken")
    result = cli("check", "portfolio")
    assert result.exit_code == 1
    out = result.stdout
    assert "Portfolio: 2 case studies" in out
    assert re.search(r"^portfolio/good/claims.yaml +PASS ", out, re.MULTILINE)
    assert "portfolio/short/claims.yaml (FAIL):" in out and "HLS402" in out
    assert "portfolio/good/claims.yaml (PASS)" not in out


def test_several_paths_make_a_portfolio(three, cli):
    result = cli("check", "portfolio/good", "portfolio/short", "--format", "json")
    assert [Path(r["path"]).parent.name for r in json.loads(result.stdout)["case_studies"]] == [
        "good",
        "short",
    ]


def test_a_folder_holding_claims_yaml_stays_a_single_case_study(three, cli):
    result = cli("check", "portfolio/good", "--format", "json")
    assert json.loads(result.stdout)["format"] == "hls-audit/check"


def test_totals_and_sources_across_a_portfolio(three, cli):
    shutil.rmtree(three / "broken")
    totals = cli("totals", "portfolio")
    assert "Portfolio headlines" in totals.stdout and "£11,000,000" in totals.stdout
    assert totals.stdout.count("£") >= 6
    sources = json.loads(cli("sources", "portfolio", "--format", "json").stdout)
    assert sources["format"] == "hls-audit/portfolio-sources"
    assert all(r["coverage"]["sources_by_level"]["recorded"] == 3 for r in sources["case_studies"])


def test_an_empty_folder_is_unusable(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nothing").mkdir()
    result = cli("check", "nothing", "elsewhere")
    assert result.exit_code == 2


def test_the_second_run_comes_from_the_result_cache_and_agrees(tmp_path, monkeypatch):
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    generate(tmp_path / "many", 20)
    files = discover([tmp_path / "many"])
    cold = run_portfolio(files, Options(), workers=2)
    warm = run_portfolio(files, Options(), workers=1)
    assert cold.cached == 0 and warm.cached == 20
    assert warm.results == cold.results
    # A change to one case study is audited afresh.
    target = tmp_path / "many" / "cs0003" / "claims.yaml"
    target.write_text(target.read_text().replace("C01", "C99", 1))
    again = run_portfolio(files, Options(), workers=1)
    assert again.cached == 19


def test_generated_case_studies_pass_in_parallel_and_serially_alike(tmp_path, monkeypatch):
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    generate(tmp_path / "many", 18)
    files = discover([tmp_path / "many"])
    assert run_portfolio(files, Options(), workers=2).results == (
        run_portfolio(files, Options(), workers=1).results
    )
