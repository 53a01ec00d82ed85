"""The one door for reading: regular files inside the case study's folder, read with a limit.

Every input of an audit (claims.yaml, evidence records, documents, settings, evidence.lock, the
narrative) is opened here. A path is refused, with an :class:`InputError` naming the file and the
reason, when it is not a regular file, when it (or a folder on the way to it) is a link whose
target leaves the case study's folder, or when it is larger than its limit. Reads are bounded
(at most ``limit + 1`` bytes), never to end of file, so a link to ``/dev/zero`` costs nothing.
Every ``OSError`` and ``RuntimeError`` of the filesystem becomes an ``InputError``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hls_audit.core.errors import InputError

MiB = 1024 * 1024

# The documented limits (README, "Security model").
MAX_INPUT_BYTES = 5 * MiB  # claims.yaml, a record, a settings file, evidence.lock
MAX_NARRATIVE_BYTES = 100 * MiB  # the case study's own text as txt, md, docx, pdf or html
MAX_DOCUMENT_BYTES = 100 * MiB  # one document on file in evidence/
MAX_UNZIPPED_BYTES = 128 * MiB  # a DOCX's members, added up, before it is opened
MAX_DOCX_XML_BYTES = 4 * MiB  # of which XML, the part that is parsed into a tree
MAX_DOCX_PARAGRAPHS = 100_000  # paragraphs read from one DOCX
MAX_OPEN_SECONDS = 3.0  # opening a PDF (a damaged one is rebuilt by scanning it)
MAX_READ_SECONDS = 30.0  # reading the text of all of a PDF's pages
MAX_TEXT_CHARS = 10_000_000  # text extracted from one document
MAX_QUOTE_SCAN_CHARS = 500_000  # page text searched for the closest match to an absent quote

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a file is, in words, from its mode."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "is a symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "does not exist"
    if isinstance(exc, PermissionError):
        return "cannot be read (permission denied)"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return "has a name that is too long"
    strerror = getattr(exc, "strerror", None)
    return f"cannot be read ({strerror or type(exc).__name__})"


def _hint(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "make it readable by the user running hls-audit"
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "replace the links with the file they should lead to"
    return "check the path and the file"


class Refused(InputError):
    """A file the door will not read; ``reason`` is the short why, for findings.

    ``hostile`` marks what no honest case study holds (a link out of its folder, a device, a
    FIFO, a socket, a folder where a file belongs), as against ordinary states of a checkout such
    as a dangling link, a file without read permission or one over its size limit.
    """

    def __init__(
        self, reason: str, path: str, hint: str, hostile: bool = False, code: str = ""
    ) -> None:
        code = code or ("HLS002" if hostile else "HLS001")
        super().__init__(f"the {reason}", path=path, hint=hint, code=code)
        self.reason = reason
        self.hostile = hostile


@dataclass(frozen=True)
class Folder:
    """The case study's folder, by its real path: nothing outside it is read."""

    root: Path
    label: str = "the case study's folder"

    @classmethod
    def of(cls, path: Path) -> Folder:
        """The folder holding ``path`` (a claims file), resolved once."""
        try:
            return cls(Path(os.path.realpath(path.parent if str(path.parent) else ".")))
        except (OSError, RuntimeError, ValueError) as exc:
            raise InputError(
                f"the case study's folder {_reason(exc)}", path=str(path.parent)
            ) from None

    def contains(self, real: str) -> bool:
        root = str(self.root)
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def real_path(self, path: Path, display: str, what: str) -> str:
        """The real path of ``path``, refused unless it exists inside this folder."""
        try:
            os.lstat(path)
        except (OSError, ValueError) as exc:
            reason = "does not exist" if isinstance(exc, FileNotFoundError) else _reason(exc)
            raise Refused(f"{what} {reason}", display, _hint(exc)) from None
        try:
            real = os.path.realpath(path, strict=True)
        except FileNotFoundError:
            raise Refused(
                f"{what} is a symbolic link to a file that does not exist",
                display,
                "restore the file it points at, or replace the link with the file itself",
            ) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise Refused(f"{what} {_reason(exc)}", display, _hint(exc)) from None
        if not self.contains(real):
            raise Refused(
                f"{what} is a link to a file outside {self.label}",
                display,
                f"hls-audit reads only files inside {self.label}; "
                "copy the file in instead of linking to it",
                hostile=True,
            )
        return real

    def _chunks(self, path: Path, display: str, what: str, limit: int) -> Iterator[bytes]:
        """The file's bytes, a megabyte at a time, after every check of the door."""
        real = self.real_path(path, display, what)
        try:
            _regular(os.stat(real), display, what)  # a socket cannot even be opened: say so
        except (OSError, ValueError) as exc:
            raise Refused(f"{what} {_reason(exc)}", display, _hint(exc)) from None
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except (OSError, ValueError) as exc:
            raise Refused(f"{what} {_reason(exc)}", display, _hint(exc)) from None
        try:
            status = _regular(os.fstat(fd), display, what)
            if status.st_size > limit:
                raise _too_large(what, display, status.st_size, limit)
            size = 0
            while size <= limit:
                chunk = os.read(fd, min(1 * MiB, limit + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _too_large(what, display, None, limit)
                yield chunk
        except OSError as exc:
            raise Refused(f"{what} {_reason(exc)}", display, _hint(exc)) from None
        finally:
            os.close(fd)

    def sha256(
        self, path: Path, display: str, what: str = "file", limit: int = MAX_INPUT_BYTES
    ) -> tuple[str, int]:
        """The content hash and size of a regular file inside this folder, read a piece at a
        time (never whole); over ``limit`` it is refused like ``read_bytes``."""
        import hashlib

        digest = hashlib.sha256()
        size = 0
        for chunk in self._chunks(path, display, what, limit):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size

    def read_bytes(
        self, path: Path, display: str, what: str = "file", limit: int = MAX_INPUT_BYTES
    ) -> bytes:
        """At most ``limit`` bytes of a regular file inside this folder; more is refused."""
        return b"".join(self._chunks(path, display, what, limit))

    def list_folder(self, path: Path, display: str, what: str = "folder") -> os.stat_result:
        """Refuse a folder that is a link out of this folder, or is not a folder at all."""
        real = self.real_path(path, display, what)
        try:
            status = os.stat(real)
        except (OSError, RuntimeError, ValueError) as exc:
            raise Refused(f"{what} {_reason(exc)}", display, _hint(exc)) from None
        if not stat.S_ISDIR(status.st_mode):
            raise Refused(
                f"{what} is {kind_of(status.st_mode)}, not a folder",
                display,
                f"{what} must be a folder inside the case study",
                hostile=True,
            )
        return status


def _regular(status: os.stat_result, display: str, what: str) -> os.stat_result:
    """The status of a regular file; anything else is refused as hostile."""
    if not stat.S_ISREG(status.st_mode):
        kind = kind_of(status.st_mode)
        raise Refused(
            f"{what} is {kind}, not a regular file",
            display,
            f"point at a regular file; hls-audit never reads {kind}",
            hostile=True,
        )
    return status


def _too_large(what: str, display: str, size: int | None, limit: int) -> Refused:
    shown = f"{size:,} bytes" if size is not None else "larger than that"
    return Refused(
        f"{what} is {shown}; the limit is {limit:,} bytes",
        display,
        "remove what does not belong in it, or split the case study",
        code="HLS003",
    )


def inner_folder(path: Path, display: str, label: str, outer: Folder) -> Folder:
    """A folder inside ``outer`` (evidence/) that holds some inputs on a tighter leash."""
    real = outer.real_path(path, display, label.removeprefix("the "))
    return Folder(Path(real), label)


def outside_folder(path: Path) -> Folder:
    """For a file named on the command line: the real folder that holds it."""
    try:
        parent = os.path.realpath(os.path.abspath(path.parent if str(path.parent) else "."))
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(f"the folder of this file {_reason(exc)}", path=str(path)) from None
    return Folder(Path(parent))


def folder_for(named: Path, case_root: Folder) -> Folder:
    """The folder a file named on the command line is read in.

    A file inside the case study is held to the case study's folder; a file elsewhere, which the
    user named on purpose, to the folder it sits in (so a link there still cannot lead away).
    """
    lexical = os.path.normpath(os.path.abspath(named))
    if case_root.contains(os.path.realpath(os.path.dirname(lexical))):
        return case_root
    return outside_folder(named)
