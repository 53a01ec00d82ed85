"""GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment, under 900 KB.

Text from the case study is one safe line (hls_audit.core.sanitize.one_line) with its markup
escaped, so it shows as written and cannot add rows, headings or HTML. An ``@`` is followed by
a zero-width space, written ``&#8203;``, so that ``@someone`` or ``@org/team`` in a title or a
message reads the same but notifies nobody when the summary is posted as a comment. Every line of
the document is a plain line: none starts with ``::`` when it is printed in a workflow log.
"""

from __future__ import annotations

import html
import re

from hls_audit.core.sanitize import one_line, plain_line
from hls_audit.engine.findings import Report
from hls_audit.render.views import (
    TableView,
    coverage_line,
    excluded_view,
    gaps_view,
    headline_view,
    money_view,
    reconciliation_view,
    rules_line,
    sources_view,
    subtotal_view,
    summary_line,
    suppressed_view,
)

# GitHub refuses a step summary over 1 MiB; stay well below it.
MAX_BYTES = 900_000

# Characters Markdown or GitHub would read as markup: emphasis, code, links, tables, strikethrough
# (~ before approximate figures), math ($ before dollar amounts), HTML and entities, headings.
_MARKUP = re.compile(r"([\\`*_\[\]~|<>&#$])")

# After '@', a zero-width space, so that no @-mention is live (GitHub looks for the mention in the
# rendered text, where an entity for '@' itself would be '@' again).
NO_MENTION = "@&#8203;"


def md(text: str) -> str:
    """Text shown as written, on one line: markup escaped, mentions dead, line breaks as <br>.

    Only LF is a break; every other control character is escaped by one_line.
    """
    return "<br>".join(
        _MARKUP.sub(r"\\\1", one_line(line)).replace("@", NO_MENTION) for line in text.split("\n")
    )


def table(view: TableView, heading: bool = True) -> list[str]:
    """A Markdown table under its title; right-aligned columns and bold rows stay so."""
    out = [f"### {md(view.title)}", ""] if heading else []
    if not view.rows:
        out.append("_None._")
    else:
        out.append("| " + " | ".join(md(c) for c in view.columns) + " |")
        out.append(
            "|"
            + "|".join(" ---: " if i in view.right else " --- " for i in range(len(view.columns)))
            + "|"
        )
        for index, row in enumerate(view.rows):
            bold = "bold" in view.styles.get(index, "")
            cells = [f"**{md(c)}**" if bold and c else md(c) for c in row]
            out.append("| " + " | ".join(cells) + " |")
    for note in view.notes:
        out += ["", md(note)]
    return out


def details(summary: str, body: list[str]) -> list[str]:
    """A collapsed block; the blank lines let GitHub render the Markdown inside it."""
    summary = html.escape(one_line(summary)).replace("@", NO_MENTION)
    return [f"<details><summary>{summary}</summary>", "", *body, "", "</details>"]


def cap(lines: list[str], limit: int) -> str:
    """The document, cut at a line boundary so that it stays within limit bytes, with a note."""
    text = "\n".join(lines) + "\n"
    if len(text.encode("utf-8")) <= limit:
        return text
    reserve = 1024  # room for closing tags and the note
    kept: list[str] = []
    size = 0
    open_blocks = 0
    for line in lines:
        size += len(line.encode("utf-8")) + 1
        if size > limit - reserve:
            break
        kept.append(line)
        if line.startswith("<details"):
            open_blocks += 1
        elif line.startswith("</details>"):
            open_blocks -= 1
    dropped = len(lines) - len(kept)
    kept += ["", *["</details>"] * open_blocks, ""]
    kept.append(
        f"**Cut short:** GitHub takes at most 1 MiB per step summary, so {dropped} more lines "
        "are not shown. Run `hls-audit check --format text` (or `--format json`) for everything."
    )
    return "\n".join(kept) + "\n"


def render(report: Report) -> str:
    """Verdict, headline reconciliations, excluded amounts, gaps, suppressions and coverage."""
    info = report.case_study.data.case_study
    icon = "❌" if report.failed else "✅"
    lines = [
        f"## {icon} hls-audit {md(summary_line(report))}",
        "",
        f"**{md(one_line(info.title))}** ({md(one_line(report.case_study.claims_document.path))})",
    ]
    for rec in report.reconciliations:
        lines += ["", *table(reconciliation_view(rec))]
        excluded = excluded_view(rec)
        lines += ["", *details(excluded.title, table(excluded, heading=False))]
    lines += ["", *table(gaps_view(report))]
    if report.counts["suppressed"]:
        view = suppressed_view(report)
        lines += ["", *details(f"{view.title} ({len(view.rows)})", table(view, heading=False))]
    lines += ["", md(coverage_line(report)), "", md(rules_line(report))]
    return cap([plain_line(line) for line in lines], MAX_BYTES)


def _heading(report: Report, command: str) -> list[str]:
    info = report.case_study.data.case_study
    return [
        f"## hls-audit {command}: {md(one_line(info.title))}",
        "",
        f"File: {md(one_line(report.case_study.claims_document.path))}",
    ]


def totals(report: Report) -> str:
    """Every amount with its role, the subtotals by role and each headline's verdict."""
    lines = _heading(report, "totals")
    for view in (money_view(report), subtotal_view(report), headline_view(report)):
        lines += ["", *table(view)]
    return cap([plain_line(line) for line in lines], MAX_BYTES)


def sources(report: Report) -> str:
    """The evidence register, then how much of it is corroborated."""
    lines = [*_heading(report, "sources"), "", *table(sources_view(report))]
    lines += ["", md(coverage_line(report))]
    return cap([plain_line(line) for line in lines], MAX_BYTES)
