"""The `diff` view: what changed in a case study between two revisions, in every format.

The table, text and Markdown renderers draw the same views (:class:`TableView`, whose cells are
made safe lines on the way in) with the existing table renderers, so the case study's own text is
escaped as everywhere else. The JSON renderer gives the ``hls-audit/diff`` document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hls_audit.app.diff import ADDED, REMOVED, AmountState, CaseDiff, HeadlineState, Side
from hls_audit.core.money import QUALIFIER_WORDS, Interval, Qualifier, format_gbp
from hls_audit.core.sanitize import one_line, plain_line, plain_text
from hls_audit.render.views import TableView

if TYPE_CHECKING:
    from rich.console import Console

ARROW = "→"


# --- the views --------------------------------------------------------------------------------


def side_text(side: Side) -> str:
    """A side as a reader knows it: ``HEAD~1 (1a2b3c4)`` or ``working tree``."""
    if side.commit is None or side.commit.startswith(side.label):
        return one_line(side.label if side.commit is None else side.commit[:12])
    return f"{one_line(side.label, 80)} ({side.commit[:12]})"


def title_line(diff: CaseDiff) -> str:
    """The first line: the case study and the two sides compared."""
    where = f" ({one_line(diff.path)})" if diff.path else ""
    return (
        f"hls-audit diff: {one_line(diff.title)}{where}: "
        f"{side_text(diff.before)} {ARROW} {side_text(diff.after)}"
    )


def _counts(counts: dict[str, int], passed: bool) -> str:
    found = ", ".join(
        f"{counts.get(k, 0)} {k}{'' if counts.get(k, 0) == 1 or k == 'info' else 's'}"
        for k in ("error", "warning", "info")
    )
    return f"{'passes' if passed else 'fails'} ({found})"


def summary_line(diff: CaseDiff) -> str:
    """The last line: the result on each side, or that nothing changed."""
    before = _counts(diff.counts_before, diff.passed_before)
    after = _counts(diff.counts_after, diff.passed_after)
    if diff.unchanged:
        return f"No change. The audit {after} on both sides."
    return f"Audit: {before} {ARROW} {after}."


def money(value: Decimal, currency: str) -> str:
    """An exact amount in its currency: £7,000,000, USD 1,200."""
    return format_gbp(value, currency)


def span(total: Interval, currency: str) -> str:
    """A total interval in its currency: £11,000,000 or > £10,000,000 – £12,000,000."""
    if total.lower == total.upper:
        return money(total.lower, currency)
    low = ("> " if total.lower_open else "") + money(total.lower, currency)
    return f"{low} – {money(total.upper, currency)}"


def _signed(change: Decimal, currency: str) -> str:
    if change == 0:
        return "no change"
    sign = "+" if change > 0 else "-"
    return sign + money(abs(change), currency)


def _claimed(state: HeadlineState) -> str:
    return QUALIFIER_WORDS[Qualifier(state.relation)] + money(state.value, state.currency)


def headline_view(diff: CaseDiff) -> TableView:
    """Each headline's claim, counted total and verdict before and after, and the change."""
    view = TableView(
        f"Headlines ({side_text(diff.before)} {ARROW} {side_text(diff.after)})",
        ["headline", "claims", "total before", "total after", "change", "verdict"],
        right={2, 3, 4},
    )
    for item in diff.headlines:
        was, now = item.before, item.after
        claimed = [_claimed(s) for s in (was, now) if s is not None]
        if len(claimed) == 2 and claimed[0] == claimed[1]:
            claimed = claimed[:1]
        change = item.change
        shown = now or was
        currency = shown.currency if shown is not None else "GBP"
        verdicts = [s.verdict if s else "—" for s in (was, now)]
        view.add(
            [
                item.id + ("" if was else " (new)") + ("" if now else " (removed)"),
                f" {ARROW} ".join(claimed),
                span(was.total, was.currency) if was else "—",
                span(now.total, now.currency) if now else "—",
                _signed(change, currency) if change is not None else "—",
                verdicts[0] if verdicts[0] == verdicts[1] else f" {ARROW} ".join(verdicts),
            ]
        )
    return view


def amount_text(state: AmountState | None) -> str:
    """An amount on one side: ``about £2,000,000, counted`` or ``—``."""
    if state is None:
        return "—"
    if state.value is None:
        figure = state.stated or "no value"
    else:
        figure = QUALIFIER_WORDS[Qualifier(state.qualifier)] + money(state.value, state.currency)
    role = state.role + ("" if state.counted or state.role != "counted" else " (not counted)")
    return f"{figure}, {role}"


def amounts_view(diff: CaseDiff) -> TableView:
    """Amounts added, removed or changed, by claim id."""
    view = TableView(
        f"Amounts ({len(diff.amounts)} changed)", ["claim", "change", "before", "after", "what"]
    )
    for item in diff.amounts:
        view.add(
            [
                item.claim,
                item.kind,
                amount_text(item.before),
                amount_text(item.after),
                ", ".join(item.fields),
            ]
        )
    return view


def citations_view(diff: CaseDiff) -> TableView:
    """Citations a claim gained or lost."""
    view = TableView(f"Citations ({len(diff.citations)} changed)", ["claim", "source", "change"])
    for item in diff.citations:
        view.add([item.claim, item.source, "gained" if item.gained else "lost"])
    return view


def register_view(diff: CaseDiff) -> TableView:
    """Sources, references, grants and groups added to or removed from the register."""
    view = TableView(
        f"Evidence register ({len(diff.register)} changed)", ["id", "register", "title", "change"]
    )
    for item in diff.register:
        view.add([item.id, item.kind, item.title, "added" if item.added else "removed"])
    return view


def findings_view(diff: CaseDiff) -> TableView:
    """Findings new since the first side, and findings fixed (gone) by the second."""
    new = sum(1 for f in diff.findings if f.new)
    view = TableView(
        f"Findings ({new} new, {len(diff.findings) - new} fixed)",
        ["change", "severity", "code", "subject", "message"],
    )
    for item in diff.findings:
        view.add(
            [
                "new" if item.new else "fixed",
                item.severity,
                f"{item.code} {item.name}",
                item.subject or "—",
                item.message,
            ]
        )
    return view


def views(diff: CaseDiff) -> list[TableView]:
    """Every table of the diff, in reading order."""
    return [
        headline_view(diff),
        amounts_view(diff),
        citations_view(diff),
        register_view(diff),
        findings_view(diff),
    ]


# --- table, text, Markdown --------------------------------------------------------------------


def print_diff(console: Console, diff: CaseDiff) -> None:
    """Rich tables on a terminal."""
    from rich.text import Text

    from hls_audit.render.rich_out import PlainLines, to_table

    console.print(PlainLines(Text(title_line(diff), style="bold")))
    for view in views(diff):
        console.print(to_table(view))
    style = "bold green" if diff.passed_after else "bold red"
    console.print(PlainLines(Text(summary_line(diff), style=style)))


def diff_text(diff: CaseDiff) -> str:
    """Plain text for logs and pipes."""
    from hls_audit.render.plain import table_text

    parts = [title_line(diff)]
    for view in views(diff):
        parts += ["", table_text(view)]
    parts += ["", summary_line(diff)]
    return plain_text("\n".join(parts)) + "\n"


def diff_markdown(diff: CaseDiff) -> str:
    """GitHub-flavoured Markdown for a pull-request comment, escaped as `check`'s summary is."""
    from hls_audit.render.markdown import MAX_BYTES, cap, md, table

    icon = "✅" if diff.passed_after else "❌"
    lines = [f"## {icon} {md(title_line(diff))}"]
    for view in views(diff):
        lines += ["", *table(view)]
    lines += ["", md(summary_line(diff))]
    return cap([plain_line(line) for line in lines], MAX_BYTES)


# --- JSON ---------------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _interval(total: Interval) -> dict[str, Any]:
    return {
        "lower": str(total.lower),
        "lower_open": total.lower_open,
        "central": str(total.central),
        "upper": str(total.upper),
        "upper_open": total.upper_open,
    }


def _side(side: Side) -> dict[str, Any]:
    return {"revision": side.label if side.commit else None, "commit": side.commit}


def _headline(state: HeadlineState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "statement": state.statement,
        "relation": state.relation,
        "value": str(state.value),
        "currency": state.currency,
        "total": _interval(state.total),
        "verdict": state.verdict,
        "corroborated_verdict": state.corroborated_verdict,
    }


def _amount(state: AmountState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "value": _money(state.value),
        "role": state.role,
        "qualifier": state.qualifier,
        "currency": state.currency,
        "stated": state.stated,
        "counted": state.counted,
    }


def diff_json(diff: CaseDiff) -> dict[str, Any]:
    """The ``hls-audit/diff`` document (format version 1)."""
    from hls_audit.render.json_out import envelope

    return {
        **envelope("diff"),
        "case_study": {"title": diff.title, "path": diff.path},
        "before": _side(diff.before),
        "after": _side(diff.after),
        "changed": not diff.unchanged,
        "result": {
            "before": {"passed": diff.passed_before, "counts": diff.counts_before},
            "after": {"passed": diff.passed_after, "counts": diff.counts_after},
        },
        "headlines": [
            {
                "id": h.id,
                "before": _headline(h.before),
                "after": _headline(h.after),
                "change": _money(h.change),
            }
            for h in diff.headlines
        ],
        "amounts": [
            {
                "claim": a.claim,
                "change": a.kind,
                "fields": list(a.fields),
                "before": _amount(a.before),
                "after": _amount(a.after),
            }
            for a in diff.amounts
        ],
        "citations": [
            {"claim": c.claim, "source": c.source, "change": "gained" if c.gained else "lost"}
            for c in diff.citations
        ],
        "register": [
            {
                "id": r.id,
                "register": r.kind,
                "title": r.title,
                "change": ADDED if r.added else REMOVED,
            }
            for r in diff.register
        ],
        "findings": [
            {
                "change": "new" if f.new else "fixed",
                "code": f.code,
                "name": f.name,
                "severity": f.severity,
                "subject": f.subject or None,
                "message": f.message,
            }
            for f in diff.findings
        ],
    }
