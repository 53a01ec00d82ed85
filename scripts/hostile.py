"""Acceptance harness: the real `hls-audit check` against hostile copies of the bundled case study.

Run from the repository root: ``.venv/bin/python scripts/hostile.py [--timeout 10] [--only TEXT]``
(``--keep`` leaves the temporary folders in place and prints where they are; ``--list`` prints
the variant names). Character devices are made with ``mknod`` and need root; without root those
variants are reported as skipped.

Each variant starts from a fresh copy of the repository root's claims.yaml and evidence/ in a
temporary folder, plus a document that a record names (evidence/E1.txt), one that no record names
(evidence/notes.txt), an hls-audit.toml and an evidence.lock. Then one input becomes something
hostile: a link to a secret file outside the case study, a dangling link, a link loop, a FIFO, a
character device like /dev/zero (made inside the temporary folder, never the real /dev), or a
2 GiB sparse file. Other variants add a DOCX bomb, a file name carrying a GitHub workflow command
and a 3,000-claim part_of cycle. Each variant runs the installed CLI four times: with the default
format, with ``--format text``, with ``GITHUB_ACTIONS=true`` and with ``--output`` to a SARIF file
outside the case study. The four runs share one private cache (HLS_AUDIT_CACHE_DIR), so the first
extracts the documents and the others read what it cached.

A variant passes when every run exits 0, 1 or 2 (never 3, never killed); finishes within the
timeout; peaks under 500 MiB (the child's own peak, reported by a small wrapper process that
runs it, or the summed RSS of its process tree sampled every few milliseconds, whichever is
larger); never shows the secret marker in
stdout, stderr, the output file or any file in the cache folder; never changes a file outside the
case study; and never prints a line the GitHub runner would take for a workflow command that came
from the case study. A variant that only changes a document that no record names must exit as
the unchanged copy does, since such files are never opened. The table lists each variant; the
exit status is 1 when any variant fails.

The helpers that build the hostile files (zip archives, DOCX bombs, special files) are also used
by scripts/fuzz.py.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import secrets
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

MiB = 1024 * 1024
GiB = 1024 * MiB
ROOT = Path(__file__).resolve().parent.parent
RSS_LIMIT = 500 * MiB
# A file name that tries to start a line with a GitHub workflow command of its own.
INJECTED = "::error file=claims.yaml,line=1::FORGED"
NAME_WITH_COMMAND = f"evil\n{INJECTED} by a file name.txt"

# --- Building hostile files ------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"


@dataclasses.dataclass(frozen=True)
class Member:
    """One member of a zip archive, already compressed; sizes and CRC are what the headers say."""

    name: str
    data: bytes
    crc: int
    size: int
    method: int = 8  # 8 deflate, 0 stored


def stored(name: str, data: bytes) -> Member:
    return Member(name, data, zlib.crc32(data), len(data), method=0)


def deflated(name: str, data: bytes) -> Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def deflated_repeat(
    name: str, head: bytes, unit: bytes, repeats: int, tail: bytes, declared: int | None = None
) -> Member:
    """A member that inflates to head + unit * repeats + tail, compressed in a blink.

    Each unit is compressed after a full flush, which resets the compressor, so its compressed
    form is the same every time and is simply repeated. ``declared`` makes the headers state a
    different size (and the CRC of that many leading bytes): an archive that lies about itself.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "a full flush must make every unit compress alike"
    body = first + block + again * (repeats - 1) + packer.compress(tail) + packer.flush()
    size = len(head) + len(unit) * repeats + len(tail)
    if declared is None:
        crc = zlib.crc32(head)
        for _ in range(repeats):
            crc = zlib.crc32(unit, crc)
        return Member(name, body, zlib.crc32(tail, crc), size)
    prefix = bytearray(head)
    while len(prefix) < declared:
        prefix += unit
    return Member(name, body, zlib.crc32(bytes(prefix[:declared])), declared)


def zip_archive(members: Iterable[Member]) -> bytes:
    """A plain zip (no zip64) whose headers say exactly what the members claim."""
    out = bytearray()
    central = bytearray()
    count = 0
    for member in members:
        name = member.name.encode()
        offset = len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            member.method,
            0,
            0x21,
            member.crc,
            len(member.data),
            member.size,
            len(name),
            0,
        )
        out += name + member.data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            member.method,
            0,
            0x21,
            member.crc,
            len(member.data),
            member.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
        count += 1
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def docx_with(document: Member) -> bytes:
    return zip_archive(
        [
            stored("[Content_Types].xml", CONTENT_TYPES),
            stored("_rels/.rels", PACKAGE_RELS),
            document,
        ]
    )


def docx_text(text: str) -> bytes:
    """A small, valid DOCX with one paragraph per line of ``text``."""
    from xml.sax.saxutils import escape

    paragraphs = "".join(
        f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in text.splitlines()
    )
    return docx_with(deflated("word/document.xml", DOC_HEAD + paragraphs.encode() + DOC_TAIL))


PARAGRAPH = b"<w:p><w:r><w:t>bomb</w:t></w:r></w:p>" * 1024


def docx_bomb(size: int = 1 * GiB) -> bytes:
    """About a megabyte that declares, and really inflates to, ``size`` bytes of document.xml."""
    repeats = max(1, size // len(PARAGRAPH))
    return docx_with(deflated_repeat("word/document.xml", DOC_HEAD, PARAGRAPH, repeats, DOC_TAIL))


def docx_liar(declared: int = 1 * MiB, size: int = 1 * GiB) -> bytes:
    """A DOCX whose headers say document.xml is ``declared`` bytes; it inflates to ``size``."""
    repeats = max(1, size // len(PARAGRAPH))
    return docx_with(
        deflated_repeat("word/document.xml", DOC_HEAD, PARAGRAPH, repeats, DOC_TAIL, declared)
    )


def docx_dense(size: int = 16 * MiB - 4096) -> bytes:
    """Just under the XML limit, all of it empty paragraphs: the most elements per byte."""
    unit = b"<w:p/>" * 1024
    return docx_with(
        deflated_repeat("word/document.xml", DOC_HEAD, unit, size // len(unit), DOC_TAIL)
    )


def docx_entities() -> bytes:
    """A DOCX whose document.xml declares nested entities (the "billion laughs")."""
    levels = ['<!ENTITY l0 "laugh">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(levels)}]>'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return docx_with(deflated("word/document.xml", xml.encode()))


def docx_deep(depth: int = 200_000) -> bytes:
    """A DOCX whose document.xml nests runs ``depth`` deep."""
    return docx_with(
        deflated("word/document.xml", DOC_HEAD + b"<w:p>" * depth + b"</w:p>" * depth + DOC_TAIL)
    )


def zip_many(count: int = 60_000) -> bytes:
    """A DOCX-named zip of ``count`` empty members: a long central directory."""
    return zip_archive(stored(f"m/{index}.xml", b"") for index in range(count))


def docx_corrupt() -> bytes:
    """The first half of a valid DOCX: a zip with no central directory."""
    whole = docx_text("A document cut in half.\n" * 200)
    return whole[: len(whole) // 2]


def pdf_page(content: bytes, resources: bytes = b"<< /Font << /F1 5 0 R >> >>") -> bytes:
    """A one-page PDF with this content stream (offsets in the xref table are exact)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources " + resources + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_text(text: str) -> bytes:
    """A one-page PDF showing ``text``."""
    return pdf_page(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace"))


def pdf_objects(count: int = 1_000_000) -> bytes:
    """A PDF of ``count`` empty objects whose trailer points nowhere: its reader must rebuild
    the cross-reference table from the objects themselves."""
    body = b"".join(b"%d 0 obj<<>>endobj\n" % number for number in range(1, count + 1))
    return b"%PDF-1.4\n" + body + b"\nstartxref\n999999999\n%%EOF\n"


def pdf_command() -> bytes:
    """A PDF that draws an XObject whose name (``#0A`` is a line break) is a workflow command.

    The page has no such XObject, so a PDF reader that logs the name it could not draw prints
    the command on a line of its own.
    """
    name = INJECTED.replace(" ", "#20") + "#20by#20a#20PDF"
    content = b"BT /F1 12 Tf 72 720 Td (A letter.) Tj ET\n/X#0A" + name.encode() + b" Do"
    return pdf_page(content, b"<< /Font << /F1 5 0 R >> /XObject << /Other 5 0 R >> >>")


# --- Special files, made only inside a temporary folder --------------------------------------


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def make_chardev(path: Path, minor: int = 5) -> None:
    """A character device like /dev/zero (1, 5) or /dev/null (1, 3), at ``path`` (root only)."""
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, minor))


def make_socket(path: Path) -> None:
    """A bound Unix socket file at ``path`` (the socket itself is closed at once)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))


def make_sparse(path: Path, size: int, head: bytes = b"") -> None:
    """A file of ``size`` bytes that takes no disk space but ``head``."""
    with open(path, "wb") as stream:
        stream.write(head)
        stream.truncate(size)


def remove(path: Path) -> None:
    """Remove whatever is at ``path``: a link, a special file, a file or a folder."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(status.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


# --- The variants ----------------------------------------------------------------------------


@dataclasses.dataclass
class Setting:
    """Where a variant is built: the case study, and the outside folder with its secrets."""

    case: Path
    outside: Path
    marker: str

    def secret(self, name: str, text: str) -> Path:
        """A file outside the case study whose text carries the marker."""
        path = self.outside / name
        path.write_text(text, encoding="utf-8")
        return path

    def record(self, name: str) -> Path:
        return self.case / "evidence" / f"{name}.yaml"

    def name_document(self, record: str, document: str) -> Path:
        """Make ``record`` name ``document`` (in place of its present one); its path."""
        path = self.record(record)
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("document:")
        ]
        lines.append(f"document: {_yaml_string(document)}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return self.case / "evidence" / document


def _yaml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


Build = Callable[[Setting], None]


@dataclasses.dataclass(frozen=True)
class Variant:
    name: str
    build: Build
    root_only: bool = False
    unnamed_only: bool = False  # changes only a file no record names: must exit as the control
    prime: Build | None = None  # built and run once first, to fill the cache
    expect: int | None = None  # the exit code every run must give


SLOTS = {  # slot name: path inside the case study
    "claims.yaml": "claims.yaml",
    "a record": "evidence/E1.yaml",
    "hls-audit.toml": "hls-audit.toml",
    "evidence.lock": "evidence.lock",
    "evidence/": "evidence",
    "a named document": "evidence/E1.txt",
    "an unnamed document": "evidence/notes.txt",
}


def _secret_text(slot: str, setting: Setting) -> str:
    """What the outside file holds: what the slot would read, with the marker where it shows."""
    marker = setting.marker
    if slot == "claims.yaml":
        text = (setting.case / "claims.yaml").read_text(encoding="utf-8")
        return text.replace("  title: ", f"  title: {marker} ", 1)
    if slot == "a record":
        return f"id: E1\nkind: report\ntitle: {marker}\nheld_by: {marker}\n"
    if slot == "hls-audit.toml":
        return f'fail-on = "error"\n{marker} = "{marker}"\n'
    if slot == "evidence.lock":
        return (
            '{"format": "hls-audit/evidence-lock", "version": 1, "documents": '
            f'{{"{marker}": {{"sha256": "{marker}"}}}}}}\n'
        )
    return f"{marker}\nThe secret text of a document outside the case study.\n"


def _link_out(slot: str) -> Build:
    def build(setting: Setting) -> None:
        target = setting.case / SLOTS[slot]
        if slot == "evidence/":  # a folder of records whose titles carry the marker
            secret = setting.outside / "evidence"
            shutil.copytree(target, secret, symlinks=True)
            for record in secret.glob("*.yaml"):
                text = record.read_text(encoding="utf-8")
                record.write_text(text.replace("title: ", f"title: {setting.marker} ", 1))
            (secret / "E1.txt").write_text(f"{setting.marker}\n", encoding="utf-8")
        else:
            secret = setting.secret(
                slot.replace("/", "_").replace(" ", "_"), _secret_text(slot, setting)
            )
        remove(target)
        target.symlink_to(secret)

    return build


def _dangling(slot: str) -> Build:
    def build(setting: Setting) -> None:
        target = setting.case / SLOTS[slot]
        remove(target)
        target.symlink_to(target.parent / "no-such-file")

    return build


def _loop(slot: str) -> Build:
    def build(setting: Setting) -> None:
        target = setting.case / SLOTS[slot]
        remove(target)
        partner = target.parent / f".{target.name}.loop"
        target.symlink_to(partner.name)
        partner.symlink_to(target.name)

    return build


def _replace_with(slot: str, make: Callable[[Path], None]) -> Build:
    def build(setting: Setting) -> None:
        target = setting.case / SLOTS[slot]
        remove(target)
        make(target)

    return build


def _chardev(path: Path) -> None:
    make_chardev(path, 5)


def _sparse(path: Path) -> None:
    make_sparse(path, 2 * GiB)


KINDS: dict[str, tuple[Callable[[str], Build], bool]] = {  # kind: (builder, root only)
    "link to an outside secret": (_link_out, False),
    "dangling link": (_dangling, False),
    "link loop": (_loop, False),
    "FIFO": (lambda slot: _replace_with(slot, os.mkfifo), False),
    "char device (c 1 5)": (lambda slot: _replace_with(slot, _chardev), True),
    "2 GiB sparse file": (lambda slot: _replace_with(slot, _sparse), False),
}


def _docx_document(content: Callable[[], bytes]) -> Build:
    def build(setting: Setting) -> None:
        setting.name_document("E1", "E1.docx").write_bytes(content())
        remove(setting.case / "evidence" / "E1.txt")

    return build


def _pdf_document(content: Callable[[], bytes]) -> Build:
    def build(setting: Setting) -> None:
        setting.name_document("E1", "E1.pdf").write_bytes(content())
        remove(setting.case / "evidence" / "E1.txt")

    return build


def _named_command_name(setting: Setting) -> None:
    path = setting.name_document("E1", NAME_WITH_COMMAND)
    remove(setting.case / "evidence" / "E1.txt")
    make_sparse(path, 2 * GiB)  # over the limit, so the finding names it


def _unnamed_command_name(setting: Setting) -> None:
    (setting.case / "evidence" / NAME_WITH_COMMAND).write_text("notes\n", encoding="utf-8")


def _cycle(setting: Setting) -> None:
    claims = setting.case / "claims.yaml"
    count = 3000
    lines = [
        f'  - {{id: CY{i}, section: "4", statement: Part {i} of the loop., evidence: [E1], '
        f"amount: {{role: part, value: 1, part_of: CY{(i + 1) % count}}}}}\n"
        for i in range(count)
    ]
    with open(claims, "a", encoding="utf-8") as stream:
        stream.write("\n" + "".join(lines))


def _folder_on_the_way(setting: Setting) -> None:
    """evidence/docs is a link to an outside folder; E1 names docs/E1.txt in it."""
    secret = setting.outside / "docs"
    secret.mkdir()
    (secret / "E1.txt").write_text(f"{setting.marker}\n", encoding="utf-8")
    (setting.case / "evidence" / "docs").symlink_to(secret)
    setting.name_document("E1", "docs/E1.txt")
    remove(setting.case / "evidence" / "E1.txt")


def _evidence_file(setting: Setting) -> None:
    remove(setting.case / "evidence")
    (setting.case / "evidence").write_text("not a folder\n", encoding="utf-8")


def _evidence_link_to_file(setting: Setting) -> None:
    remove(setting.case / "evidence")
    (setting.case / "evidence").symlink_to(setting.secret("evidence-file", setting.marker + "\n"))


def _near_limit_astral(setting: Setting) -> None:
    """A text document one byte under the 100 MiB limit, whose first character is astral."""
    make_sparse(setting.case / "evidence" / "E1.txt", 100 * MiB - 1, "\U0001f600".encode())


def _ten_near_limit(setting: Setting) -> None:
    """Ten named text documents, each one byte under the 100 MiB limit (sparse zeros)."""
    for index in range(1, 11):
        name = f"E{index}"
        if not setting.record(name).exists():
            continue
        make_sparse(setting.name_document(name, f"{name}.txt"), 100 * MiB - 1)


def _zero_pdf(setting: Setting) -> None:
    """A named PDF of 100 MiB - 1 zeros: no header, and no line break to search back from."""
    path = setting.name_document("E1", "E1.pdf")
    remove(setting.case / "evidence" / "E1.txt")
    make_sparse(path, 100 * MiB - 1)


def _bomb_as_text(setting: Setting) -> None:
    """The bytes of a DOCX bomb, named E1.txt: plain text to a reader of text."""
    setting.name_document("E1", "E1.txt").write_bytes(docx_bomb())


def _bomb_renamed(setting: Setting) -> None:
    """The same bytes, renamed E1.docx: a bomb again, whatever the cache remembers."""
    old = setting.case / "evidence" / "E1.txt"
    os.rename(old, setting.name_document("E1", "E1.docx"))


def _output_link(setting: Setting) -> None:
    """Marks the variant whose --output file is a link to an outside file (see run_variant)."""


def variants() -> list[Variant]:
    out = [Variant("control: the unchanged copy", lambda setting: None)]
    for slot in SLOTS:
        for kind, (maker, root_only) in KINDS.items():
            out.append(
                Variant(f"{slot}: {kind}", maker(slot), root_only, slot == "an unnamed document")
            )
    out += [
        Variant("evidence/: a regular file", _evidence_file),
        Variant("evidence/: a link to an outside file", _evidence_link_to_file),
        Variant("evidence/docs: a link to an outside folder", _folder_on_the_way),
        Variant("a named document: DOCX bomb (1 GiB XML)", _docx_document(docx_bomb)),
        Variant("a named document: DOCX lying about its size", _docx_document(docx_liar)),
        Variant("a named document: DOCX, 16 MiB of empty paragraphs", _docx_document(docx_dense)),
        Variant("a named document: DOCX with nested entities", _docx_document(docx_entities)),
        Variant("a named document: DOCX nested 200,000 deep", _docx_document(docx_deep)),
        Variant("a named document: zip of 60,000 members", _docx_document(zip_many)),
        Variant("a named document: corrupt DOCX", _docx_document(docx_corrupt)),
        Variant("a named document: PDF naming an XObject ::error", _pdf_document(pdf_command)),
        Variant("a named document: name with a newline and ::error", _named_command_name),
        Variant(
            "an unnamed document: name with a newline and ::error",
            _unnamed_command_name,
            unnamed_only=True,
        ),
        Variant("claims.yaml: 3,000-long part_of cycle", _cycle),
        Variant("a named document: 100 MiB - 1 text, astral first char", _near_limit_astral),
        Variant("ten named documents: each 100 MiB - 1 of text", _ten_near_limit),
        Variant("a named document: 100 MiB - 1 PDF of zeros", _zero_pdf),
        Variant("a named document: PDF of 1,000,000 empty objects", _pdf_document(pdf_objects)),
        Variant(
            "a named document: DOCX bomb whose bytes are cached as .txt",
            _bomb_renamed,
            prime=_bomb_as_text,
            expect=1,
        ),
        Variant("--output: a link to an outside file", _output_link),
    ]
    return out


# --- Running the CLI -------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    """One run of the CLI on a variant."""

    mode: str
    exit_code: int | None  # None: killed after the timeout
    seconds: float
    peak: int  # bytes
    stdout: bytes
    stderr: bytes
    output: bytes = b""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as stream:
                found += [int(child) for child in stream.read().split()]
        except (OSError, ValueError):
            continue
    return found


def tree_rss(pid: int) -> int:
    """The summed resident memory of ``pid`` and its descendants, in bytes (0 without /proc)."""
    total = 0
    todo = [pid]
    seen: set[int] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as stream:
                for line in stream:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            continue
        todo += _children(current)
    return total


# Runs the command given after the report path and writes its peak RSS (KiB) and seconds there.
# A small process of its own, because Linux counts the RSS of whatever process spawns a child
# (at the moment of spawning) in that child's peak; this harness grows large building bombs.
WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[2:])
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    report.write(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {seconds}")
sys.exit(code if code >= 0 else 128 - code)
"""


def run_child(
    command: list[str], env: dict[str, str], cwd: Path, timeout: float, logs: Path
) -> tuple[int | None, float, int, bytes, bytes]:
    """Run ``command``; (exit code or None if killed, seconds, peak bytes, stdout, stderr)."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path, usage_path = logs / "stdout", logs / "stderr", logs / "usage"
    remove(usage_path)
    wrapped = [sys.executable, "-S", "-c", WRAPPER, str(usage_path), *command]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            wrapped,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,  # its own process group, so a hang can be ended whole
        )
        sampled = 0
        killed = False
        while True:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                break
            sampled = max(sampled, sum(tree_rss(c) for c in _children(child.pid)))
            if time.perf_counter() - started > timeout:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                pid, status = os.waitpid(child.pid, 0)
                killed = True
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    peak = sampled
    with contextlib.suppress(OSError, ValueError):
        maxrss, inner = usage_path.read_text().split()
        peak = max(peak, int(maxrss) * 1024)  # kibibytes on Linux
        seconds = float(inner)
    code = None if killed else child.returncode
    return code, seconds, peak, out_path.read_bytes(), err_path.read_bytes()


def hls_audit_command() -> list[str]:
    """The installed console script beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "hls-audit"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("hls-audit")
    if found is None:
        raise SystemExit("hls-audit is not installed; run `pip install -e .` in the venv")
    return [found]


def child_env(home: Path, cache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A small, clean environment: no CI variables, the home and cache in temporary folders."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "COLUMNS": "200",
        "HLS_AUDIT_CACHE_DIR": str(cache),
    }
    return {**env, **(extra or {})}


def files_bytes(folder: Path) -> Iterable[tuple[Path, bytes]]:
    """Every regular file below ``folder``, never following links."""
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(path).st_mode):
                    yield path, path.read_bytes()


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """What is outside the case study: every entry's mode, size and (small files) bytes."""
    out: dict[str, tuple[int, int, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            status = os.lstat(path)
            small = stat.S_ISREG(status.st_mode) and status.st_size < MiB
            out[str(path)] = (status.st_mode, status.st_size, path.read_bytes() if small else b"")
    return out


def forged_lines(text: str) -> list[str]:
    """Lines that a GitHub runner would obey as the command a file name smuggled in.

    The runner reads a command only at the start of a line (after whitespace); the same text
    inside the message of one of hls-audit's own annotations is just words. Any line break the
    runner honours counts: LF, CR, and the Unicode breaks Python also splits on.
    """
    return [line for line in text.splitlines() if line.lstrip().startswith(INJECTED)]


@dataclasses.dataclass
class Outcome:
    variant: Variant
    runs: list[Run]
    problems: list[str]
    skipped: str = ""

    @property
    def passed(self) -> bool:
        return not self.problems and not self.skipped


MODES: list[tuple[str, list[str], dict[str, str]]] = [
    ("default", [], {}),
    ("--format text", ["--format", "text"], {}),
    ("GITHUB_ACTIONS=true", [], {"GITHUB_ACTIONS": "true"}),
    ("--output sarif", ["--format", "sarif", "--output", "{output}"], {}),
]


def run_variant(
    variant: Variant, base: Path, work: Path, timeout: float, control: int | None
) -> Outcome:
    """Build one variant in its own folder and run every mode on it."""
    folder = work / "variant"
    remove(folder)
    folder.mkdir()
    case, outside, cache, home = (folder / n for n in ("case", "outside", "cache", "home"))
    shutil.copytree(base, case, symlinks=True)
    outside.mkdir()
    home.mkdir()
    marker = f"HLS-SECRET-{secrets.token_hex(8)}"
    setting = Setting(case, outside, marker)
    if variant.root_only and not is_root():
        return Outcome(variant, [], [], skipped="needs root for mknod")
    if variant.prime is not None:
        variant.prime(setting)
        run_child(
            [*hls_audit_command(), "check", "case"],
            child_env(home, cache),
            folder,
            timeout,
            folder / "logs" / "prime",
        )
    variant.build(setting)
    output = folder / "reports" / "report.sarif"
    output.parent.mkdir()
    if variant.build is _output_link:  # --output names a link out of the reports folder
        output.symlink_to(setting.secret("report-target", f"{marker}\nnot to be overwritten\n"))
    before = snapshot(outside)
    runs: list[Run] = []
    problems: list[str] = []
    for mode, extra_args, extra_env in MODES:
        args = [a.replace("{output}", str(output)) for a in extra_args]
        command = [*hls_audit_command(), "check", "case", *args]
        code, seconds, peak, stdout, stderr = run_child(
            command, child_env(home, cache, extra_env), folder, timeout, folder / "logs" / mode
        )
        written = b""
        if mode == "--output sarif":
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(output).st_mode):
                    written = output.read_bytes()
        run = Run(mode, code, seconds, peak, stdout, stderr, written)
        runs.append(run)
        problems += _judge(run, variant, marker, timeout, control)
    for path, data in files_bytes(cache):
        if marker.encode() in data:
            problems.append(f"the marker is in the cache file {path.name}")
    if snapshot(outside) != before:
        problems.append("a file outside the case study was changed")
    return Outcome(variant, runs, problems)


def _judge(
    run: Run, variant: Variant, marker: str, timeout: float, control: int | None
) -> list[str]:
    problems: list[str] = []
    where = f"[{run.mode}]"
    if run.exit_code is None:
        problems.append(f"{where} still running after {timeout:.0f} s; killed")
    elif run.exit_code not in (0, 1, 2):
        problems.append(f"{where} exit code {run.exit_code}")
    if run.seconds > timeout:
        problems.append(f"{where} took {run.seconds:.1f} s")
    if run.peak >= RSS_LIMIT:
        problems.append(f"{where} peak memory {run.peak / MiB:.0f} MiB")
    for name, data in (("stdout", run.stdout), ("stderr", run.stderr), ("report", run.output)):
        if marker.encode() in data:
            problems.append(f"{where} the secret marker is in the {name}")
        if b"Traceback (most recent call last)" in data:
            problems.append(f"{where} a traceback in the {name}")
        forged = forged_lines(data.decode("utf-8", "replace")) if name != "report" else []
        if forged:
            problems.append(f"{where} a forged workflow command in the {name}: {forged[0]!r}")
    if variant.expect is not None and run.exit_code not in (None, variant.expect):
        problems.append(f"{where} exit {run.exit_code}; it must be {variant.expect}")
    if (
        variant.unnamed_only
        and control is not None
        and run.exit_code is not None
        and run.exit_code != control
    ):
        problems.append(f"{where} exit {run.exit_code}, the unchanged copy exits {control}")
    return problems


def make_base(folder: Path, timeout: float) -> Path:
    """The fresh copy every variant starts from, with a named and an unnamed document."""
    base = folder / "base"
    base.mkdir()
    shutil.copy2(ROOT / "claims.yaml", base / "claims.yaml")
    shutil.copytree(ROOT / "evidence", base / "evidence", symlinks=True)
    setting = Setting(base, folder, "")
    setting.name_document("E1", "E1.txt").write_text(
        "A letter of support from the council.\nIt names the budget and the contract.\n",
        encoding="utf-8",
    )
    (base / "evidence" / "notes.txt").write_text("Notes no record names.\n", encoding="utf-8")
    (base / "hls-audit.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    home, cache = folder / "home", folder / "cache"
    home.mkdir()
    code, _, _, _, stderr = run_child(
        [*hls_audit_command(), "lock", "base"],
        child_env(home, cache),
        folder,
        timeout * 3,
        folder / "logs" / "lock",
    )
    if code != 0:
        raise SystemExit(f"hls-audit lock failed on the fresh copy: {stderr.decode()}")
    return base


def table(outcomes: list[Outcome]) -> str:
    rows = [("variant", "exit codes", "seconds", "peak MiB", "leaked?", "verdict")]
    for outcome in outcomes:
        if outcome.skipped:
            rows.append((outcome.variant.name, "-", "-", "-", "-", f"SKIP ({outcome.skipped})"))
            continue
        codes = " ".join("kill" if r.exit_code is None else str(r.exit_code) for r in outcome.runs)
        seconds = max(r.seconds for r in outcome.runs)
        peak = max(r.peak for r in outcome.runs) / MiB
        leaked = "yes" if any("marker" in p for p in outcome.problems) else "no"
        rows.append(
            (
                outcome.variant.name,
                codes,
                f"{seconds:.2f}",
                f"{peak:.0f}",
                leaked,
                "PASS" if outcome.passed else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--only", default="", help="run only variants whose name holds this")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--list", action="store_true", help="print the variant names and stop")
    args = parser.parse_args()
    every = variants()
    chosen = [v for v in every if args.only.lower() in v.name.lower()]
    if args.list:
        print("\n".join(v.name for v in chosen))
        return
    work = Path(tempfile.mkdtemp(prefix="hls-hostile-"))
    try:
        started = time.perf_counter()
        base = make_base(work, args.timeout)
        control_variant = every[0]
        control = run_variant(control_variant, base, work, args.timeout, None)
        control_code = control.runs[0].exit_code
        outcomes = [control] if control_variant in chosen else []
        for variant in chosen:
            if variant is not control_variant:
                outcome = run_variant(variant, base, work, args.timeout, control_code)
                outcomes.append(outcome)
                print(
                    f"{'ok  ' if not outcome.problems else 'FAIL'} {variant.name}",
                    file=sys.stderr,
                    flush=True,
                )
        print(table(outcomes))
        failed = [o for o in outcomes if o.problems]
        for outcome in failed:
            print(f"\nFAIL {outcome.variant.name}:")
            for problem in dict.fromkeys(outcome.problems):
                print(f"  - {problem}")
        skipped = sum(1 for o in outcomes if o.skipped)
        print(
            f"\n{len(outcomes)} variants ({skipped} skipped), {len(failed)} failed, "
            f"{time.perf_counter() - started:.0f} s; the unchanged copy exits {control_code}"
        )
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
