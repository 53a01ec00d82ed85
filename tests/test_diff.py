"""`hls-audit diff`: a case study's audit compared between two revisions of a git repository.

Every test makes its own repository in tmp_path, with git's global and system settings, HOME and
the author's name pointed at files and values of its own, so nothing of the machine is read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CLAIMS, CaseWriter

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

E3 = "id: E3\nkind: report\ntitle: An evaluation of the approach\nurl: https://example.org/e\n"


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """git's settings, home and identity, all inside tmp_path (for the tests and the tool)."""
    config = tmp_path / "gitconfig"
    config.write_text("", encoding="utf-8")
    values = {
        "GIT_CONFIG_GLOBAL": str(config),
        "GIT_CONFIG_SYSTEM": str(config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
        "GIT_AUTHOR_NAME": "Case Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Case Author",
        "GIT_COMMITTER_EMAIL": "author@example.org",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


class Repo:
    """A git repository with a case study in its folder ``study``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.study = root / "study"
        self.study.mkdir(parents=True)
        self.case = CaseWriter(self.study)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, message: str) -> None:
        self.git("add", "--", ".")
        self.git("commit", "-q", "-m", message)

    def edit(self, old: str, new: str) -> None:
        self.case.edit(old, new)


@pytest.fixture
def repo(tmp_path: Path, git_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The small case study committed, then changed and committed again: C2's amount lower, C1's
    citation of R1 gone, a new source E3 cited by C3. The working folder is the case study's."""
    made = Repo(tmp_path / "repo")
    made.case()
    made.commit("the case study")
    made.edit('value: 7000000, stated: "£7m"', 'value: 5000000, stated: "£5m"')
    made.edit("evidence: [R1, G1]", "evidence: [G1]")
    made.edit("evidence: [E2]", "evidence: [E2, E3]")
    (made.study / "evidence" / "E3.yaml").write_text(E3, encoding="utf-8")
    made.commit("lower the council's figure, drop R1 from C1, add E3")
    monkeypatch.chdir(made.study)
    return made


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root (the .git folder included) with its size and modification time."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


# --- what the diff reports ----------------------------------------------------------------------


def test_diff_of_two_commits_as_text_shows_the_amount_the_citation_and_the_source(repo, cli):
    result = cli("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("hls-audit diff: A small case study (study): HEAD~1 (")
    headline = next(line for line in out.splitlines() if line.startswith("H1 "))
    assert "more than £10,000,000" in headline
    assert "£11,000,000" in headline and "£9,000,000" in headline
    assert "-£2,000,000" in headline and "proven → failed" in headline
    assert any(
        line.split()[:2] == ["C2", "changed"]
        and "£7,000,000, counted" in line
        and "£5,000,000, counted" in line
        and line.endswith("value, stated")
        for line in out.splitlines()
    ), out
    citations = [line.split() for line in out.splitlines()]
    assert ["C1", "R1", "lost"] in citations and ["C3", "E3", "gained"] in citations
    assert any(line.startswith("E3 ") and "added" in line for line in out.splitlines())
    assert "new     error     HLS" in out  # the failed headline is a new finding
    assert out.rstrip().endswith("fails (1 error, 1 warning, 0 info).")
    assert result.stderr == ""


def test_diff_as_json_is_a_versioned_document(repo, cli):
    result = cli("diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["format"] == "hls-audit/diff" and doc["version"] == 1
    head = repo.git("rev-parse", "HEAD").strip()
    assert doc["after"] == {"revision": "HEAD", "commit": head}
    assert doc["case_study"] == {"title": "A small case study", "path": "study"}
    (h1,) = doc["headlines"]
    assert h1["before"]["total"]["central"] == "11000000"
    assert h1["after"]["total"]["central"] == "9000000"
    assert (h1["before"]["verdict"], h1["after"]["verdict"], h1["change"]) == (
        "proven",
        "failed",
        "-2000000",
    )
    (amount,) = doc["amounts"]
    assert amount["claim"] == "C2" and amount["change"] == "changed"
    assert amount["fields"] == ["value", "stated"]
    assert (amount["before"]["value"], amount["after"]["value"]) == ("7000000", "5000000")
    assert doc["citations"] == [
        {"claim": "C3", "source": "E3", "change": "gained"},
        {"claim": "C1", "source": "R1", "change": "lost"},
    ]
    assert doc["register"] == [
        {
            "id": "E3",
            "register": "source",
            "title": "An evaluation of the approach",
            "change": "added",
        }
    ]
    new = {(f["code"], f["subject"]) for f in doc["findings"] if f["change"] == "new"}
    assert ("HLS203", "R1") in new  # R1 is no longer cited by anything
    assert doc["changed"] is True
    assert doc["result"]["before"]["passed"] is True and doc["result"]["after"]["passed"] is False


def test_diff_as_markdown_is_escaped_tables(repo, cli):
    repo.edit("title: A small case study", "title: A *small* case study @team")
    repo.commit("retitle")
    result = cli("diff", "HEAD~2", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("## ❌ hls-audit diff: A \\*small\\* case study @&#8203;team")
    assert "### Headlines (HEAD\\~2 (" in out
    assert "| C2 | changed | £7,000,000, counted | £5,000,000, counted | value, stated |" in out
    assert "| C1 | R1 | lost |" in out and "| C3 | E3 | gained |" in out
    assert "| E3 | source | An evaluation of the approach | added |" in out
    assert "-£2,000,000 | proven → failed |" in out


def test_diff_on_a_terminal_draws_tables(repo, cli):
    result = cli("diff", "HEAD~1", "HEAD", env={"TTY_COMPATIBLE": "1"})
    assert result.exit_code == 0, result.output
    assert "┃" in result.stdout or "│" in result.stdout
    assert "proven → failed" in result.stdout and "E3" in result.stdout


def test_diff_against_the_working_tree(repo, cli):
    repo.edit('value: 4000000, stated: "£4m"', 'value: 6000000, stated: "£6m"')
    result = cli("diff", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["after"] == {"revision": None, "commit": None}
    (amount,) = doc["amounts"]
    assert (amount["claim"], amount["before"]["value"], amount["after"]["value"]) == (
        "C3",
        "4000000",
        "6000000",
    )
    assert doc["headlines"][0]["change"] == "2000000"
    assert doc["headlines"][0]["after"]["verdict"] == "proven"
    text = cli("diff", "HEAD").stdout
    assert "→ working tree" in text.splitlines()[0]


def test_no_change_says_so(repo, cli):
    result = cli("diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert "Amounts (0 changed)" in result.stdout
    assert result.stdout.rstrip().endswith("on both sides.")


def test_the_path_option_and_a_claims_file(repo, cli, monkeypatch):
    monkeypatch.chdir(repo.root)
    by_folder = cli("diff", "HEAD~1", "HEAD", "--path", "study", "--format", "json")
    by_file = cli("diff", "HEAD~1", "HEAD", "--path", "study/claims.yaml", "--format", "json")
    assert by_folder.exit_code == by_file.exit_code == 0, by_folder.output + by_file.output
    assert json.loads(by_folder.stdout)["amounts"] == json.loads(by_file.stdout)["amounts"]


def test_diff_writes_nothing_into_the_repository(repo, cli):
    repo.edit("value: 4000000", "value: 4100000")
    status = repo.git("status", "--porcelain")  # refreshes the index: before the snapshot
    before = _snapshot(repo.root)
    assert cli("diff", "HEAD~1").exit_code == 0
    assert cli("diff", "HEAD~1", "HEAD", "--format", "markdown").exit_code == 0
    assert _snapshot(repo.root) == before
    assert repo.git("status", "--porcelain") == status == " M study/claims.yaml\n"


def test_findings_match_without_their_line_numbers(repo, cli):
    # Lines added at the top move every finding; none of them is new or fixed for that.
    text = (repo.study / "claims.yaml").read_text("utf-8")
    (repo.study / "claims.yaml").write_text("# a comment\n# another\n" + text, "utf-8")
    repo.commit("comments")
    doc = json.loads(cli("diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert doc["findings"] == [] and doc["changed"] is False


def test_finding_key_leaves_out_line_numbers():
    from hls_audit.app.diff import finding_key
    from hls_audit.engine.findings import Finding, Severity

    def finding(message: str) -> Finding:
        return Finding("HLS301", "duplicate-id", Severity.error, message, source="E1")

    one = finding("id E1 is used again (first at evidence/E1.yaml:3)")
    two = finding("id E1 is used again (first at evidence/E1.yaml:14)")
    other = finding("id E1 is used again (first at evidence/E2.yaml:3)")
    assert finding_key(one) == finding_key(two) != finding_key(other)
    assert finding_key(finding("'£2m' (line 4)")) == finding_key(finding("'£2m' (line 40)"))


# --- what it refuses ---------------------------------------------------------------------------


def test_outside_a_git_repository(tmp_path, git_env, cli, monkeypatch):
    folder = tmp_path / "plain"
    folder.mkdir()
    CaseWriter(folder)()
    monkeypatch.chdir(folder)
    result = cli("diff", "HEAD")
    assert result.exit_code == 2
    assert "error HLS015: not inside a git work tree" in result.stderr
    assert "hint: run hls-audit diff in a git repository" in result.stderr
    assert result.stdout == ""


def test_an_unknown_revision(repo, cli):
    result = cli("diff", "no-such-branch")
    assert result.exit_code == 2
    assert "error HLS016: unknown revision 'no-such-branch'" in result.stderr
    as_json = cli("diff", "HEAD", "no-such-branch", "--format", "json")
    assert as_json.exit_code == 2
    assert [e["code"] for e in json.loads(as_json.stdout)["errors"]] == ["HLS016"]


def test_a_revision_before_the_case_study_existed(tmp_path, git_env, cli, monkeypatch):
    made = Repo(tmp_path / "repo")
    (made.root / "notes.txt").write_text("notes\n", encoding="utf-8")
    made.commit("notes first")
    made.case()
    made.commit("the case study")
    monkeypatch.chdir(made.study)
    result = cli("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert "error HLS017: the case study is not at HEAD~1: study/claims.yaml does not exist" in (
        result.stderr
    )
    assert "hint: `git log -- study/claims.yaml`" in result.stderr


def test_a_revision_that_looks_like_an_option_never_reaches_git(repo, cli):
    result = cli("diff", "--", "--output=x")
    assert result.exit_code == 2
    assert "HLS016: '--output=x' is not a revision: a revision may not start with '-'" in (
        result.stderr
    )
    assert cli("diff", "HEAD", "--", "-p").exit_code == 2
    assert cli("diff", "--output=x").exit_code == 2  # an unknown option of hls-audit itself
    assert not (repo.study / "x").exists() and not (repo.root / "x").exists()


def test_git_not_installed(repo, cli, tmp_path, monkeypatch):
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli("diff", "HEAD")
    assert result.exit_code == 2
    assert "error HLS015: git is not installed" in result.stderr


def test_an_input_error_names_its_revision(repo, cli):
    repo.edit("value: 4000000", "value: 4.4e6")
    repo.commit("a value that is not money")
    result = cli("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert "the case study cannot be audited at HEAD:" in result.stderr
    assert "HEAD:study/claims.yaml:" in result.stderr and "error HLS006" in result.stderr
    in_tree = cli("diff", "HEAD~1")
    assert in_tree.exit_code == 2
    assert "in the working tree:" in in_tree.stderr
    assert "\nclaims.yaml:" in in_tree.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_linked_claims_file_at_a_revision_is_refused(tmp_path, git_env, cli, monkeypatch):
    made = Repo(tmp_path / "repo")
    made.case(claims=MINIMAL_CLAIMS)
    (made.study / "claims.yaml").rename(made.study / "real.yaml")
    os.symlink("real.yaml", made.study / "claims.yaml")
    made.commit("a linked claims file")
    monkeypatch.chdir(made.study)
    result = cli("diff", "HEAD", "HEAD")
    assert result.exit_code == 2
    assert "error HLS017: at HEAD, study/claims.yaml is a link or a submodule" in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_linked_record_at_a_revision_is_left_out(tmp_path, git_env, cli, monkeypatch):
    made = Repo(tmp_path / "repo")
    made.case()
    made.commit("the case study")
    secret = tmp_path / "outside.yaml"
    secret.write_text("id: E9\nkind: report\ntitle: Outside\n", encoding="utf-8")
    os.symlink(str(secret), made.study / "evidence" / "E9.yaml")
    made.commit("a record that is a link")
    monkeypatch.chdir(made.study)
    result = cli("diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["register"] == [] and doc["changed"] is False
