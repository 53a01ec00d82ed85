"""Shared helpers: write small case studies to a temporary folder and run the CLI on them."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hls_audit.cli import app

REPO = Path(__file__).resolve().parent.parent

# The case study's published text is not part of the repository; tests that read it run when it
# sits beside the repository (or where HLS_AUDIT_CASE_TEXT points) and are skipped otherwise.
ORIGINAL_TEXT = Path(
    os.environ.get(
        "HLS_AUDIT_CASE_TEXT", str(REPO.parent / "shared" / "seed" / "000_8e813084240adb8f.txt")
    )
)

# A small, valid case study: one headline of "more than £10m" over two counted amounts.
MINIMAL_CLAIMS = """\
version: 1
case_study:
  title: A small case study
  institution: Example University
  unit: {number: 17, name: Business and Management Studies}
  research_period: {start: 2018, end: 2020}
  impact_period: {start: 2019, end: 2020}
headlines:
  - id: H1
    statement: More than £10m is managed the new way.
    relation: more_than
    value: 10000000
grants:
  - id: G1
    funder: A Foundation
    principal_investigator: A. Researcher
    period: {start: 2018-11, end: 2020-12}
    value: 88194.45
claims:
  - id: C1
    section: "2"
    statement: The research developed the approach.
    evidence: [R1, G1]
  - id: C2
    section: "4.1"
    statement: A council put a budget under the approach.
    evidence: [{source: E1, pages: p2}]
    amount: {role: counted, value: 7000000, stated: "£7m"}
  - id: C3
    section: "4.1"
    statement: A trust put its grants under the approach.
    evidence: [E2]
    amount: {role: counted, value: 4000000, stated: "£4m"}
  - id: C4
    section: "4.1"
    statement: One contract inside the council budget.
    evidence: [E1]
    amount: {role: part, value: 500000, part_of: C2}
"""

# Python code that runs `hls-audit check` on the current folder in-process, its report discarded:
# the tests that ask what a run imports or reads put it between their own lines.
QUIET_CHECK = (
    "import io, contextlib\n"
    "from hls_audit.cli import app\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n"
    "        app(['check', '--format', 'text'], standalone_mode=False)\n"
    "    except SystemExit:\n"
    "        pass\n"
)

MINIMAL_RECORDS = {
    "E1": "id: E1\nkind: testimonial\ntitle: Letter from the council\n"
    "provider: {organisation: A Council, role: Director}\nheld_by: the impact team\n",
    "E2": "id: E2\nkind: report\ntitle: The trust's annual report\nurl: https://example.org/r\n",
    "R1": "id: R1\nkind: article\ntitle: The research article\ndoi: 10.1000/xyz\n",
}


@dataclass
class Result:
    """What a CLI run gave: exit code, stdout and stderr, kept apart."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    base = {"NO_COLOR": "1", "COLUMNS": "200", "TTY_COMPATIBLE": "", "FORCE_COLOR": ""}
    result = runner.invoke(app, list(args), env={**base, **(env or {})})
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extracted text is cached per test session, never in the user's own cache folder."""
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


class CaseWriter:
    """Writes claims.yaml, evidence records and documents into a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(
        self,
        claims: str = MINIMAL_CLAIMS,
        records: dict[str, str] | None = None,
        documents: dict[str, bytes] | None = None,
    ) -> Path:
        (self.root / "claims.yaml").write_text(textwrap.dedent(claims), encoding="utf-8")
        evidence = self.root / "evidence"
        evidence.mkdir(exist_ok=True)
        for name, text in (MINIMAL_RECORDS if records is None else records).items():
            (evidence / f"{name}.yaml").write_text(text, encoding="utf-8")
        for name, data in (documents or {}).items():
            target = evidence / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return self.root

    def edit(self, old: str, new: str) -> None:
        path = self.root / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in claims.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def line_of(self, needle: str, name: str = "claims.yaml") -> int:
        """1-based line number of the first line containing needle."""
        for number, line in enumerate((self.root / name).read_text().splitlines(), start=1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} not in {name}")


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CaseWriter:
    """A folder for one case study, made the working folder so paths print relative."""
    monkeypatch.chdir(tmp_path)
    return CaseWriter(tmp_path)


GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    """``actual`` equals tests/golden/NAME (HLS_AUDIT_UPDATE_GOLDEN=1 rewrites it first)."""
    path = GOLDEN / name
    if os.environ.get("HLS_AUDIT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled case study (profile: ref2021) to change on purpose, made the
    working folder."""
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(REPO / "evidence", tmp_path / "evidence")
    monkeypatch.chdir(tmp_path)
    return tmp_path
