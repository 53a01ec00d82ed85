"""What each command shows, as plain tables of strings that every text renderer can draw.

Every cell, title and note passes through :func:`hls_audit.core.sanitize.one_line` on its way in, so
what a renderer draws holds no line break or control character that the case study's author put
there. The one line break a cell may carry is ours: a finding's hint under its message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hls_audit.analysis.evidence import Level
from hls_audit.analysis.reconcile import Line, Reconciliation
from hls_audit.core.model import Role
from hls_audit.core.money import QUALIFIER_WORDS, Interval, format_gbp
from hls_audit.core.sanitize import one_line
from hls_audit.engine.findings import Finding, Report
from hls_audit.rules.catalog import REGISTRY

# A cell given as a tuple of parts is drawn as one line per part.
Cell = str | tuple[str, ...]


@dataclass
class TableView:
    """A titled table: columns, rows, and the rows after which a group ends.

    Fill it through :meth:`add` and :meth:`note`, which make every string one safe line; the
    title is made safe when the view is built.
    """

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    right: set[int] = field(default_factory=set)  # right-aligned column indexes
    breaks: set[int] = field(default_factory=set)  # a group ends after these row indexes
    styles: dict[int, str] = field(default_factory=dict)  # row index -> rich style
    notes: list[str] = field(default_factory=list)  # lines printed under the table
    # On a narrow terminal: prose columns may fold a long word; every other column breaks only
    # at spaces, so no figure, id or file:line is split. The optional columns are dropped, in
    # this order, while the table would not fit otherwise.
    prose: set[int] = field(default_factory=set)
    optional: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        self.title = one_line(self.title)
        self.notes = [one_line(note) for note in self.notes]

    def add(self, cells: list[Cell]) -> int:
        """Append a row of safe cells (a tuple's parts on lines of their own); its index."""
        self.rows.append(
            [
                one_line(cell) if isinstance(cell, str) else "\n".join(map(one_line, cell))
                for cell in cells
            ]
        )
        return len(self.rows) - 1

    def note(self, text: str) -> None:
        """A line under the table, made safe."""
        self.notes.append(one_line(text))


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {"proven": "bold green", "not proven": "bold yellow", "failed": "bold red"}


def where(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return ""
    parts = [loc.file]
    if loc.line is not None:
        parts.append(str(loc.line))
        if loc.column is not None:
            parts.append(str(loc.column))
    return one_line(":".join(parts))


def subject(finding: Finding) -> str:
    return finding.claim or finding.source or "—"


def grouped_findings(report: Report) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by claim (in file order), then by source, then the rest."""
    order = {c.id: i for i, c in enumerate(report.case_study.data.claims)}
    order.update({h.id: -1 - i for i, h in enumerate(report.case_study.data.headlines)})
    groups: dict[str, list[Finding]] = {}
    for finding in report.active_findings:
        groups.setdefault(subject(finding), []).append(finding)

    def key(name: str) -> tuple[int, int, str]:
        if name in order:
            return (0, order[name], name)
        return (1 if name != "—" else 2, 0, name)

    return [(name, groups[name]) for name in sorted(groups, key=key)]


def gaps_view(report: Report) -> TableView:
    view = TableView(
        f"Gaps ({len(report.active_findings)}), grouped by claim",
        ["Claim / source", "Severity", "Code", "Finding", "Where"],
        prose={3},
    )
    for name, findings in grouped_findings(report):
        for i, finding in enumerate(findings):
            view.add(
                [
                    name if i == 0 else "",
                    finding.severity.value,
                    finding.code,
                    (finding.message, f"hint: {finding.hint}") if finding.hint else finding.message,
                    where(finding),
                ]
            )
        view.breaks.add(len(view.rows) - 1)
    return view


def suppressed_view(report: Report) -> TableView:
    view = TableView(
        "Suppressed (accepted gaps)",
        ["Claim / source", "Code", "Finding", "Reason", "Where"],
        prose={2, 3},
    )
    for f in report.findings:
        if not f.active:
            view.add([subject(f), f.code, f.message, f.suppressed or "", where(f)])
    return view


def span_text(span: Interval | None) -> str:
    if span is None:
        return "—"
    if span.lower == span.upper:
        return format_gbp(span.lower)
    low = ("> " if span.lower_open else "") + format_gbp(span.lower)
    return f"{low} – {format_gbp(span.upper)}"


def _amount_text(line: Line) -> str:
    if line.value is None:
        return line.stated or "—"
    text = QUALIFIER_WORDS[line.qualifier] + format_gbp(line.value, line.currency)
    if line.per:
        text += f" per {line.per}"
    return text


def reconciliation_view(rec: Reconciliation) -> TableView:
    h = rec.headline
    title = (
        f"Headline {h.id}: {QUALIFIER_WORDS[h.relation]}{format_gbp(h.value, h.currency)}"
        f" ({rec.location.file}:{rec.location.line})"
    )
    view = TableView(
        title,
        [
            "Claim",
            "Organisation",
            "As stated",
            "Qualifier",
            "Counted",
            "Range",
            "Sources",
            "Evidence",
        ],
        right={4, 5},
        prose={1},
        optional=(3, 1, 6),
    )
    for line in rec.included:
        view.add(
            [
                line.claim,
                line.organisation,
                line.stated or _amount_text(line),
                line.qualifier.value,
                format_gbp(line.converted) if line.converted is not None else "—",
                span_text(line.interval),
                ", ".join(line.sources) or "—",
                "corroborated" if line.corroborated else "MISSING",
            ]
        )
    if view.rows:
        view.breaks.add(len(view.rows) - 1)
    total_row = len(view.rows)
    view.add(
        [
            "Total",
            f"{len(rec.included)} amounts",
            "",
            "",
            format_gbp(rec.total.central),
            span_text(rec.total),
            "",
            "",
        ]
    )
    view.add(
        [
            "Corroborated",
            f"{len(rec.included) - len(rec.uncorroborated)} amounts",
            "",
            "",
            format_gbp(rec.corroborated_total.central),
            span_text(rec.corroborated_total),
            "",
            rec.corroborated_verdict,
        ]
    )
    margin = rec.margin
    view.add(
        [
            "Headline",
            h.relation.value.replace("_", " "),
            "",
            "",
            format_gbp(h.value, h.currency),
            f"margin {'+' if margin >= 0 else '-'}{format_gbp(abs(margin))}",
            "",
            rec.verdict,
        ]
    )
    view.styles[total_row] = "bold"
    view.styles[total_row + 2] = VERDICT_STYLE.get(rec.verdict, "")
    view.note(f"Verdict: {rec.verdict}" + (f"; {rec.break_even}" if rec.break_even else ""))
    return view


def excluded_view(rec: Reconciliation) -> TableView:
    view = TableView(
        f"Not counted toward {rec.headline.id} ({len(rec.excluded)})",
        ["Claim", "Organisation", "As stated", "Role", "Amount", "Why not counted"],
        right={4},
        prose={1, 5},
        optional=(1,),
    )
    for line in rec.excluded:
        view.add(
            [
                line.claim,
                line.organisation,
                line.stated or "—",
                line.role.value,
                (format_gbp(line.converted) + (f" per {line.per}" if line.per else ""))
                if line.converted is not None
                else "—",
                line.reason,
            ]
        )
    return view


def summary_line(report: Report) -> str:
    c = report.counts
    verdict = "FAIL" if report.failed else "PASS"
    suppressed = f", {c['suppressed']} suppressed" if c.get("suppressed") else ""
    return (
        f"{verdict}: {c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
        f"{suppressed} (fails on {report.fail_on.value} and above; "
        f"evidence required: {report.require})"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def findings_line(report: Report) -> str:
    """The findings counted, what fails and what evidence is required (above the verdict)."""
    c = report.counts
    suppressed = f", {c['suppressed']} suppressed" if c.get("suppressed") else ""
    return (
        f"Findings: {c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
        f"{suppressed} (fails on {report.fail_on.value} and above; "
        f"evidence required: {report.require})"
    )


def _headline_words(rec: Reconciliation, detail: int) -> str:
    """``H1 not proven``; with detail 1 the figures, with detail 2 the counted range too."""
    h = rec.headline
    words = f"{h.id} {rec.verdict}"
    if detail and rec.verdict != "proven":
        claimed = QUALIFIER_WORDS[h.relation] + format_gbp(h.value, h.currency)
        counted = format_gbp(rec.total.central)
        spread = rec.total.lower != rec.total.upper and detail > 1
        words += f" ({claimed}: counted {counted}" + (
            f", range {span_text(rec.total)})" if spread else ")"
        )
    return words


def verdict_style(report: Report) -> str:
    """Red for a failing run, yellow for a passing one with a headline not proven, else green."""
    if report.failed:
        return "bold red"
    if any(rec.verdict != "proven" for rec in report.reconciliations):
        return "bold yellow"
    return "bold green"


def verdict_line(report: Report, width: int | None = None) -> str:
    """The last line of `check`: pass or fail, with every headline's verdict beside it.

    ``PASS: 0 errors, 2 warnings · headline H1 not proven (more than £10,000,000: counted
    £9,500,000)``, with the counted range when it is one. Given a width, the line drops the
    counts, the range, the figures, then names only the headlines not proven, until it fits.
    """
    word = "FAIL" if report.failed else "PASS"
    c = report.counts
    counts = f"{word}: {_count(c['error'], 'error')}, {_count(c['warning'], 'warning')}"
    recs = report.reconciliations
    noun = "headline" if len(recs) == 1 else "headlines"

    def headlines(detail: int) -> str:
        if not recs:
            return "no headline to reconcile"
        return f"{noun} " + ", ".join(_headline_words(rec, detail) for rec in recs)

    unproven = [rec.headline.id for rec in recs if rec.verdict != "proven"]
    short = (
        f"{len(unproven)} of {_count(len(recs), 'headline')} not proven ({', '.join(unproven)})"
        if unproven
        else f"{noun} proven"
    )
    forms = [
        f"{counts} · {headlines(2)}",
        f"{word} · {headlines(2)}",
        f"{counts} · {headlines(1)}",
        f"{word} · {headlines(1)}",
        f"{word} · {headlines(0)}",
        f"{word} · {short if recs else headlines(0)}",
    ]
    line = forms[0]
    if width is not None:
        line = next((form for form in forms if len(form) <= width), min(forms, key=len))
    return one_line(line)


def rules_line(report: Report) -> str:
    """How many rules ran, and the rules skipped grouped by why (the report says what ran)."""
    by_reason: dict[str, int] = {}
    for why in report.skipped.values():
        by_reason[why] = by_reason.get(why, 0) + 1
    skipped = "; ".join(f"{count} because {why}" for why, count in by_reason.items())
    return f"Rules: {len(report.ran)} ran" + (
        f", {len(report.skipped)} skipped ({skipped})." if skipped else ", none skipped."
    )


def coverage_line(report: Report) -> str:
    cov = report.coverage
    levels = ", ".join(f"{cov.sources_by_level[lv.value]} {lv.value}" for lv in Level)
    return (
        f"Evidence: {levels}. Claims corroborated: {cov.claims_corroborated} of "
        f"{cov.claims_total} ({cov.claims_without_source} cite nothing)."
    )


def money_view(report: Report) -> TableView:
    view = TableView(
        "Money",
        [
            "Claim",
            "Organisation",
            "Section",
            "Role",
            "Qualifier",
            "Amount",
            "Period",
            "Sources",
            "Counted",
        ],
        right={5},
        prose={1},
        optional=(4, 2, 1, 6),
    )
    for line in report.lines:
        view.add(
            [
                line.claim,
                line.organisation,
                line.section,
                line.role.value,
                line.qualifier.value,
                _amount_text(line),
                line.period or "—",
                ", ".join(line.sources) or "—",
                f"yes ({line.headline})" if line.included and line.headline else "no",
            ]
        )
    return view


@dataclass
class Subtotal:
    """The amounts of one role: how many, their sum (None for unquantified) and their range."""

    role: Role
    count: int
    total: Decimal | None
    span: Interval | None


def role_subtotals(report: Report) -> list[Subtotal]:
    """One subtotal per role that has amounts, in the roles' order."""
    subtotals = []
    for role in Role:
        members = [ln for ln in report.lines if ln.role is role]
        if not members:
            continue
        if role is Role.unquantified:
            subtotals.append(Subtotal(role, len(members), None, None))
            continue
        total = sum((ln.converted for ln in members if ln.converted is not None), start=Decimal(0))
        span: Interval | None = None
        for s in (ln.interval for ln in members if ln.interval is not None):
            span = s if span is None else span + s
        subtotals.append(Subtotal(role, len(members), total, span))
    return subtotals


def subtotal_view(report: Report) -> TableView:
    view = TableView("Subtotals by role", ["Role", "Amounts", "Sum", "Range"], right={1, 2})
    for sub in role_subtotals(report):
        if sub.total is None:
            view.add([sub.role.value, str(sub.count), "no figure", "—"])
        else:
            view.add([sub.role.value, str(sub.count), format_gbp(sub.total), span_text(sub.span)])
    view.note("Only counted amounts add up to a headline; the other sums are shown for reference.")
    return view


def headline_view(report: Report) -> TableView:
    view = TableView(
        "Headlines",
        [
            "Headline",
            "Relation",
            "Figure",
            "Counted total",
            "Range",
            "Corroborated",
            "Margin",
            "Verdict",
        ],
        right={2, 3, 5, 6},
        optional=(1, 4),
    )
    for rec in report.reconciliations:
        h = rec.headline
        view.add(
            [
                h.id,
                h.relation.value.replace("_", " "),
                format_gbp(h.value, h.currency),
                format_gbp(rec.total.central),
                span_text(rec.total),
                format_gbp(rec.corroborated_total.central),
                ("+" if rec.margin >= 0 else "-") + format_gbp(abs(rec.margin)),
                rec.verdict,
            ]
        )
        view.styles[len(view.rows) - 1] = VERDICT_STYLE.get(rec.verdict, "")
        if rec.break_even:
            view.note(f"{h.id}: {rec.break_even}")
    return view


def sources_view(report: Report) -> TableView:
    view = TableView(
        "Evidence register",
        ["Id", "Kind", "Level", "Record / document", "Title", "Cited by", "Missing"],
        prose={3, 4, 6},
        optional=(1,),
    )
    entries = report.register.entries
    for entry in sorted(entries.values(), key=lambda e: _id_key(e.id)):
        if entry.record:
            record = entry.record.record
            kind = record.kind.value
            held = entry.record.document.path + (f" → {record.document}" if record.document else "")
        elif entry.grant:
            kind, held = "grant", "claims.yaml (grants)"
        else:
            kind, held = "group", "parts " + ", ".join(entry.parts)
        missing = list(entry.missing)
        if not entry.cited_by and entry.kind != "group":
            missing.append("cited by no claim")
        view.add(
            [
                entry.id,
                kind,
                entry.level.value,
                held,
                entry.title,
                ", ".join(entry.cited_by) or "—",
                "; ".join(missing) or "—",
            ]
        )
        if missing:
            view.styles[len(view.rows) - 1] = "yellow"
    cited = {c.source for claim in report.case_study.data.claims for c in claim.evidence}
    for unknown in sorted(cited - set(entries), key=_id_key):
        claims = [
            c.id
            for c in report.case_study.data.claims
            if any(x.source == unknown for x in c.evidence)
        ]
        view.add([unknown, "—", "missing", "—", "—", ", ".join(claims), "no record in evidence/"])
        view.styles[len(view.rows) - 1] = "bold red"
    return view


def _id_key(identifier: str) -> tuple[str, int, str]:
    head = identifier.rstrip("abcdefghijklmnopqrstuvwxyz")
    letters = "".join(ch for ch in head if not ch.isdigit())
    digits = "".join(ch for ch in head if ch.isdigit())
    return (letters, int(digits) if digits else 0, identifier)


# The register's order of ids (E2 before E10, E5 before E5a), for the other renderers.
register_order = _id_key


def narrative_view(report: Report) -> TableView:
    """One row per section of the narrative: words, figures, markers and findings."""
    from hls_audit.narrative.analysis import Narrative

    narrative = report.narrative
    assert isinstance(narrative, Narrative)
    view = TableView(
        f"Narrative {narrative.path}, by section",
        ["Section", "Title", "Line", "Words", "Money figures", "Markers", "Findings"],
        right={2, 3, 4, 5, 6},
        prose={1},
    )
    per_line: dict[int, int] = {}
    for finding in report.active_findings:
        if finding.location and finding.location.file == narrative.path and finding.location.line:
            per_line[finding.location.line] = per_line.get(finding.location.line, 0) + 1
    for section in narrative.section_list:
        first, last = section.start_line, narrative.line_at(max(section.end - 1, section.start))
        inner = section.number.count(".") == 0 and any(
            s.number.startswith(section.number + ".") for s in narrative.section_list
        )
        words = narrative.words(section.number)
        view.add(
            [
                section.number,
                section.title,
                str(first),
                str(words),
                str(sum(1 for m in narrative.money if section.start <= m.start < section.end)),
                str(sum(1 for m in narrative.markers if section.start <= m.start < section.end)),
                str(sum(n for line, n in per_line.items() if first <= line <= last)),
            ]
        )
        if inner:
            view.styles[len(view.rows) - 1] = "bold"
    return view


def rules_view() -> TableView:
    view = TableView("Checks", ["Code", "Name", "Severity", "Summary"], prose={3})
    for item in REGISTRY:
        view.add([item.code, item.name, item.severity.value, item.summary])
        view.styles[len(view.rows) - 1] = SEVERITY_STYLE[item.severity.value]
    return view
