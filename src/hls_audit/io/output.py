"""The one door for writing: reports and evidence.lock, atomically, never over an input.

A regular or absent target is replaced atomically: a temporary file is created exclusively
beside it, written, synced and renamed over the target, and removed on any failure or signal. A
link is replaced as a link, never written through. A character device or FIFO that is not a link
(``/dev/null``) is written in place, never replaced; ``-``, ``/dev/stdout``, ``/dev/stderr`` and
``/dev/fd/N`` name the process's own streams. A folder, a block device, a socket, an empty name,
an over-long one or an unwritable folder is an :class:`InputError` (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from hls_audit.core.errors import InputError

_STREAM = re.compile(r"^(?:-|/dev/std(out|err)|/dev/fd/(\d+)|/proc/self/fd/(\d+))$")


def stream_fd(target: Path | str) -> int | None:
    """The file descriptor a target names (``-`` and ``/dev/stdout`` are 1), or None."""
    match = _STREAM.match(str(target))
    if match is None:
        return None
    if match[1]:
        return 1 if match[1] == "out" else 2
    number = match[2] or match[3]
    return int(number) if number else 1


def is_standard_output(target: Path | str) -> bool:
    """Whether writing the target would write to this process's standard output."""
    fd = stream_fd(target)
    if fd is not None:
        return fd == 1
    try:
        mine, theirs = os.fstat(1), os.stat(target)
    except (OSError, ValueError):
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino) and not stat.S_ISREG(
        theirs.st_mode
    )


def _error(target: Path | str, message: str, hint: str) -> InputError:
    return InputError(message, path=str(target), hint=hint, code="HLS011")


def _os_error(target: Path | str, exc: OSError) -> InputError:
    reason = exc.strerror or type(exc).__name__
    return _error(target, f"cannot be written ({reason})", "choose a file in a writable folder")


def refuse_input_overwrite(target: Path, protected: list[Path], evidence_dir: Path) -> None:
    """Stop before --output could replace any file the audit reads, or anything in evidence/."""
    if stream_fd(target) is not None:
        return
    try:
        named = os.path.realpath(os.path.abspath(target))
        placed = os.path.join(
            os.path.realpath(os.path.dirname(os.path.abspath(target))), target.name
        )
        evidence = os.path.realpath(evidence_dir)
    except (OSError, ValueError) as exc:
        raise _error(target, f"cannot be used ({exc})", "choose another file") from None
    for path in protected:
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            continue
        if real in (named, placed):
            raise _error(
                target,
                "--output would overwrite an input of the audit",
                "write the report to a new file, such as hls-audit.sarif",
            )
    for candidate in (named, placed):
        if candidate == evidence or candidate.startswith(evidence.rstrip(os.sep) + os.sep):
            raise _error(
                target,
                "--output points into the evidence folder",
                "write reports outside evidence/, where they would count as documents",
            )


def write_atomic(target: Path, content: str | bytes, in_place: bool = True) -> None:
    """Write ``content`` (text, as UTF-8, or the bytes of a binary format such as XLSX) to
    ``target`` by the rules of this module.

    ``in_place`` allows writing a character device or FIFO in place (for a path the user named);
    for files inside a case study (evidence.lock) it is False and such a target is refused.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    name = str(target)
    if not name or name.endswith(("/", os.sep)):
        raise _error(target or "''", "needs a file name", "name a file, such as report.sarif")
    fd = stream_fd(target)
    if fd is not None:
        _write_fd(target, fd, data)
        return
    try:
        status: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise _os_error(target, exc) from None
    if status is not None and not stat.S_ISLNK(status.st_mode) and not stat.S_ISREG(status.st_mode):
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise _error(target, "is a folder", "name a file inside it, such as report.sarif")
        if in_place and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            _write_in_place(target, data)
            return
        raise _error(
            target,
            "is a device, socket or pipe, which hls-audit does not replace",
            "write to a regular file",
        )
    _replace(target, data)


def _write_fd(target: Path | str, fd: int, data: bytes) -> None:
    try:
        if fd in (1, 2):
            stream = sys.stdout if fd == 1 else sys.stderr
            stream.flush()
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(data)
                buffer.flush()
            else:  # a text-only stream: what it is given is text
                stream.write(data.decode("utf-8"))
                stream.flush()
            return
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _os_error(target, exc) from None


def _write_in_place(target: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise _os_error(target, exc) from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _os_error(target, exc) from None
    finally:
        os.close(fd)


def _replace(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise _error(target, "the folder for this file does not exist", "create it first")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name[:40]}.", dir=folder)
    except OSError as exc:
        raise _os_error(target, exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        _unlink(temporary)
        raise _os_error(target, exc) from None
    except (
        BaseException
    ):  # SIGTERM arrives as SystemExit (see cli.root), Ctrl-C as KeyboardInterrupt
        _unlink(temporary)
        raise


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
