"""A hostile change to the case study's folder: links, special files and huge files.

A pull request can change any file of a case study, links included. Every input (claims.yaml, a
record, the settings, the lock, evidence/ itself, a document a record names, a file no record
names) is tried in every hostile shape: a link to a file outside holding a secret, a dangling
link, a link loop, a FIFO, a character device (made inside the test's folder) and a file over
its size limit. Each run goes through the command under an alarm, so a hang fails the test
instead of stalling it, and the secret must never reach stdout, stderr or the cache. Inputs the
audit parses are refused (exit 2); documents that cannot be read are findings; files no record
names are reported by name and never opened.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import uuid
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_RECORDS, CaseWriter, Result, run_cli

SHAPES = ["link-out", "dangling", "loop", "fifo", "device", "huge"]
PARSED = ["claims.yaml", "evidence/E2.yaml", "hls-audit.toml", "pyproject.toml", "evidence.lock"]
NAMED = "evidence/letter.txt"  # E1 names it
UNNAMED = "evidence/stray.txt"
TIMEOUT = 30  # seconds; every run here takes well under one


def _record_naming(name: str) -> dict[str, str]:
    return dict(MINIMAL_RECORDS, E1=MINIMAL_RECORDS["E1"] + f"document: {name}\n")


class Hostile:
    """A case study whose one file is replaced by a hostile shape."""

    def __init__(self, case: CaseWriter, outside: Path) -> None:
        self.case = case
        self.outside = outside
        self.secret = f"SECRET-{uuid.uuid4().hex}"
        (outside / "secret.txt").write_text(f"id: {self.secret}\n{self.secret}\n")

    def make(self, relative: str, shape: str) -> None:
        path = self.case.root / relative
        if path.is_symlink() or path.is_file():
            path.unlink()
        if shape == "link-out":
            os.symlink(self.outside / "secret.txt", path)
        elif shape == "dangling":
            os.symlink(self.case.root / "gone.txt", path)
        elif shape == "loop":
            os.symlink(path.name + ".loop", path)
            os.symlink(path.name, path.with_name(path.name + ".loop"))
        elif shape == "fifo":
            os.mkfifo(path)
        elif shape == "device":
            try:  # a zero-like device, made in the test's own folder only
                os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 5))
            except (PermissionError, OSError):
                pytest.skip("cannot make a device node here (needs root)")
        elif shape == "huge":
            with path.open("wb") as stream:  # sparse: no disk is used
                stream.truncate(200 * 1024 * 1024)
        else:  # pragma: no cover
            raise AssertionError(shape)

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """The command, in-process, under an alarm: a hang fails the test instead of stalling."""

        def hung(signum: int, frame: object) -> None:
            raise TimeoutError(f"hls-audit {' '.join(args)} still running after {TIMEOUT} s")

        previous = signal.signal(signal.SIGALRM, hung)
        signal.alarm(TIMEOUT)
        try:
            result = run_cli(*args, env=env)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        assert "Traceback" not in result.output, result.output
        assert result.exit_code in (0, 1, 2), result.output
        assert self.secret not in result.output
        cache = Path(os.environ["HLS_AUDIT_CACHE_DIR"])
        if cache.is_dir():
            for entry in cache.rglob("*"):
                if entry.is_file():
                    assert self.secret.encode() not in entry.read_bytes(), entry
        return result


@pytest.fixture
def hostile(case: CaseWriter, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    case(records=_record_naming("letter.txt"), documents={"letter.txt": b"Page one.\fA letter.\n"})
    (case.root / "hls-audit.toml").write_text('fail-on = "error"\n')
    (case.root / "pyproject.toml").write_text('[project]\nname = "not-ours"\n')
    return Hostile(case, tmp_path_factory.mktemp("outside"))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("relative", PARSED)
def test_an_input_the_audit_parses_is_refused_in_every_hostile_shape(hostile, relative, shape):
    if relative == "pyproject.toml":
        (hostile.case.root / "hls-audit.toml").unlink()  # so pyproject.toml is looked at
    if relative == "evidence.lock":
        assert hostile.run("lock").exit_code == 0
    hostile.make(relative, shape)
    for args in (["check"], ["check", "--format", "github"]):
        result = hostile.run(*args, env={"GITHUB_ACTIONS": "true"})
        assert result.exit_code == 2, result.stderr
        assert Path(relative).name in result.stderr
        code = {"link-out": "HLS002", "fifo": "HLS002", "device": "HLS002", "huge": "HLS003"}
        assert f"error {code.get(shape, 'HLS001')}:" in result.stderr and "hint:" in result.stderr


@pytest.mark.parametrize("shape", SHAPES)
def test_the_evidence_folder_in_a_hostile_shape_is_refused(hostile, shape):
    evidence = hostile.case.root / "evidence"
    for child in evidence.iterdir():
        child.unlink()
    evidence.rmdir()
    if shape == "link-out":
        os.symlink(hostile.outside, evidence)
    else:
        hostile.make("evidence", shape)
    result = hostile.run("check")
    assert result.exit_code == 2 and "evidence" in result.stderr
    if shape == "link-out":
        assert "secret.txt" not in result.stdout + result.stderr  # never listed


@pytest.mark.parametrize(
    "shape,expected",
    [
        ("link-out", 2),  # hostile: refused, located at the record that names it
        ("fifo", 2),
        ("device", 2),
        ("dangling", 1),  # an ordinary state of a checkout: HLS604, the rest is audited
        ("loop", 1),
        ("huge", 1),
    ],
)
def test_a_named_document_in_a_hostile_shape(hostile, shape, expected):
    hostile.make(NAMED, shape)
    result = hostile.run("check", "--format", "text")
    assert result.exit_code == expected, result.stdout + result.stderr
    if expected == 2:
        assert "evidence/E1.yaml:" in result.stderr and "letter.txt" in result.stderr
    else:
        assert "HLS604" in result.stdout and "letter.txt" in result.stdout


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_no_record_names_is_reported_by_name_and_never_opened(hostile, shape):
    hostile.make(UNNAMED, shape)
    result = hostile.run("check", "--format", "text")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "HLS202" in result.stdout and "stray.txt" in result.stdout
    assert (
        hostile.run("lock", "--update").exit_code == 0
        if (hostile.case.root / "evidence.lock").exists()
        else hostile.run("lock").exit_code == 0
    )
    assert "stray.txt" not in (hostile.case.root / "evidence.lock").read_text()


def test_a_named_document_in_a_linked_folder_inside_the_case_is_read(hostile):
    """A link that stays inside evidence/ is an ordinary layout, not an attack."""
    letters = hostile.case.root / "evidence" / "letters"
    letters.mkdir()
    (letters / "real.txt").write_text("Page one.\fA letter about the contract.\n")
    os.unlink(hostile.case.root / NAMED)
    os.symlink(letters / "real.txt", hostile.case.root / NAMED)
    result = hostile.run("check", "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_claims_file_named_on_the_command_line_through_a_link_out_is_refused(hostile):
    link = hostile.case.root / "other.yaml"
    os.symlink(hostile.outside / "secret.txt", link)
    result = hostile.run("check", "other.yaml")
    assert result.exit_code == 2 and "outside" in result.stderr


def test_an_explicit_config_that_is_a_device_is_refused(hostile):
    hostile.make("extra.toml", "device")
    result = hostile.run("check", "--config", "extra.toml")
    assert result.exit_code == 2 and "character device" in result.stderr


def test_a_narrative_in_hostile_shapes_is_refused(hostile):
    hostile.case.edit("version: 1\n", "version: 1\nnarrative: case-study.md\n")
    for shape in ("link-out", "fifo", "dangling"):
        hostile.make("case-study.md", shape)
        result = hostile.run("check")
        assert result.exit_code == 2 and "case-study.md" in result.stderr
        os.unlink(hostile.case.root / "case-study.md")


def test_an_unlistable_evidence_folder_is_unusable_input(case, cli, monkeypatch):
    import hls_audit.io.load

    case()
    real = os.listdir

    def denied(path: object = ".") -> list[str]:
        if str(path).endswith("evidence"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(hls_audit.io.load.os, "listdir", denied)
    result = cli("check")
    assert result.exit_code == 2 and "evidence" in result.stderr and "listed" in result.stderr


def test_an_unreadable_sub_folder_of_evidence_is_unusable_input(case, cli, monkeypatch):
    case(documents={"letters/a.txt": b"x"})
    real = os.scandir

    def denied(path: object = ".") -> object:
        if str(path).endswith("letters"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", denied)
    result = cli("check")
    assert result.exit_code == 2 and "letters" in result.stderr


# --- documents: bounded before they are opened ----------------------------------------------------


def _docx_bomb(xml_bytes: int) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            block = b" " * (1024 * 1024)
            for _ in range(xml_bytes // len(block) + 1):
                member.write(block)
    return buffer.getvalue()


def test_a_docx_that_unpacks_past_the_limit_is_never_opened(case, cli):
    from hls_audit.io.files import MAX_DOCX_XML_BYTES

    bomb = _docx_bomb(MAX_DOCX_XML_BYTES + 1)
    assert len(bomb) < 200_000  # small on disk: the danger is what it unpacks to
    case(records=_record_naming("letter.docx"), documents={"letter.docx": bomb})
    result = cli("check", "--format", "text")
    assert result.exit_code == 1
    assert "HLS604" in result.stdout and "bytes of XML; the limit is" in result.stdout


def test_a_document_with_too_much_text_is_a_finding(case, cli, monkeypatch):
    import hls_audit.documents.extract

    monkeypatch.setattr(hls_audit.documents.extract, "MAX_TEXT_CHARS", 1_000)
    case(records=_record_naming("long.txt"), documents={"long.txt": b"word " * 400})
    result = cli("check", "--format", "text")
    assert result.exit_code == 1 and "more than 1,000 characters of text" in result.stdout


def test_the_closest_match_search_reads_a_bounded_amount_of_text():
    from hls_audit.documents.quotes import SearchBudget, find_quote

    pages = ["the contract changed everything"] + ["filler text " * 100] * 50
    near = find_quote("the contract changes everything", pages)
    assert near.pages == () and near.best_page == 1 and near.similarity > 80
    bounded = find_quote("nothing like this", pages, scan_limit=10)
    assert bounded.best_page in (None, 1)
    spent = SearchBudget(text=10, cells=10)
    unsearched = find_quote("the contract changed everything", pages, budget=spent)
    assert unsearched.searched is False and unsearched.pages == ()


def test_a_quote_the_budget_cannot_search_never_verifies_its_source(case, cli, monkeypatch):
    import hls_audit.documents.quotes

    monkeypatch.setattr(hls_audit.documents.quotes, "MAX_SEARCH_CHARS", 0)
    case(records=_record_naming("letter.txt"), documents={"letter.txt": b"p1\fthe words\f"})
    case.edit(
        "evidence: [{source: E1, pages: p2}]",
        'evidence: [{source: E1, pages: p2, quote: "the words"}]',
    )
    result = cli("sources", "--format", "json")
    assert result.exit_code == 0, result.output
    levels = {s["id"]: s["level"] for s in json.loads(result.stdout)["sources"]}
    assert levels["E1"] == "on-file"


@pytest.mark.parametrize(
    "data",
    [
        bytes(1_000_000),  # no header
        b"%PDF-1.4\n" + bytes(1_000_000),  # no end
        b"%PDF-1.4\n" + bytes(1_000_000) + b"\n%%EOF\n",  # no trailer
        b"%PDF-1.4\n" + bytes(1_000_000) + b"\nstartxref\n9\n%%EOF\n",  # a trailer to nowhere
    ],
)
def test_a_damaged_pdf_is_a_finding_without_a_word_from_the_pdf_library(case, cli, data):
    case(records=_record_naming("letter.pdf"), documents={"letter.pdf": data + b"\n::error::x"})
    result = cli("check", "--format", "text")
    assert result.exit_code == 1 and "HLS604" in result.stdout
    assert result.stderr == ""


def test_a_socket_named_as_a_document_is_refused(case, cli):
    import socket

    case(records=_record_naming("letter.txt"))
    os.chdir(case.root / "evidence")  # a socket's path must be short; bind by its plain name
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("letter.txt")
        os.chdir(case.root)
        result = cli("check")
    assert result.exit_code == 2 and "socket" in result.stderr


def _liar(declared: int, actual: int) -> bytes:
    """A zip whose word/document.xml declares `declared` bytes and inflates to `actual`."""
    import io
    import struct
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * actual)  # first: its header is at 0
        archive.writestr("[Content_Types].xml", "<Types/>")
    raw = bytearray(buffer.getvalue())
    raw[22:26] = struct.pack("<I", declared)  # the local header's uncompressed size
    central = raw.find(b"PK\x01\x02")  # the first central entry: the same member
    raw[central + 24 : central + 28] = struct.pack("<I", declared)
    return bytes(raw)


def test_a_docx_that_lies_about_its_size_is_unpacked_no_further_than_it_says():
    import io
    import zipfile

    from hls_audit.documents.extract import repacked

    liar = _liar(declared=1000, actual=50_000_000)
    assert len(liar) < 200_000
    try:
        stored = repacked(liar)
    except zipfile.BadZipFile:
        return  # refused by its CRC: as good
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        assert archive.getinfo("word/document.xml").file_size <= 1000


def test_a_docx_of_too_many_paragraphs_is_a_finding(case, cli, monkeypatch):
    import hls_audit.documents.extract

    monkeypatch.setattr(hls_audit.documents.extract, "MAX_DOCX_PARAGRAPHS", 10)
    from tests.test_documents import make_docx

    case(records=_record_naming("letter.docx"), documents={"letter.docx": make_docx(["x"] * 20)})
    result = cli("check", "--format", "text")
    assert result.exit_code == 1 and "more than 10 paragraphs" in result.stdout


def test_a_pdf_that_takes_too_long_to_open_is_a_finding(case, cli, monkeypatch):
    import hls_audit.documents.extract

    monkeypatch.setattr(hls_audit.documents.extract, "MAX_OPEN_SECONDS", 0.2)
    objects = b"".join(b"%d 0 obj\n<<>>\nendobj\n" % n for n in range(1, 400_000))
    pdf = b"%PDF-1.4\n" + objects + b"trailer\n<<>>\nstartxref\n999999999\n%%EOF\n"
    case(records=_record_naming("slow.pdf"), documents={"slow.pdf": pdf})
    result = cli("check", "--format", "text")
    assert result.exit_code == 1, result.output
    assert "opening the PDF took longer than 0.2 s" in result.stdout


def test_text_that_cannot_fit_the_limit_is_refused_before_it_is_decoded(case, cli, monkeypatch):
    import hls_audit.documents.extract

    monkeypatch.setattr(hls_audit.documents.extract, "MAX_TEXT_CHARS", 100)
    case(records=_record_naming("long.txt"), documents={"long.txt": "😀".encode() * 200})
    result = cli("check", "--format", "text")
    assert result.exit_code == 1 and "more than 100 characters of text" in result.stdout


@pytest.mark.parametrize("output", ["json", "sarif", "junit", "markdown", "github", "text"])
def test_a_file_name_that_is_not_utf8_never_breaks_a_format(case, cli, output):
    case()
    (case.root / "evidence" / os.fsdecode(b"bad-\xff.txt")).write_text("stray\n")
    result = cli("check", "--format", output)
    assert result.exit_code == 0, result.output
    if output in ("json", "sarif"):
        text = json.dumps(json.loads(result.stdout))
        assert "bad-" in text  # the name is there, escaped, not lost
