"""A case study as it was at a git revision, copied out of the repository into a temporary folder.

Only read-only plumbing runs (``rev-parse``, ``ls-tree``, ``cat-file --batch``): nothing here
writes to the repository or its work tree, runs a hook, a filter or a textconv program, or asks
for a password. A revision is resolved to a commit id first, and one that starts with '-' is
refused before git sees it. Only the files under the case study's folder are copied; a symbolic
link or a submodule is left out (the audit then finds the file absent), and a blob over the
largest input limit is written as a sparse file of its size, which the loader refuses as too
large without its bytes ever being read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from hls_audit.core.errors import InputError
from hls_audit.io.files import MAX_DOCUMENT_BYTES, MAX_NARRATIVE_BYTES
from hls_audit.io.load import CLAIMS_FILE

NOT_A_REPOSITORY = "HLS015"
UNKNOWN_REVISION = "HLS016"
CASE_ABSENT = "HLS017"

# The largest size any input may have; a larger blob is never read out of the repository.
MAX_BLOB_BYTES = max(MAX_DOCUMENT_BYTES, MAX_NARRATIVE_BYTES)

_REGULAR_MODES = ("100644", "100755")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Place:
    """Where a case study sits in its repository."""

    top: Path  # the work tree's top folder
    prefix: str  # the case study's folder relative to ``top``, POSIX, '' or ending with '/'
    claims_name: str  # the claims file's name in that folder
    display: str  # the case study's folder relative to the top, for messages ('.' at the top)


@dataclass(frozen=True)
class Revision:
    """A revision as the user wrote it and the commit it names."""

    label: str
    commit: str


def _environment() -> dict[str, str]:
    """The user's environment, with prompts off and pathspecs taken literally."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",  # never refresh the index as a side effect
            "GIT_LITERAL_PATHSPECS": "1",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_NO_LAZY_FETCH": "1",  # a partial clone's missing blob is not fetched
            "GIT_PAGER": "cat",
            "LC_ALL": "C",
        }
    )
    env.pop("GIT_EXTERNAL_DIFF", None)
    return env


def _git_binary() -> str:
    found = shutil.which("git")
    if found is None:
        raise InputError(
            "git is not installed (no `git` on PATH)",
            path="git",
            hint="install git, or put it on PATH, to compare revisions of a case study",
            code=NOT_A_REPOSITORY,
        )
    return found


def _command(top: Path, *args: str) -> list[str]:
    return [_git_binary(), "-c", "core.fsmonitor=false", "-C", str(top), *args]


def _run(top: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            _command(top, *args),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=_environment(),
            check=False,
        )
    except OSError as exc:
        raise _cannot_run(exc) from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def locate(path: Path) -> Place:
    """The repository and folder of the case study at ``path`` (a folder or a claims file).

    The path need not exist in the work tree (a case study removed since): the nearest folder
    on the way to it that does is asked for its repository.
    """
    target = Path(os.path.abspath(path))
    if target.is_dir():
        folder, claims_name = target, CLAIMS_FILE
    elif target.exists() or target.suffix.lower() in (".yaml", ".yml"):
        folder, claims_name = target.parent, target.name
    else:
        folder, claims_name = target, CLAIMS_FILE
    existing, missing = folder, PurePosixPath()
    while not existing.is_dir() and existing != existing.parent:
        missing = PurePosixPath(existing.name) / missing
        existing = existing.parent
    shown = str(path)
    done = _run(existing, "rev-parse", "--show-toplevel", "--show-prefix")
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) < 2:
        why = _first_line(done.stderr) or "not a git repository"
        raise InputError(
            f"not inside a git work tree ({why})",
            path=shown,
            hint="run hls-audit diff in a git repository that holds the case study, or give its "
            "folder with --path",
            code=NOT_A_REPOSITORY,
        )
    top = Path(lines[0])
    prefix = lines[1] + ("" if str(missing) == "." else f"{missing}/")
    if ".." in PurePosixPath(prefix).parts:
        raise InputError(
            "the case study's folder is outside the repository's work tree",
            path=shown,
            hint="give a folder inside the repository",
            code=NOT_A_REPOSITORY,
        )
    return Place(top, prefix, claims_name, prefix.rstrip("/") or ".")


def resolve(place: Place, revision: str) -> Revision:
    """The commit ``revision`` names; anything else is an unknown revision."""
    if not revision or revision.startswith("-"):
        raise InputError(
            f"{revision!r} is not a revision: a revision may not start with '-'"
            if revision
            else "an empty revision",
            path=place.display,
            hint="give a branch, a tag, a commit id or an expression such as HEAD~1",
            code=UNKNOWN_REVISION,
        )
    done = _run(
        place.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    commit = done.stdout.decode("ascii", "replace").strip()
    if done.returncode != 0 or not commit or not all(c in "0123456789abcdef" for c in commit):
        raise InputError(
            f"unknown revision {revision!r}: it names no commit of this repository",
            path=place.display,
            hint="`git log --oneline` lists the commits; check the branch or tag name",
            code=UNKNOWN_REVISION,
        )
    return Revision(revision, commit)


@dataclass(frozen=True)
class _Blob:
    path: PurePosixPath  # relative to the case study's folder
    oid: str
    size: int


def _listing(place: Place, revision: Revision) -> tuple[list[_Blob], set[str]]:
    """The regular files under the case study's folder at ``revision``, and the names of what
    was left out (links, submodules)."""
    args = ["ls-tree", "-r", "-z", "--long", "--full-tree", revision.commit]
    if place.prefix:
        args += ["--", place.prefix]
    done = _run(place.top, *args)
    if done.returncode != 0:
        raise InputError(
            f"the files at {revision.label} cannot be listed ({_first_line(done.stderr)})",
            path=place.display,
            hint="check that the repository is complete (not a shallow or partial clone)",
            code=UNKNOWN_REVISION,
        )
    blobs: list[_Blob] = []
    left_out: set[str] = set()
    for entry in done.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw = entry.partition(b"\t")
        fields = meta.split()
        name = raw.decode("utf-8", "surrogateescape")
        if len(fields) != 4 or not name.startswith(place.prefix):
            continue
        relative = PurePosixPath(name[len(place.prefix) :])
        if not relative.parts or any(p in ("", ".", "..", ".git") for p in relative.parts):
            continue
        mode, kind, oid, size = (f.decode("ascii", "replace") for f in fields)
        if kind != "blob" or mode not in _REGULAR_MODES or not size.isdigit():
            left_out.add(str(relative))
            continue
        blobs.append(_Blob(relative, oid, int(size)))
    return blobs, left_out


def materialise(place: Place, revision: Revision, into: Path) -> Path:
    """Write the case study's files at ``revision`` into the empty folder ``into``; the path of
    its claims file there. Raises InputError when the case study is not at that revision."""
    blobs, left_out = _listing(place, revision)
    claims = PurePosixPath(place.claims_name)
    where = f"{place.prefix}{place.claims_name}"
    if str(claims) in left_out:
        raise InputError(
            f"at {revision.label}, {where} is a link or a submodule, not a file",
            path=place.display,
            hint="hls-audit reads only regular files; commit the file itself",
            code=CASE_ABSENT,
        )
    if not any(blob.path == claims for blob in blobs):
        raise InputError(
            f"the case study is not at {revision.label}: {where} does not exist there",
            path=place.display,
            hint=f"`git log -- {where}` lists the commits that hold it",
            code=CASE_ABSENT,
        )
    wanted = [blob for blob in blobs if blob.size <= MAX_BLOB_BYTES]
    for blob in blobs:
        if blob.size > MAX_BLOB_BYTES:
            with _create(into, blob.path) as handle:
                handle.truncate(blob.size)  # sparse: refused by its size, never read
    if wanted:
        _copy_blobs(place, revision, wanted, into)
    return into / Path(*claims.parts)


def _create(root: Path, relative: PurePosixPath) -> IO[bytes]:
    """A new file under ``root`` (its folders made), never following a link."""
    target = root.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.fdopen(os.open(target, flags, 0o600), "wb")


def _copy_blobs(place: Place, revision: Revision, blobs: list[_Blob], into: Path) -> None:
    """Stream each blob out of one ``git cat-file --batch``, one request at a time."""
    try:
        process = subprocess.Popen(
            _command(place.top, "cat-file", "--batch"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
        )
    except OSError as exc:
        raise _cannot_run(exc) from None
    assert process.stdin is not None and process.stdout is not None
    try:
        for blob in blobs:
            process.stdin.write(blob.oid.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
                raise InputError(
                    f"at {revision.label}, {place.prefix}{blob.path} cannot be read from git",
                    path=place.display,
                    hint="check that the repository is complete (not a partial clone)",
                    code=UNKNOWN_REVISION,
                )
            remaining = int(header[2])
            with _create(into, blob.path) as handle:
                while remaining:
                    chunk = process.stdout.read(min(_CHUNK, remaining))
                    if not chunk:
                        break
                    handle.write(chunk)
                    remaining -= len(chunk)
            process.stdout.read(1)  # the LF after each object
    finally:
        process.stdin.close()
        process.stdout.close()
        process.wait()


def _cannot_run(exc: OSError) -> InputError:
    """The input error for a git that cannot be started."""
    return InputError(
        f"git cannot be run ({exc.strerror or type(exc).__name__})",
        hint="check that git is installed and can be run",
        code=NOT_A_REPOSITORY,
    )
