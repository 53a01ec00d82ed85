"""The README stays true to the code, and the code stays ruff- and mypy-clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from hls_audit.rules.catalog import REGISTRY
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_newcomer_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [ln for ln in first_block.splitlines() if ln and not ln.startswith("#")]
    assert len(commands) == 2
    assert commands[0].endswith("hls-audit check")
    assert "'.[test]'" in commands[1] and "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    test_command = next(ln for ln in first_block.splitlines() if "pytest" in ln)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_lists_every_check_as_the_registry_does():
    rows = re.findall(r"^\| (HLS\d{3}) \| ([a-z-]+) \| (\w+) \| (.+) \|$", README, re.MULTILINE)
    assert rows == [(c.code, c.name, c.severity.value, c.summary) for c in REGISTRY]


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(REPO / ".venv" / "bin")) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return path


def test_ruff_is_clean_over_the_whole_repository():
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([_tool("ruff"), *command], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
