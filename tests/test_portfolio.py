"""A portfolio of case studies in one run: discovery, verdicts, exit code, JSON, and the cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from hls_audit.app.portfolio import Options, PortfolioReport, discover, run_portfolio
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


def test_json_printed_from_the_entries_text_is_the_same_document(tmp_path, monkeypatch):
    """A portfolio printed as JSON carries each case study's entry as text, from the worker or
    the cache, and puts it in place; the bytes equal the document encoded from the data."""
    from hls_audit.render.json_out import dumps
    from hls_audit.render.portfolio_out import portfolio_json

    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    generate(tmp_path / "many", 17)
    broken = tmp_path / "many" / "cs0005" / "claims.yaml"
    broken.write_text(broken.read_text().replace("version: 1", "version: [1", 1))
    files = discover([tmp_path / "many"])
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", "")  # the reference run: no cache at all
    full = run_portfolio(files, Options(), workers=1)
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    as_data = PortfolioReport([replace(case, text=None) for case in full.cases])
    data = portfolio_json(as_data)
    assert isinstance(data, dict)  # without the texts: encoded from the data
    expected = dumps(data)
    assert portfolio_json(full) == expected
    cold = run_portfolio(files, Options(), workers=2, lean=True)
    warm = run_portfolio(files, Options(), workers=1, lean=True)
    assert cold.cached == 0 and warm.cached == 17  # an unusable one's errors are kept too
    for run in (cold, warm):
        assert all(case.audit is None and case.text for case in run.cases)
        text = portfolio_json(run)
        assert isinstance(text, str) and text == expected
    assert [c.exit_code for c in warm.cases] == [c.exit_code for c in full.cases]
    assert [c.usable for c in warm.cases] == [c.usable for c in full.cases]
    assert warm.results == full.results


def test_the_fingerprint_reads_only_plain_files(tmp_path):
    from hls_audit.app.portfolio import _plain_bytes

    plain = tmp_path / "E1.yaml"
    plain.write_bytes(b"id: E1\n")
    link = tmp_path / "E2.yaml"
    link.symlink_to(plain)
    fifo = tmp_path / "E3.yaml"
    os.mkfifo(fifo)
    assert _plain_bytes(plain) == b"id: E1\n"
    assert _plain_bytes(link) is None  # never followed
    assert _plain_bytes(fifo) is None  # never waited on
    assert _plain_bytes(tmp_path / "absent.yaml") is None


@pytest.mark.parametrize(
    "entry",
    [
        {"s": 'a\u0000b\u001f\u007f\u0085\u2028\u202e\t\n\r\b\f"\\/é😀', "e": {}, "l": []},
        {"nested": [{"x": [], "y": {"z": None}}, True, False, -5], "n": None},
        {"lone": "\ud800 half of a pair", "big": 2**70},  # what orjson refuses
        {},
    ],
)
def test_an_entry_is_encoded_as_the_standard_library_would(entry):
    from hls_audit.app.portfolio import entry_text
    from hls_audit.core.sanitize import json_safe

    expected = json_safe(json.dumps(entry, indent=2, ensure_ascii=False)).replace("\n", "\n    ")
    assert entry_text(entry) == expected


def test_a_portfolio_audits_the_bytes_its_cache_key_was_made_from(tmp_path, monkeypatch):
    """The fingerprint reads claims.yaml and the records once; the audit parses those bytes,
    so a file rewritten between the two cannot be audited under the old file's key."""
    from hls_audit.app import portfolio as module
    from hls_audit.io import files

    monkeypatch.chdir(tmp_path)
    write_case(tmp_path / "case")
    claims = tmp_path / "case" / "claims.yaml"
    read: dict[str, bytes] = {}
    assert module._fingerprint(claims, Options(), read) is not None
    assert set(read) == {"claims.yaml", *(f"evidence{os.sep}{n}.yaml" for n in MINIMAL_RECORDS)}

    opened: list[str] = []
    real_read_bytes = files.Folder.read_bytes

    def spy(self, path, display, what="file", limit=files.MAX_INPUT_BYTES):
        opened.append(str(path))
        return real_read_bytes(self, path, display, what, limit)

    monkeypatch.setattr(files.Folder, "read_bytes", spy)
    claims.write_text("not: [what was hashed\n", encoding="utf-8")  # rewritten after hashing
    result = module.audit_one(claims, Options(), read)
    assert result.usable and opened == []  # parsed from what was hashed, nothing read again
    assert not module.audit_one(claims, Options()).usable  # on its own, the file as it is now
