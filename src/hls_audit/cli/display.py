"""Where the output goes: Rich on a terminal, plain text elsewhere, through the format table."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from hls_audit.render.formats import View


def is_terminal() -> bool:
    """Whether stdout is a terminal (TTY_COMPATIBLE and FORCE_COLOR decide first)."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def console() -> Console:
    """A Rich console whose closed pipe keeps the exit code already decided."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(highlight=False)


def emit(name: str, view: View, *subject: Any) -> None:
    """Write ``view`` of ``subject`` in the named format to stdout.

    A console format (``table``) draws Rich tables on a terminal and writes its off-terminal
    format (plain text) elsewhere.
    A binary format (``xlsx``) is refused on a terminal (exit 2) and written to a pipe or a file.
    """
    from hls_audit.render.formats import FORMATS

    chosen = FORMATS[name]
    if chosen.kind == "console":
        if is_terminal():
            chosen.renderer(view)(console(), *subject)
            return
        assert chosen.off_terminal is not None
        chosen = FORMATS[chosen.off_terminal]
    if chosen.kind == "bytes":  # a binary file (XLSX), never onto a terminal
        from hls_audit.cli.output_file import check_choice, rendered

        check_choice(name, None)
        data = rendered(name, view, *subject)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(chosen.render(view, *subject))


def progress(count: int) -> Callable[[int, int, str], None] | None:
    """A transient Rich progress bar on a terminal's stderr for long extractions, else None."""
    if count < 5 or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("Reading evidence", total=count)
    bar.start()

    def advance(done: int, total: int, name: str) -> None:
        bar.update(task, completed=done, description=f"Reading {name}" if name else "Done")
        if done >= total:
            bar.stop()

    return advance
