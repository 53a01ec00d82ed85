"""Every output format in one table: its name, the file suffixes that pick it for ``--output``,
the views it renders and where each view's renderer lives (imported only when it is used).

The command line offers, for each command, the formats whose entry names that command's view,
so a format is added here once and appears on every command it supports.

A renderer is named ``module:function`` under ``hls_audit.render``. What it is called with
depends on the view: ``check``, ``totals``, ``sources`` and ``narrative`` pass the report;
``rules`` passes nothing; ``portfolio`` passes the portfolio report and the command it answers
(``check``, ``totals`` or ``sources``); ``diff`` passes the
:class:`hls_audit.app.diff.CaseDiff` of two revisions. What it gives depends on the format's
``kind``:

- ``text``: the output as a string;
- ``json``: the JSON contract as data, written with :func:`hls_audit.render.json_out.dumps`;
- ``bytes``: a binary file (XLSX), written only to a file or a pipe, never to a terminal;
- ``console``: nothing; it prints to the Rich console passed first. Off a terminal the format's
  ``off_terminal`` format is used instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, Literal

View = Literal["check", "totals", "sources", "narrative", "rules", "portfolio", "diff"]
VIEWS: tuple[View, ...] = (
    "check",
    "totals",
    "sources",
    "narrative",
    "rules",
    "portfolio",
    "diff",
)
Kind = Literal["text", "json", "console", "bytes"]


class Format:
    """One output format: what picks it, what it renders, and with which function.

    A plain class rather than a dataclass: the table is built on every start-up, and making a
    dataclass costs about a millisecond.
    """

    __slots__ = ("kind", "name", "off_terminal", "renderers", "suffixes", "views")

    def __init__(
        self,
        name: str,
        kind: Kind,
        renderers: Mapping[View, str],
        suffixes: tuple[str, ...] = (),
        off_terminal: str | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.renderers = renderers  # view -> "module:function" under hls_audit.render
        self.suffixes = suffixes  # what --output FILE picks it by, lower case, with the dot
        self.off_terminal = off_terminal  # a console format's stand-in off a terminal
        self.views: tuple[View, ...] = tuple(v for v in VIEWS if v in renderers)

    def __repr__(self) -> str:
        return f"Format({self.name!r}, {self.kind!r}, views={self.views!r})"

    def renderer(self, view: View) -> Callable[..., Any]:
        """The function that renders ``view`` in this format, imported now."""
        module_name, _, function = self.renderers[view].partition(":")
        module = importlib.import_module(f"hls_audit.render.{module_name}")
        found: Callable[..., Any] = getattr(module, function)
        return found

    def render(self, view: View, *subject: Any) -> str:
        """The output of a text or JSON format as one string."""
        if self.kind in ("console", "bytes"):
            raise ValueError(f"{self.name} is not text; use its renderer or render_bytes")
        rendered = self.renderer(view)(*subject)
        if self.kind == "json":
            if isinstance(rendered, str):  # a renderer that gives the finished JSON text
                return rendered
            from hls_audit.render.json_out import dumps

            return dumps(rendered)
        text: str = rendered
        return text

    def render_bytes(self, view: View, *subject: Any) -> bytes:
        """The output of a bytes format, or of a text or JSON one as UTF-8, for a file."""
        if self.kind != "bytes":
            return self.render(view, *subject).encode("utf-8")
        data: bytes = self.renderer(view)(*subject)
        return data


_TABLE: tuple[Format, ...] = (
    Format(
        "table",
        "console",
        {
            "check": "rich_out:print_check",
            "totals": "rich_out:print_totals",
            "sources": "rich_out:print_sources",
            "narrative": "rich_out:print_narrative",
            "rules": "rich_out:print_rules",
            "portfolio": "portfolio_out:print_portfolio",
            "diff": "diff_out:print_diff",
        },
        off_terminal="text",
    ),
    Format(
        "text",
        "text",
        {
            "check": "plain:check_text",
            "totals": "plain:totals_text",
            "sources": "plain:sources_text",
            "narrative": "plain:narrative_text",
            "rules": "plain:rules_text",
            "portfolio": "portfolio_out:portfolio_text",
            "diff": "diff_out:diff_text",
        },
        suffixes=(".txt",),
    ),
    Format(
        "json",
        "json",
        {
            "check": "json_out:check_json",
            "totals": "json_out:totals_json",
            "sources": "json_out:sources_json",
            "narrative": "json_out:narrative_json",
            "rules": "json_out:rules_json",
            "portfolio": "portfolio_out:portfolio_json",
            "diff": "diff_out:diff_json",
        },
        suffixes=(".json",),
    ),
    Format("github", "text", {"check": "github:render"}),
    Format("sarif", "text", {"check": "sarif:render"}, suffixes=(".sarif",)),
    Format("junit", "text", {"check": "junit:render"}, suffixes=(".xml",)),
    Format(
        "markdown",
        "text",
        {
            "check": "markdown:render",
            "totals": "markdown:totals",
            "sources": "markdown:sources",
            "diff": "diff_out:diff_markdown",
        },
        suffixes=(".md",),
    ),
    Format(
        "html",
        "text",
        {
            "check": "html_report:check_html",
            "totals": "html_report:totals_html",
            "sources": "html_report:sources_html",
            "portfolio": "html_report:portfolio_html",
        },
        suffixes=(".html", ".htm"),
    ),
    Format(
        "csv",
        "text",
        {
            "check": "csv_out:check_csv",
            "totals": "csv_out:totals_csv",
            "sources": "csv_out:sources_csv",
        },
        suffixes=(".csv",),
    ),
    Format(
        "xlsx",
        "bytes",
        {
            "check": "xlsx_out:check_xlsx",
            "totals": "xlsx_out:totals_xlsx",
            "sources": "xlsx_out:sources_xlsx",
        },
        suffixes=(".xlsx",),
    ),
)

FORMATS: dict[str, Format] = {f.name: f for f in _TABLE}


def formats_for(view: View) -> tuple[str, ...]:
    """The names of the formats that render ``view``, in the table's order."""
    return tuple(f.name for f in _TABLE if view in f.views)


def format_for_suffix(suffix: str) -> str | None:
    """The format a file suffix (``.json``) picks for --output, or None."""
    lowered = suffix.lower()
    return next((f.name for f in _TABLE if lowered in f.suffixes), None)
