"""The command line, one module per command (see hls_audit.cli.root for the app).

``app`` and ``main`` load on first use, so importing this package costs nothing; the console
script ``hls_audit.cli:main`` and ``from hls_audit.cli import app`` reach them here.

The modules of this package keep real annotations (no ``from __future__ import annotations``):
Typer reads the signature of every command on every run, and evaluating string annotations
made building the command tree take about twice as long (18-24 ms against 8-10 ms). Names
imported only for type checking are quoted where they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hls_audit.cli.root import app, main

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = importlib.import_module("hls_audit.cli.root")
    # The app lives in `root`, so no submodule shares a name with the `main` function.
    globals().update(app=module.app, main=module.main)
    return globals()[name]
