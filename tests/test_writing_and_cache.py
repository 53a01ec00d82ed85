"""Writing reports and the lock, the private cache, and one case study's failure in a portfolio.

Special files are made inside each test's own folder (a FIFO, a character device like the null
device); the real /dev is never touched. `/dev/stdout` is recognised by name and written through
the process's own stream.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, REPO, CaseWriter

# --- --output: the one door for writing ----------------------------------------------------------


def _device(path: Path, minor: int) -> Path:
    """A character device like /dev/null (3) or /dev/full (7), made in the test's own folder."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here (needs root)")
    return path


def test_output_to_standard_output_writes_the_report_there_and_nothing_else(case, cli):
    case()
    result = cli("check", "--format", "sarif", "--output", "/dev/stdout")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["version"] == "2.1.0"  # the report alone: valid JSON


def test_output_to_a_character_device_writes_in_place_and_keeps_the_device(case, cli):
    case()
    null = _device(case.root / "null", 3)
    result = cli("check", "--format", "json", "--output", str(null))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode)  # still the device, never replaced


def test_output_to_a_full_device_is_unusable_output_not_a_pass(case, cli):
    case()
    full = _device(case.root / "full", 7)
    result = cli("check", "--format", "json", "--output", str(full))
    assert result.exit_code == 2 and "cannot be written" in result.stderr
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_output_to_a_fifo_writes_into_it(case, cli):
    case()
    fifo = case.root / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("check", "--format", "json", "--output", str(fifo))
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert json.loads(received[0])["format"] == "hls-audit/check"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_through_a_link_replaces_the_link_never_its_target(case, cli, tmp_path_factory):
    case()
    outside = tmp_path_factory.mktemp("elsewhere") / "precious.txt"
    outside.write_text("keep me\n")
    os.symlink(outside, case.root / "report.json")
    assert cli("check", "--format", "json", "--output", "report.json").exit_code == 0
    assert outside.read_text() == "keep me\n"
    assert not (case.root / "report.json").is_symlink()


@pytest.mark.parametrize(
    "target,message",
    [
        ("a-folder", "is a folder"),
        ("", "is a folder"),  # an empty name is the working folder to the command line
        ("x" * 300 + ".json", "cannot be written"),
        ("missing/report.json", "does not exist"),
    ],
)
def test_an_unusable_output_target_is_exit_2(case, cli, target, message):
    case()
    (case.root / "a-folder").mkdir()
    result = cli("check", "--format", "json", "--output", target)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_an_unwritable_folder_is_exit_2(case, cli, monkeypatch):
    import tempfile

    case()

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = cli("check", "--format", "json", "--output", "report.json")
    assert result.exit_code == 2 and "Permission denied" in result.stderr


@pytest.mark.parametrize(
    "name", ["evidence.lock", "case-study.md", "hls-audit.toml", "pyproject.toml", "E1.yaml"]
)
def test_output_never_replaces_a_file_the_audit_reads(case, cli, name):
    case()
    case.edit("version: 1\n", "version: 1\nnarrative: case-study.md\n")
    (case.root / "case-study.md").write_text("# A case study\n")
    (case.root / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert cli("lock").exit_code == 0
    target = f"evidence/{name}" if name.endswith(".yaml") else name
    before = (case.root / target).read_bytes() if (case.root / target).exists() else None
    result = cli("check", "--format", "json", "--output", target)
    assert result.exit_code == 2, result.output
    assert "--output" in result.stderr
    after = (case.root / target).read_bytes() if (case.root / target).exists() else None
    assert after == before


def test_lock_update_over_a_folder_is_exit_2(case, cli):
    case()
    (case.root / "evidence.lock").mkdir()
    result = cli("lock", "--update")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_extract_never_replaces_a_dangling_link(case, cli, tmp_path_factory):
    case()
    (case.root / "text.md").write_text("# 1. Summary of the impact\n\nIt raised £1m.\n")
    os.symlink(tmp_path_factory.mktemp("gone") / "nothing.yaml", case.root / "draft.yaml")
    result = cli("extract", "text.md", "--output", "draft.yaml")
    assert result.exit_code == 2 and "never overwrites" in result.stderr
    assert (case.root / "draft.yaml").is_symlink()


_SLOW_WRITE = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from hls_audit.io import output
    from hls_audit.cli.root import _terminated
    signal.signal(signal.SIGTERM, _terminated)
    def slow(fd):
        print("ready", flush=True)
        time.sleep(30)
    output.os.fsync = slow
    output.write_atomic(Path(sys.argv[1]), "text")
    """
)


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "evidence.lock"
    with subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITE, str(target)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    ) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        child.send_signal(signal.SIGTERM)
        assert child.wait(20) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_a_closed_pipe_keeps_a_passing_exit_code(case):
    case()
    for env in ({"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "0"}):
        with subprocess.Popen(
            [sys.executable, "-m", "hls_audit", "check"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=case.root,
            env={**os.environ, "COLUMNS": "40", **env},
        ) as child:
            assert child.stdout is not None and child.stderr is not None
            child.stdout.close()  # the reader goes away before anything is written
            error = child.stderr.read().decode()
            assert child.wait(30) == 0, error
        assert "Traceback" not in error


# --- the cache: private, keyed, never inside the case study --------------------------------------

DOCUMENT_RECORDS = dict(MINIMAL_RECORDS, E1=MINIMAL_RECORDS["E1"] + "document: letter.txt\n")
QUOTED = 'evidence: [{source: E1, pages: p2, quote: "every team works differently now"}]'


@pytest.fixture
def private_cache(tmp_path_factory, monkeypatch) -> Path:
    folder = tmp_path_factory.mktemp("private") / "cache"
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(folder))
    return folder


def _quoted_case(case: CaseWriter) -> None:
    case(records=DOCUMENT_RECORDS, documents={"letter.txt": b"page one\fnothing of the kind\n"})
    case.edit("evidence: [{source: E1, pages: p2}]", QUOTED)


def _codes(cli) -> list[str]:
    result = cli("check", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return [f["code"] for f in json.loads(result.stdout)["findings"]]


def test_a_forged_text_cache_entry_never_verifies_an_absent_quote(case, cli, private_cache):
    import hashlib

    _quoted_case(case)
    assert "HLS601" in _codes(cli)
    digest = hashlib.sha256((case.root / "evidence" / "letter.txt").read_bytes()).hexdigest()
    (entry,) = private_cache.glob(f"{digest}-*-v*.json")
    forged = json.loads(entry.read_text())
    forged["pages"] = ["page one", "every team works differently now"]
    entry.write_text(json.dumps(forged))
    assert "HLS601" in _codes(cli)  # the keyed digest no longer matches: a miss


@pytest.mark.parametrize("junk", ["[]", "{}", "not json", '{"kind": 1}', "null", "[" * 100_000])
def test_a_malformed_cache_entry_is_a_miss(case, cli, private_cache, junk):
    _quoted_case(case)
    first = _codes(cli)
    for entry in private_cache.glob("*.json"):
        entry.write_text(junk)
    assert _codes(cli) == first


def test_a_cache_folder_open_to_others_is_not_used(case, cli, private_cache):
    _quoted_case(case)
    private_cache.mkdir(mode=0o755)
    private_cache.chmod(0o755)
    result = cli("check")
    assert "open to other users" in result.stderr and "caching is off" in result.stderr
    assert list(private_cache.iterdir()) == []


def test_a_cache_folder_that_is_a_link_is_not_used(case, cli, private_cache, tmp_path_factory):
    _quoted_case(case)
    real = tmp_path_factory.mktemp("real-cache")
    os.symlink(real, private_cache)
    result = cli("check")
    assert "not a plain folder" in result.stderr
    assert list(real.iterdir()) == []


@pytest.mark.parametrize("variable", ["HLS_AUDIT_CACHE_DIR", "XDG_CACHE_HOME"])
def test_a_relative_cache_path_is_ignored(case, cli, monkeypatch, tmp_path_factory, variable):
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("HLS_AUDIT_CACHE_DIR", raising=False)
    monkeypatch.setenv(variable, "evidence")
    _quoted_case(case)
    cli("check")
    cli("check")
    assert sorted(p.name for p in (case.root / "evidence").iterdir()) == [
        "E1.yaml",
        "E2.yaml",
        "R1.yaml",
        "letter.txt",
    ]


def test_a_cache_inside_the_case_study_is_not_used(case, cli, monkeypatch):
    _quoted_case(case)
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(case.root / "cache"))
    result = cli("check")
    assert "inside the case study" in result.stderr
    assert not (case.root / "cache").exists()


def test_no_home_folder_means_no_cache_not_a_crash(case, cli, monkeypatch):
    monkeypatch.delenv("HLS_AUDIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", nowhere)
    _quoted_case(case)
    assert cli("check").exit_code == 1


# --- portfolios: one case study's failure is its own ---------------------------------------------


def _portfolio(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).mkdir()
        CaseWriter(root / name)(MINIMAL_CLAIMS)


def test_a_forged_portfolio_result_is_a_miss(tmp_path, monkeypatch, private_cache):
    from hls_audit.app.portfolio import Options, run_portfolio

    monkeypatch.chdir(tmp_path)
    _portfolio(tmp_path, ["a", "b"])
    (tmp_path / "b" / "evidence" / "E1.yaml").unlink()  # b fails: E1 is cited but missing
    claims = [tmp_path / "a" / "claims.yaml", tmp_path / "b" / "claims.yaml"]
    cold = run_portfolio(claims, Options(), workers=1)
    assert cold.exit_code == 1
    entries = list(private_cache.glob("audit-*.entry"))
    assert len(entries) == 2
    for entry in entries:
        mac, body = entry.read_bytes().split(b"\n", 1)
        data = json.loads(body)
        data["result"] = {"passed": True, "exit_code": 0, "usable": True}
        entry.write_bytes(mac + b"\n" + json.dumps(data).encode())  # the old digest kept
    warm = run_portfolio(claims, Options(), workers=1)
    assert warm.cached == 0 and warm.exit_code == 1
    assert run_portfolio(claims, Options(), workers=1).cached == 2  # rewritten by the warm run


def test_identical_copies_keep_their_own_locations(tmp_path, monkeypatch, private_cache):
    from hls_audit.app.portfolio import Options, run_portfolio

    monkeypatch.chdir(tmp_path)
    _portfolio(tmp_path, ["a", "b"])
    for name in ("a", "b"):
        (tmp_path / name / "evidence" / "E2.yaml").unlink()
    claims = [tmp_path / "a" / "claims.yaml", tmp_path / "b" / "claims.yaml"]
    for run in (run_portfolio(claims, Options(), workers=1),) * 2:
        a, b = run.results
        files_a = {f["location"]["file"] for f in a["findings"] if f.get("location")}
        files_b = {f["location"]["file"] for f in b["findings"] if f.get("location")}
        assert all(f.startswith("a/") for f in files_a), files_a
        assert all(f.startswith("b/") for f in files_b), files_b


def test_a_bug_in_one_case_study_is_that_case_studys_result(tmp_path, monkeypatch, cli):
    import hls_audit.engine.audit

    monkeypatch.chdir(tmp_path)
    _portfolio(tmp_path, ["a", "b", "c"])
    real = hls_audit.engine.audit.audit

    def flaky(case, **kwargs):
        if case.root.name == "b":
            raise ZeroDivisionError("a planted bug")
        return real(case, **kwargs)

    monkeypatch.setattr(hls_audit.engine.audit, "audit", flaky)
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", "")
    result = cli("check", ".", "--format", "json")
    assert result.exit_code == 3, result.output
    by_path = {r["path"]: r for r in json.loads(result.stdout)["case_studies"]}
    assert by_path["a/claims.yaml"]["result"]["exit_code"] == 0
    assert by_path["c/claims.yaml"]["result"]["exit_code"] == 0
    assert "a planted bug" in by_path["b/claims.yaml"]["internal_error"]


def test_hostile_files_in_one_case_study_never_stop_the_others(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    _portfolio(tmp_path, ["a", "b", "c", "d"])
    os.symlink(tmp_path / "missing.pdf", tmp_path / "b" / "evidence" / "x.pdf")
    (tmp_path / "c" / "claims.yaml").unlink()
    os.mkfifo(tmp_path / "c" / "claims.yaml")
    os.symlink("/proc/self/environ", tmp_path / "d" / "evidence" / "env.txt")
    result = cli("check", ".", "--format", "json")
    assert result.exit_code == 2, result.output
    by_path = {r["path"]: r for r in json.loads(result.stdout)["case_studies"]}
    assert by_path["a/claims.yaml"]["result"]["exit_code"] == 0
    assert by_path["b/claims.yaml"]["result"]["exit_code"] == 0  # an unnamed dangling link
    assert by_path["c/claims.yaml"]["result"]["exit_code"] == 2
    assert by_path["d/claims.yaml"]["result"]["exit_code"] == 0
    assert "GITHUB_TOKEN" not in result.output


def test_a_full_standard_output_is_exit_2_with_a_message(case):
    case()
    full = _device(case.root / "full", 7)
    for output in ("text", "json"):
        with full.open("wb") as stream:
            done = subprocess.run(
                [sys.executable, "-m", "hls_audit", "check", "--format", output],
                stdout=stream,
                stderr=subprocess.PIPE,
                text=True,
                cwd=case.root,
                timeout=60,
            )
        assert done.returncode == 2, done.stderr
        assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_an_unclosed_toml_array_is_located_at_the_end_of_the_file(case, cli):
    case()
    (case.root / "hls-audit.toml").write_text('require = "records"\nfail-on = ["error"\n\n')
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("hls-audit.toml:2:19: error HLS008: invalid TOML")


def test_the_same_bytes_as_another_kind_are_not_read_from_the_cache(case, cli, private_cache):
    """Cached as text, the bytes of a .txt must not pass as a readable .docx."""
    case(records=DOCUMENT_RECORDS, documents={"letter.txt": b"page one\fpage two\n"})
    assert cli("check").exit_code == 0
    (case.root / "evidence" / "letter.txt").rename(case.root / "evidence" / "letter.docx")
    record = case.root / "evidence" / "E1.yaml"
    record.write_text(record.read_text().replace("letter.txt", "letter.docx"))
    warm = cli("check", "--format", "text")
    assert warm.exit_code == 1 and "HLS604" in warm.stdout


def test_a_result_entry_reads_back_only_as_written(tmp_path, private_cache):
    from hls_audit.io.cache import open_cache

    cache = open_cache(tmp_path, quiet=True)
    assert cache is not None
    payload = {"result": {"exit_code": 1, "passed": False, "usable": True}, "text": "a \ud800 b"}
    cache.store_result("k1", payload)
    assert cache.result("k1") == payload  # a lone surrogate survives, escaped
    entry = private_cache / "audit-k1.entry"
    mac, body = entry.read_bytes().split(b"\n", 1)
    for broken in (mac + b"\n" + body[:-1], mac[:-1] + b"\n" + body, body, b"", mac + b"\n"):
        entry.write_bytes(broken)
        assert cache.result("k1") is None
    assert cache.result("absent") is None
