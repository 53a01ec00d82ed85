"""Long fuzz run: mutated content and hostile file-system shapes must only ever give input errors.

Run from the repository root:

    .venv/bin/python scripts/fuzz.py [--inputs 100000] [--seed 1] [--filesystem-share 0.3]
                                     [--jobs 2] [--include-heavy]
    .venv/bin/python scripts/fuzz.py --seed 1 --replay 4711 [--keep]   # one input again

Content inputs (mutated claims files, amounts and narratives) go through the functions the CLI
calls: load, audit and every renderer; the amount parser; the narrative parser. Anything but the
tool's own InputError is a failure, printed with the input.

Filesystem inputs build a small case study (the fixtures of tests/conftest.py) in a scratch
folder and turn one to three of its inputs (claims.yaml, a record, hls-audit.toml,
pyproject.toml, evidence.lock, the narrative, evidence/, the folder of a document, a document
that a record names, one that no record names) into something else: links to secret files or
folders outside the case study, dangling links, link loops, long link chains, links to FIFOs and
devices, FIFOs, character devices (like /dev/zero and /dev/null, made with mknod inside the
scratch folder when running as root), sockets, folders, sparse files of several GiB or just over
a limit, zip bombs and broken DOCX files, and hostile file names. Then they run the real
command (check, totals, sources or lock) in process, with a random format, environment and
options. HLS_AUDIT_CACHE_DIR points at a private folder outside the case study.

A filesystem input fails when: the exit code is not 0, 1 or 2; a traceback escapes; the secret
marker appears in stdout, stderr, a report file or the cache; a file outside the case study
changes; a line of output starts a GitHub workflow command that a file name smuggled in; one
input takes over 10 s; or the process's peak memory rises past 500 MiB. When one input changes
one thing whose effect is documented, its exit code is also checked: a file that is not a
regular file inside the case study (or is too large) makes the audit exit 2; a document that is
named but merely unreadable is an HLS604 finding (exit 1); links that stay inside, and any change
to a file no record names, leave the exit code as the unchanged case study gives. Each failure is
printed with its recipe; ``--replay INDEX`` (with the same ``--seed``) runs that input again and
shows its output. The DOCX shapes that are slow or memory-hungry by their content rather than
their form (a DOCX that lies about its size, one of 16 MiB of empty paragraphs, a PDF of a
million empty objects) cost seconds or GiB per input and are left out unless
``--include-heavy`` is given; scripts/hostile.py runs them.

Every input draws from its own generator, seeded with the run's seed and its index, so results
do not depend on ``--jobs``. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import stat
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from types import FrameType
from typing import Any

from hostile import (
    NAME_WITH_COMMAND,
    RSS_LIMIT,
    GiB,
    MiB,
    docx_bomb,
    docx_corrupt,
    docx_deep,
    docx_dense,
    docx_entities,
    docx_liar,
    docx_text,
    forged_lines,
    is_root,
    make_chardev,
    make_socket,
    make_sparse,
    pdf_command,
    pdf_objects,
    pdf_text,
    remove,
    zip_many,
)

from hls_audit.core.errors import InputError, InputErrors
from hls_audit.core.money import MoneyError, parse_money
from hls_audit.documents.verify import Documents
from hls_audit.engine.audit import audit
from hls_audit.io.load import load_case_study
from hls_audit.narrative.analysis import parse_narrative
from hls_audit.render import check_renderer
from hls_audit.render.plain import check_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fixtures in tests/ are the starting points
TOKENS = [
    ": ", "- ", "\n", "  ", "{", "}", "[", "]", ",", "&a ", "*a", "!!python/object:x ", "'", '"',
    "#", "\t", "\x00", "\ufeff", "\u04151", "1e400", ".nan", "-5", "0x17", "1:20", "~", "null",
    "yes",
    "2019-02-30", "£77m", "GBP 7.7 million", "77,000,000", "part_of: C2", "role: part",
    "qualifier: about", "per: year", "currency: USD", "evidence: []", "<<: {}", "? [a]",
]  # fmt: skip
NARRATIVE_TOKENS = [
    "[E1]", "[**E2**, p9]", "[E3; E4, p70]", "[G1-G3]", "[E1-E999]", "GBP169,000,000", "£1.5m",
    "~£18m", "over £60m", "tens of millions of pounds", "1. Summary of the impact\n",
    "4.1 Details\n", "\n\n", "R1. ", "G1. PI, A, B, Nov 2018 – Dec 2020, GBP88,194.45\n",
    "\t", "c.", "Dr.", "per year", "annually", "[", "]", "*", "£", "bn", "\f",
]  # fmt: skip

SLOW_SECONDS = 10.0  # one input taking longer is a failure
HANG_SECONDS = 60.0  # one input still running is stopped
CHUNK = 250  # inputs per task handed to a worker


def mutate(rng: random.Random, text: str, tokens: list[str]) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        if not chars:
            chars = list(rng.choice(tokens))
        where = rng.randrange(len(chars))
        action = rng.random()
        if action < 0.3:
            del chars[where : where + rng.randint(1, 20)]
        elif action < 0.6:
            chars[where:where] = list(rng.choice(tokens))
        elif action < 0.75:
            chars[where] = chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x2FFF)]))
        else:  # splice: copy a run from elsewhere
            start = rng.randrange(len(chars))
            chars[where:where] = chars[start : start + rng.randint(1, 80)]
    return "".join(chars)


# --- Recipes of filesystem inputs ------------------------------------------------------------

FILE_SLOTS = ("claims", "record", "settings", "pyproject", "lock", "narrative", "named", "unnamed")
FOLDER_SLOTS = ("docs", "evidence")
SLOTS = FILE_SLOTS + FOLDER_SLOTS
INPUT_SLOTS = ("claims", "record", "settings", "pyproject", "lock", "narrative")
DOCUMENT_EXTS = ("txt", "md", "html", "pdf", "docx")

# What each kind of change does to the file (or folder) in its slot.
KINDS = (
    "regular",  # the file as it should be: the control
    "empty",
    "garbage",  # random bytes
    "link-inside",  # a relative link to the same file elsewhere inside the case study
    "link-chain",  # 45 links in a row (more than the kernel follows), ending at the same file
    "link-out",  # an absolute link to a secret file outside the case study
    "link-out-relative",  # the same through ../..
    "link-out-dir",  # a link to a folder of secrets outside the case study
    "dangling",
    "loop-self",
    "loop-pair",
    "link-folder",  # a link to a folder inside the case study
    "link-fifo",
    "link-chardev",
    "fifo",
    "chardev-zero",
    "chardev-null",
    "socket",
    "folder",
    "sparse-huge",  # 3 GiB of nothing
    "sparse-over",  # one byte over the slot's limit
    "sparse-at",  # exactly the slot's limit, all zeros: read in full
    "no-permission",  # mode 000 (root reads it anyway)
    "docx-bomb",  # declares and inflates to 1 GiB of XML
    "docx-corrupt",
    "docx-entities",
    "docx-deep",
    "zip-many",
    "pdf-command",  # a PDF whose reader logs a name carrying a workflow command
    "hostile-name",  # a file name made to break output (documents only)
)
HEAVY_KINDS = ("docx-liar", "docx-dense", "pdf-objects")  # see the module docstring
ROOT_KINDS = ("chardev-zero", "chardev-null", "link-chardev")

# The documented outcome of a single change, for `check`, `totals` and `sources`.
NOT_REGULAR = frozenset(
    {
        "link-out",
        "link-out-relative",
        "link-out-dir",
        "dangling",
        "loop-self",
        "loop-pair",
        "link-fifo",
        "link-chardev",
        "fifo",
        "chardev-zero",
        "chardev-null",
        "socket",
        "sparse-huge",
        "sparse-over",
        "folder",
        "link-folder",
    }
)
HOSTILE_DOCUMENT = frozenset(
    {
        "link-out",
        "link-out-relative",
        "link-fifo",
        "link-chardev",
        "fifo",
        "chardev-zero",
        "chardev-null",
        "socket",
    }
)
UNREADABLE_DOCUMENT = frozenset(
    {"dangling", "loop-self", "loop-pair", "sparse-huge", "sparse-over"}
)

HOSTILE_NAMES = (
    NAME_WITH_COMMAND,
    "title\x1b]0;FORGED-OSC\x07.txt",
    "rlo-\u202etxt.exe",
    "cr\rreturn.txt",
    "nel\x85line.txt",
    "x" * 250 + ".txt",
    "--help",
    "-rf",
    "nested/" * 30 + "deep.txt",
    "bad-\udcff-bytes.txt",  # an undecodable byte, carried as a surrogate escape
    "line\u2028sep.txt",
)
CONTENT_LIMITS = {"named": 100 * MiB, "unnamed": 100 * MiB, "narrative": 100 * MiB}
INPUT_LIMIT = 5 * MiB


@dataclasses.dataclass
class Op:
    slot: str
    kind: str
    name: str = ""  # for unnamed or hostile-name documents: the file's name

    def __str__(self) -> str:
        return f"{self.slot}={self.kind}" + (f"[{self.name!r}]" if self.name else "")


@dataclasses.dataclass
class Recipe:
    """One filesystem input: what to change, and how to run the CLI on it."""

    ops: list[Op]
    ext: str  # of the named document
    narrative: str  # "", "key" (claims.yaml names it) or "option" (--narrative)
    command: str
    options: list[str]
    env: dict[str, str]
    path: str  # "case", "case/claims.yaml" or "link" (a link to the case folder)
    output: str  # "", "outside", "link-out" or "evidence"

    def __str__(self) -> str:
        ops = ", ".join(str(op) for op in self.ops)
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        parts = [f"ops: {ops}", f"document .{self.ext}"]
        if self.narrative:
            parts.append(f"narrative by {self.narrative}")
        run = " ".join([self.command, self.path, *self.options])
        parts.append(f"run: {env + ' ' if env else ''}hls-audit {run}")
        if self.output:
            parts.append(f"--output {self.output}")
        return "; ".join(parts)

    @property
    def slots(self) -> set[str]:
        return {op.slot for op in self.ops}


def make_recipe(rng: random.Random, heavy: bool) -> Recipe:
    kinds = KINDS + (HEAVY_KINDS if heavy else ())
    count = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    ops: list[Op] = []
    for slot in rng.sample(SLOTS, count):
        kind = rng.choice(kinds)
        if kind == "hostile-name" and slot not in ("named", "unnamed"):
            kind = "regular"
        name = ""
        if slot == "unnamed":
            name = (
                rng.choice(HOSTILE_NAMES)
                if kind == "hostile-name"
                else rng.choice(("notes.txt", "docs/extra.pdf", "stray.docx", "sub/dir/file.bin"))
            )
        elif kind == "hostile-name":
            name = rng.choice(HOSTILE_NAMES)
        ops.append(Op(slot, kind, name))
    command = rng.choices(("check", "totals", "sources", "lock"), weights=(85, 5, 5, 5))[0]
    options: list[str] = []
    env: dict[str, str] = {}
    output = ""
    if rng.random() < 0.15:
        env["GITHUB_ACTIONS"] = "true"
    if rng.random() < 0.2:
        env["TTY_COMPATIBLE"] = "1"
    if rng.random() < 0.3:
        env["HLS_AUDIT_CACHE_DIR"] = ""  # the cache off: every document is extracted again
    if command == "check":
        fmt = rng.choice(("", "table", "text", "json", "github", "sarif", "junit", "markdown"))
        if fmt:
            options += ["--format", fmt]
        if rng.random() < 0.15:
            output = rng.choice(("outside", "outside", "link-out", "evidence"))
            if not fmt or fmt == "table":
                options += ["--format", rng.choice(("json", "sarif", "junit", "markdown"))]
        if rng.random() < 0.1:
            options.append("--frozen")
        if rng.random() < 0.1:
            options += ["--require", "documents"]
    elif command in ("totals", "sources"):
        options += ["--format", rng.choice(("table", "text", "json"))]
    else:
        options.append("--update")
    narrative = ""
    if "narrative" in {op.slot for op in ops}:
        narrative = "option" if command == "check" and rng.random() < 0.4 else "key"
    path = rng.choices(("case", "case/claims.yaml", "link"), weights=(6, 3, 1))[0]
    ext = rng.choice(DOCUMENT_EXTS)
    return Recipe(ops, ext, narrative, command, options, env, path, output)


def expected_exit(recipe: Recipe) -> str:
    """What the documentation says a single change does: "2", "1", "control" or ""."""
    if len(recipe.ops) != 1 or recipe.command == "lock" or recipe.output:
        return ""
    if "--frozen" in recipe.options:
        return ""  # --frozen without evidence.lock is a usage error of its own
    op = recipe.ops[0]
    if op.kind == "regular" or (op.kind == "link-inside" and op.slot != "docs"):
        return "control"  # evidence/docs behind a link is not walked: its documents are missing
    if op.kind == "link-chain" and op.slot in FILE_SLOTS:
        return "control"  # a folder behind more links than the kernel follows cannot be listed
    if op.slot == "unnamed":
        return "" if op.kind == "no-permission" else "control"
    if op.slot in INPUT_SLOTS:
        if op.slot == "record" and op.kind in ("folder", "link-folder", "link-out-dir"):
            return ""  # a folder named E1.yaml is no record at all: E1 is then unknown
        return "2" if op.kind in NOT_REGULAR else ""
    if op.slot == "evidence":
        return "" if op.kind in ("folder", "no-permission") else "2"
    if op.slot == "named":
        if op.kind in HOSTILE_DOCUMENT:
            return "2"
        unreadable = op.kind in UNREADABLE_DOCUMENT or (
            op.kind == "docx-bomb" and recipe.ext == "docx"
        )
        if unreadable and recipe.command == "check":  # totals and sources exit 0 on findings
            return "1"
    return ""


# --- The world a worker builds inputs in -----------------------------------------------------

NARRATIVE_FILE = "narrative.md"
STORE = ".store"  # hidden, so never listed as a document
SKELETON = ("", "evidence", "evidence/docs", STORE, f"evidence/{STORE}")  # kept between inputs


class Hang(BaseException):
    """Raised by the watchdog alarm; a BaseException so the CLI's guard does not catch it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@dataclasses.dataclass
class CliResult:
    exit_code: int | None
    stdout: bytes
    stderr: bytes
    error: str = ""  # a traceback that escaped


class World:
    """One worker's scratch space: the case study, the outside secrets, the cache, reports."""

    def __init__(self, root: Path, heavy: bool) -> None:
        from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS
        from tests.test_narrative_checks import NARRATIVE
        from typer.main import get_command
        from typer.testing import CliRunner

        from hls_audit.cli import app

        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        os.chdir(root)  # paths print relative, as in `hls-audit check` run beside the case
        self.case = root / "case"
        self.outside = root / "outside"
        self.cache = root / "cache"
        self.reports = root / "reports"
        for folder in (self.outside, self.reports):
            folder.mkdir(exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.cache, 0o700)
        self.marker = f"HLS-SECRET-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}"
        self.claims = MINIMAL_CLAIMS
        self.records = dict(MINIMAL_RECORDS)
        self.narrative_text = NARRATIVE
        self.command = get_command(app)  # built once: Typer rebuilds it on every invoke
        self.runner = CliRunner()
        self.blobs: dict[str, bytes] = {
            "docx-bomb": docx_bomb(),
            "docx-corrupt": docx_corrupt(),
            "docx-entities": docx_entities(),
            "docx-deep": docx_deep(),
            "zip-many": zip_many(20_000),
            "pdf-command": pdf_command(),
        }
        if heavy:
            self.blobs["docx-liar"] = docx_liar()
            self.blobs["docx-dense"] = docx_dense()
            self.blobs["pdf-objects"] = pdf_objects()
        self.documents = {
            ext: self._document(ext, "The council's letter names the budget.")
            for ext in DOCUMENT_EXTS
        }
        self._secrets()
        self.outside_state = self._outside_state()
        self.cache_stamp = -1
        self.controls: dict[tuple[Any, ...], int | None] = {}

    def _document(self, ext: str, text: str) -> bytes:
        if ext == "pdf":
            return pdf_text(text)
        if ext == "docx":
            return docx_text(text)
        if ext == "html":
            return f"<html><body><p>{text}</p></body></html>".encode()
        return (text + "\n").encode()

    def _secrets(self) -> None:
        """Files and folders outside the case study whose contents carry the marker."""
        marker = self.marker
        out = self.outside
        title = "title: A small case study"
        (out / "claims.yaml").write_text(self.claims.replace(title, f"title: {marker}"))
        (out / "E1.yaml").write_text(f"id: E1\nkind: report\ntitle: {marker}\nheld_by: x\n")
        (out / "hls-audit.toml").write_text(f'{marker} = "{marker}"\n')
        (out / "pyproject.toml").write_text(f'[tool.hls-audit]\n{marker} = "{marker}"\n')
        (out / "evidence.lock").write_text(
            json.dumps(
                {
                    "format": "hls-audit/evidence-lock",
                    "version": 1,
                    "documents": {marker: {"sha256": marker}},
                }
            )
        )
        (out / NARRATIVE_FILE).write_text(self.narrative_text.replace("More than", marker, 1))
        (out / "notes.txt").write_text(f"{marker}\n")
        for ext in DOCUMENT_EXTS:
            (out / f"E2.{ext}").write_bytes(self._document(ext, marker))
        folder = out / "evidence"
        (folder / "docs").mkdir(parents=True, exist_ok=True)
        for name, text in self.records.items():
            (folder / f"{name}.yaml").write_text(text.replace("title: ", f"title: {marker} ", 1))
        for ext in DOCUMENT_EXTS:
            (folder / "docs" / f"E2.{ext}").write_bytes(self._document(ext, marker))
        shutil.copytree(folder / "docs", out / "docs", dirs_exist_ok=True)

    def secret_for(self, slot: str, ext: str) -> Path:
        names = {
            "claims": "claims.yaml",
            "record": "E1.yaml",
            "settings": "hls-audit.toml",
            "pyproject": "pyproject.toml",
            "lock": "evidence.lock",
            "narrative": NARRATIVE_FILE,
            "named": f"E2.{ext}",
            "unnamed": "notes.txt",
            "evidence": "evidence",
            "docs": "docs",
        }
        return self.outside / names[slot]

    def _outside_state(self) -> list[tuple[str, int, int, int]]:
        state = []
        for dirpath, dirnames, filenames in os.walk(self.outside):
            for name in sorted(dirnames + filenames):
                status = os.lstat(os.path.join(dirpath, name))
                state.append(
                    (
                        os.path.join(dirpath, name),
                        status.st_mode,
                        status.st_size,
                        status.st_mtime_ns,
                    )
                )
        return state

    def outside_changed(self) -> bool:
        return self._outside_state() != self.outside_state

    def cache_leaks(self) -> list[str]:
        """Cache files holding the marker (looked at only when the cache folder changed)."""
        try:
            stamp = os.stat(self.cache).st_mtime_ns
        except OSError:
            return []
        if stamp == self.cache_stamp:
            return []
        self.cache_stamp = stamp
        found = []
        for entry in os.scandir(self.cache):
            if entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as stream:
                    if self.marker.encode() in stream.read():
                        found.append(entry.name)
        return found

    # Building a case study from a recipe

    def slot_path(self, op: Op, ext: str) -> Path:
        evidence = self.case / "evidence"
        paths = {
            "claims": self.case / "claims.yaml",
            "record": evidence / "E1.yaml",
            "settings": self.case / "hls-audit.toml",
            "pyproject": self.case / "pyproject.toml",
            "lock": self.case / "evidence.lock",
            "narrative": self.case / NARRATIVE_FILE,
            "evidence": evidence,
            "docs": evidence / "docs",
        }
        if op.slot == "named":
            return evidence / "docs" / (op.name if op.kind == "hostile-name" else f"E2.{ext}")
        if op.slot == "unnamed":
            return evidence / op.name
        return paths[op.slot]

    def legit_bytes(self, op: Op, ext: str) -> bytes:
        if op.slot == "named":
            return self.documents[ext]
        if op.slot == "unnamed":
            return b"Notes that no record names.\n"
        return self._regular(op.slot, ext).encode()

    def _regular(self, slot: str, ext: str) -> str:
        if slot == "claims":
            return self.claims
        if slot == "record":
            return self.records["E1"]
        if slot == "settings":
            return 'fail-on = "error"\n'
        if slot == "pyproject":
            return '[project]\nname = "case"\n\n[tool.hls-audit]\nfail-on = "error"\n'
        if slot == "lock":
            data = self.documents[ext]
            fingerprint = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "pages": 1,
            }
            return json.dumps(
                {
                    "format": "hls-audit/evidence-lock",
                    "version": 1,
                    "documents": {f"docs/E2.{ext}": fingerprint},
                },
                indent=2,
            )
        return self.narrative_text

    def clear(self) -> None:
        """Bring the case study back to its bare folders, removing what the last input made.

        Removing a folder costs milliseconds on some file systems, so the folders every input
        needs (SKELETON) stay; only the entries inside them go, and a skeleton folder is made
        again only when a recipe replaced it.
        """
        remove(self.root / "link")
        for relative in SKELETON:  # give back any permission a recipe took away
            folder = self.case / relative
            with contextlib.suppress(OSError):
                if stat.S_ISDIR(os.lstat(folder).st_mode):
                    os.chmod(folder, 0o755)
                else:
                    _remove(folder)
        for relative in SKELETON:
            with contextlib.suppress(FileExistsError):
                os.mkdir(self.case / relative)
        keep = {str(self.case / relative) for relative in SKELETON}
        for dirpath, dirnames, filenames in os.walk(self.case, topdown=False):
            for name in filenames + dirnames:
                path = os.path.join(dirpath, name)
                if path in keep:
                    continue
                if stat.S_ISDIR(os.lstat(path).st_mode):
                    os.chmod(path, 0o755)
                    shutil.rmtree(path)
                else:
                    os.unlink(path)

    def build(self, recipe: Recipe, rng: random.Random) -> None:
        self.clear()
        evidence = self.case / "evidence"
        claims = self.claims
        if recipe.narrative == "key":
            claims = claims.replace("version: 1\n", f"version: 1\nnarrative: {NARRATIVE_FILE}\n")
        (self.case / "claims.yaml").write_text(claims, encoding="utf-8")
        named = f"docs/E2.{recipe.ext}"
        for op in recipe.ops:
            if op.slot == "named" and op.kind == "hostile-name":
                named = f"docs/{op.name}"
        for name, text in self.records.items():
            if name == "E2":
                text += f"document: {_yaml_quoted(named)}\n"
            (evidence / f"{name}.yaml").write_text(text, encoding="utf-8")
        (evidence / "docs" / f"E2.{recipe.ext}").write_bytes(self.documents[recipe.ext])
        for slot in ("settings", "pyproject", "lock", "narrative"):
            if slot in recipe.slots:
                op = Op(slot, "regular")
                self.slot_path(op, recipe.ext).write_bytes(self.legit_bytes(op, recipe.ext))
        for op in recipe.ops:
            if op.slot == "unnamed" or (op.slot == "named" and op.kind == "hostile-name"):
                target = self.slot_path(op, recipe.ext)
                _make_parents(target)
                _write_bytes(target, self.legit_bytes(op, recipe.ext))
        for op in sorted(recipe.ops, key=lambda op: SLOTS.index(op.slot)):
            self.apply(op, recipe.ext, rng)  # files first, then docs/, then evidence/
        if recipe.path == "link":
            (self.root / "link").symlink_to("case")

    def apply(self, op: Op, ext: str, rng: random.Random) -> None:
        target = self.slot_path(op, ext)
        kind = op.kind
        folder = op.slot in FOLDER_SLOTS
        if kind in ("regular", "hostile-name") or (folder and kind == "folder"):
            return
        if kind in ROOT_KINDS and not is_root():
            kind = "fifo" if kind != "link-chardev" else "link-fifo"
        document = op.slot in ("named", "unnamed", "docs")
        store = (self.case / "evidence" if document else self.case) / STORE
        if kind in ("link-inside", "link-chain"):
            kept = store / f"{op.slot}-{len(os.listdir(store))}"
            _rename(target, kept)
            if kind == "link-inside":
                _symlink(os.path.relpath(kept, target.parent), target)
            else:
                previous = kept
                for step in range(45):
                    link = store / f"chain-{op.slot}-{step}"
                    _symlink(previous.name, link)
                    previous = link
                _symlink(os.path.relpath(previous, target.parent), target)
            return
        if kind == "no-permission":
            os.chmod(target, 0)
            return
        _remove(target)
        if kind == "link-out":
            _symlink(str(self.secret_for(op.slot, ext)), target)
        elif kind == "link-out-relative":
            _symlink(os.path.relpath(self.secret_for(op.slot, ext), target.parent), target)
        elif kind == "link-out-dir":
            _symlink(str(self.outside / ("docs" if op.slot == "docs" else "evidence")), target)
        elif kind == "dangling":
            _symlink("no-such-target", target)
        elif kind == "loop-self":
            _symlink(_name(target), target)
        elif kind == "loop-pair":
            partner = target.parent / f".loop-{op.slot}"
            _symlink(_name(partner), target)
            _symlink(_name(target), partner)
        elif kind == "link-folder":
            _symlink(".", target)
        elif kind in ("link-fifo", "link-chardev"):
            special = target.parent / f".special-{op.slot}"
            os.mkfifo(special) if kind == "link-fifo" else make_chardev(special, 5)
            _symlink(special.name, target)
        elif kind == "fifo":
            os.mkfifo(target)
        elif kind in ("chardev-zero", "chardev-null"):
            make_chardev(target, 5 if kind == "chardev-zero" else 3)
        elif kind == "socket":
            make_socket(target)
        elif kind == "folder":
            os.mkdir(target)
        elif kind.startswith("sparse-"):
            limit = CONTENT_LIMITS.get(op.slot, INPUT_LIMIT)
            size = {"sparse-huge": 3 * GiB, "sparse-over": limit + 1, "sparse-at": limit}[kind]
            make_sparse(target, size)
        elif kind == "empty":
            _write_bytes(target, b"")
        elif kind == "garbage":
            _write_bytes(target, rng.randbytes(rng.randint(1, 4096)))
        else:  # the zip shapes
            _write_bytes(target, self.blobs[kind])

    # Running the CLI in process

    def invoke(self, args: list[str], env: dict[str, str]) -> CliResult:
        """What `hls-audit ARGS` does, through Click's test runner, with a watchdog."""
        full_env = {
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "TTY_COMPATIBLE": "0",
            "FORCE_COLOR": "",
            "GITHUB_ACTIONS": "",
            "CI": "",
            "HLS_AUDIT_DEBUG": "",
            "HLS_AUDIT_CACHE_DIR": str(self.cache),
            **env,
        }
        code: int | None = None
        error = ""
        previous = signal.signal(signal.SIGALRM, _alarm)
        with self.runner.isolation(env=full_env) as (out, err, _):
            try:
                signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
                try:
                    self.command.main(args=args, prog_name="hls-audit")
                    code = 0
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Hang:
                error = f"still running after {HANG_SECONDS:.0f} s"
            except BaseException:
                error = traceback.format_exc()
            finally:
                signal.signal(signal.SIGALRM, previous)
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
        return CliResult(code, stdout, stderr, error)

    def arguments(self, recipe: Recipe) -> tuple[list[str], Path | None]:
        path = {"case": "case", "case/claims.yaml": "case/claims.yaml", "link": "link"}
        args = [recipe.command, path[recipe.path], *recipe.options]
        report: Path | None = None
        if recipe.narrative == "option":
            args += ["--narrative", f"case/{NARRATIVE_FILE}"]
        if recipe.output == "outside":
            report = self.reports / "report.out"
            remove(report)
            args += ["--output", str(report)]
        elif recipe.output == "link-out":
            report = self.case / "report.out"
            _symlink(str(self.outside / "notes.txt"), report)
            args += ["--output", "case/report.out"]
        elif recipe.output == "evidence":
            args += ["--output", "case/evidence/report.out"]
        return args, report

    def control_exit(self, recipe: Recipe) -> int | None:
        """The exit code of the same run on the unchanged case study (remembered)."""
        key = (
            tuple(sorted(recipe.slots)),
            recipe.ext,
            recipe.narrative,
            recipe.command,
            tuple(recipe.options),
            recipe.path,
        )
        if key not in self.controls:
            plain = dataclasses.replace(
                recipe,
                ops=[
                    Op(op.slot, "regular", "" if op.slot == "named" else op.name)
                    for op in recipe.ops
                ],
                env={},
            )
            self.build(plain, random.Random(0))
            args, _ = self.arguments(plain)
            self.controls[key] = self.invoke(args, {}).exit_code
        return self.controls[key]


def _name(path: Path) -> str:
    return path.name


def _make_parents(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)


def _fs(path: Path) -> bytes:
    """The path for the OS: surrogate escapes become the undecodable bytes they stand for."""
    return os.fsencode(str(path))


def _write_bytes(path: Path, data: bytes) -> None:
    with open(_fs(path), "wb") as stream:
        stream.write(data)


def _symlink(target: str, link: Path) -> None:
    os.symlink(os.fsencode(target), _fs(link))


def _rename(source: Path, destination: Path) -> None:
    os.rename(_fs(source), _fs(destination))


def _remove(path: Path) -> None:
    try:
        status = os.lstat(_fs(path))
    except FileNotFoundError:
        return
    if stat.S_ISDIR(status.st_mode):
        shutil.rmtree(_fs(path))
    else:
        os.unlink(_fs(path))


def _yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string: controls and lone surrogates as escapes."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# --- Running inputs --------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """What a batch of inputs gave; added up across workers."""

    counts: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    outcomes: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    exits: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    by_kind: collections.Counter[tuple[str, str]] = dataclasses.field(
        default_factory=collections.Counter
    )
    failures: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (signature, text)
    slowest: list[tuple[float, int, str]] = dataclasses.field(default_factory=list)
    fs_seconds: float = 0.0
    content_seconds: float = 0.0
    peak_rss: int = 0

    def add(self, other: Tally) -> None:
        self.counts.update(other.counts)
        self.outcomes.update(other.outcomes)
        self.exits.update(other.exits)
        self.by_kind.update(other.by_kind)
        self.failures += other.failures
        self.slowest = sorted(self.slowest + other.slowest, reverse=True)[:5]
        self.fs_seconds += other.fs_seconds
        self.content_seconds += other.content_seconds
        self.peak_rss = max(self.peak_rss, other.peak_rss)


_WORLD: list[World] = []
_SETTINGS: dict[str, Any] = {}


def _init_worker(scratch: str, seed: int, share: float, heavy: bool) -> None:
    _SETTINGS.update(seed=seed, share=share, heavy=heavy)
    _WORLD.append(World(Path(tempfile.mkdtemp(prefix="w", dir=scratch)), heavy))


def _content_case() -> Path:
    from tests.conftest import MINIMAL_RECORDS

    folder = _WORLD[0].root / "content"
    if not folder.exists():
        (folder / "evidence").mkdir(parents=True)
        for name, text in MINIMAL_RECORDS.items():
            (folder / "evidence" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def content_input(index: int, rng: random.Random, tally: Tally) -> None:
    from tests.conftest import MINIMAL_CLAIMS
    from tests.test_narrative_checks import NARRATIVE

    seeds = [MINIMAL_CLAIMS, (ROOT / "claims.yaml").read_text(encoding="utf-8")]
    kind = rng.random()
    text = ""
    try:
        if kind < 0.4:
            tally.counts["claims"] += 1
            text = mutate(rng, rng.choices(seeds, weights=(9, 1))[0], TOKENS)
            case = _content_case()
            (case / "claims.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
            try:
                report = audit(load_case_study(case), documents=Documents())
                check_text(report)
                for name in ("json", "sarif", "junit", "github", "markdown"):
                    check_renderer(name)(report)
                tally.outcomes["audited"] += 1
            except (InputError, InputErrors):
                tally.outcomes["input error"] += 1
        elif kind < 0.8:
            tally.counts["amounts"] += 1
            text = mutate(
                rng, rng.choice(["£77m", "88194.45", "77,000,000", "7.7 million"]), TOKENS
            )
            with contextlib.suppress(MoneyError):
                parse_money(text)
        else:
            tally.counts["narratives"] += 1
            text = mutate(rng, NARRATIVE, NARRATIVE_TOKENS)
            parse_narrative(text, "narrative.txt")
    except Exception:
        tally.failures.append(
            (
                "content: " + traceback.format_exc().strip().splitlines()[-1][:120],
                f"--- input {index} (content):\n{text!r}\n{traceback.format_exc()}",
            )
        )


def fs_input(index: int, rng: random.Random, tally: Tally, verbose: bool = False) -> None:
    world = _WORLD[0]
    recipe = make_recipe(rng, bool(_SETTINGS.get("heavy")))
    tally.counts["filesystem"] += 1
    problems: list[str] = []
    try:
        world.build(recipe, rng)
        args, report = world.arguments(recipe)
    except OSError as exc:  # a shape this system cannot make (a name too long, say)
        tally.counts["filesystem, not buildable"] += 1
        if verbose:
            print(f"recipe: {recipe}\ncannot be built here: {exc}")
        return
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    result = world.invoke(args, recipe.env)
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tally.fs_seconds += seconds
    tally.peak_rss = max(tally.peak_rss, rss_after)
    tally.slowest = sorted([*tally.slowest, (seconds, index, str(recipe))], reverse=True)[:5]
    code = "hang" if result.error.startswith("still running") else str(result.exit_code)
    tally.exits[code] += 1
    for op in recipe.ops:
        tally.by_kind[(op.kind, code)] += 1
    if result.error:
        problems.append("hang" if code == "hang" else "traceback")
    elif result.exit_code not in (0, 1, 2):
        problems.append(f"exit {result.exit_code}")
    written = b""
    if report is not None:
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(report).st_mode):
                written = report.read_bytes()
    marker = world.marker.encode()
    for name, data in (("stdout", result.stdout), ("stderr", result.stderr), ("report", written)):
        if marker in data:
            problems.append(f"marker in {name}")
        if b"Traceback (most recent call last)" in data or b"internal error" in data:
            problems.append(f"traceback in {name}")
        text = data.decode("utf-8", "replace")
        if forged_lines(text) or "\x1b]0;FORGED-OSC" in text:
            problems.append(f"forged workflow command or terminal title in {name}")
    if world.cache_leaks():
        problems.append("marker in the cache")
    if world.outside_changed():
        problems.append("a file outside the case study changed")
        world.outside_state = world._outside_state()
    if seconds > SLOW_SECONDS:
        problems.append(f"took {seconds:.1f} s")
    if rss_after > RSS_LIMIT and rss_after > rss_before:
        problems.append(f"peak memory rose to {rss_after / MiB:.0f} MiB")
    expected = expected_exit(recipe)
    if expected and not problems and result.exit_code is not None:
        want = world.control_exit(recipe) if expected == "control" else int(expected)
        if want is not None and result.exit_code != want:
            problems.append(f"exit {result.exit_code}, documented: {want} ({expected})")
    if verbose:
        print(f"recipe: {recipe}\nargs: {args}\nexit: {result.exit_code} in {seconds:.2f} s")
        print(f"--- stdout\n{result.stdout.decode('utf-8', 'replace')}")
        print(f"--- stderr\n{result.stderr.decode('utf-8', 'replace')}{result.error}")
        print(f"problems: {problems or 'none'}; expected exit: {expected or 'not documented'}")
    if problems:
        kinds = ",".join(sorted(f"{op.slot}={op.kind}" for op in recipe.ops))
        signature = f"{'; '.join(sorted(set(p.split(' (')[0] for p in problems)))} <- {kinds}"
        detail = (
            f"--- input {index} (filesystem): {'; '.join(problems)}\n  recipe: {recipe}\n"
            f"  exit {result.exit_code} in {seconds:.2f} s\n"
            + _tail("stderr", result.stderr)
            + _tail("stdout", result.stdout)
            + (f"  {result.error.strip()}\n" if result.error else "")
        )
        tally.failures.append((signature, detail))


def _tail(name: str, data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    if not text:
        return ""
    lines = text.splitlines()
    shown = "\n    ".join(line[:300] for line in lines[:8])
    return f"  {name}: {shown}\n" + (
        f"    ... {len(lines) - 8} more lines\n" if len(lines) > 8 else ""
    )


def run_one(index: int, tally: Tally, verbose: bool = False) -> None:
    rng = random.Random(f"{_SETTINGS['seed']}:{index}")
    if rng.random() < _SETTINGS["share"]:
        fs_input(index, rng, tally, verbose)
    else:
        started = time.perf_counter()
        content_input(index, rng, tally)
        tally.content_seconds += time.perf_counter() - started


def run_chunk(start: int, stop: int) -> Tally:
    tally = Tally()
    for index in range(start, stop):
        run_one(index, tally)
    return tally


def chunks(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, CHUNK):
        yield start, min(total, start + CHUNK)


def summary(tally: Tally, elapsed: float, jobs: int) -> str:
    counts = tally.counts
    total = counts["claims"] + counts["amounts"] + counts["narratives"] + counts["filesystem"]
    fs = counts["filesystem"]
    lines = [
        f"{total} inputs in {elapsed:.0f} s ({total / max(elapsed, 1e-9):.0f}/s on {jobs} "
        f"worker(s)): {counts['claims']} claims files ({tally.outcomes['input error']} refused "
        f"as input errors, {tally.outcomes['audited']} audited), {counts['amounts']} amounts, "
        f"{counts['narratives']} narratives, {fs} filesystem inputs"
        + (
            f" ({counts['filesystem, not buildable']} not buildable here)"
            if counts["filesystem, not buildable"]
            else ""
        ),
        f"filesystem inputs: {fs / max(tally.fs_seconds, 1e-9):.1f}/s per worker in the CLI; "
        f"exit codes " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.exits.items())),
        f"peak memory of a worker: {tally.peak_rss / MiB:.0f} MiB",
        "exit codes by kind of change:",
    ]
    kinds = sorted({kind for kind, _ in tally.by_kind})
    for kind in kinds:
        row = {code: n for (k, code), n in tally.by_kind.items() if k == kind}
        lines.append(f"  {kind:18} " + "  ".join(f"{c}: {n}" for c, n in sorted(row.items())))
    lines.append("slowest filesystem inputs:")
    lines += [f"  {s:6.2f} s  input {i}: {r}" for s, i, r in tally.slowest]
    signatures = collections.Counter(sig for sig, _ in tally.failures)
    lines.append(f"{len(tally.failures)} failures" + (":" if signatures else ""))
    lines += [f"  {n:6}  {sig}" for sig, n in signatures.most_common()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--filesystem-share",
        type=float,
        default=0.3,
        help="fraction of inputs that are filesystem-shaped",
    )
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--include-heavy",
        action="store_true",
        help="also the DOCX shapes that cost seconds and GiB each",
    )
    parser.add_argument(
        "--replay",
        type=int,
        default=None,
        metavar="INDEX",
        help="run one input again and show its output",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--show", type=int, default=3, help="failures printed in full for each signature"
    )
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="hls-fuzz-")
    here = os.getcwd()
    started = time.perf_counter()
    tally = Tally()
    try:
        if args.replay is not None:
            _init_worker(scratch, args.seed, args.filesystem_share, args.include_heavy)
            run_one(args.replay, tally, verbose=True)
            kind = next(
                k for k in ("claims", "amounts", "narratives", "filesystem") if tally.counts[k]
            )
            print(f"input {args.replay} ({kind}): {len(tally.failures)} failure(s)")
            for _, detail in tally.failures:
                print(detail)
            raise SystemExit(1 if tally.failures else 0)
        shown: collections.Counter[str] = collections.Counter()
        done = 0
        with ProcessPoolExecutor(
            max_workers=args.jobs,
            initializer=_init_worker,
            initargs=(scratch, args.seed, args.filesystem_share, args.include_heavy),
        ) as pool:
            futures = [pool.submit(run_chunk, a, b) for a, b in chunks(args.inputs)]
            for future in as_completed(futures):
                part = future.result()
                tally.add(part)
                done += sum(
                    part.counts[k] for k in ("claims", "amounts", "narratives", "filesystem")
                )
                for signature, detail in part.failures:
                    shown[signature] += 1
                    if shown[signature] <= args.show:
                        print(detail, flush=True)
                elapsed = time.perf_counter() - started
                print(
                    f"[{done}/{args.inputs} inputs, {elapsed:.0f} s, {done / elapsed:.0f}/s, "
                    f"{len(tally.failures)} failures]",
                    flush=True,
                )
        print(summary(tally, time.perf_counter() - started, args.jobs))
    finally:
        os.chdir(here)
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            _clear_scratch(Path(scratch))
    raise SystemExit(1 if tally.failures else 0)


def _clear_scratch(scratch: Path) -> None:
    for dirpath, dirnames, _ in os.walk(scratch):
        for name in dirnames:
            with contextlib.suppress(OSError):
                path = os.path.join(dirpath, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o700)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
