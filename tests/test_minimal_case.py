"""The small fixture case study passes, so each check test can break exactly one thing."""

from __future__ import annotations

import json


def test_minimal_case_passes_cleanly(case, cli):
    case()
    result = cli("check", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["headlines"][0]["verdict"] == "proven"
    assert report["headlines"][0]["total"]["central"] == "11000000"
    assert result.stderr == ""
