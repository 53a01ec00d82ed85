"""Renderers: plain text, Rich tables, JSON and the CI formats, all fed a finished report.

Which formats there are, what picks them and where each renderer lives is the one table in
:mod:`hls_audit.render.formats`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hls_audit.engine.findings import Report


def check_renderer(name: str) -> Callable[[Report], str]:
    """The function that renders a check report as text in the named format (not ``table``)."""
    from hls_audit.render.formats import FORMATS

    chosen = FORMATS[name]
    if chosen.kind == "console" or "check" not in chosen.views:
        raise KeyError(name)

    def render(report: Report) -> str:
        return chosen.render("check", report)

    return render
