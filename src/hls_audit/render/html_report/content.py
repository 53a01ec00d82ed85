"""What the HTML report shows, as plain data for its templates: every string one safe line.

The tables come from :mod:`hls_audit.render.views`, as every text renderer's do; this module adds
what only the HTML report draws: the verdict in words, the matrix of claims by evidence, the gaps as
groups, the rules that ran, and a portfolio's sections. The templates escape everything they are
given (Jinja2's autoescaping), so the strings here are text, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hls_audit.analysis.evidence import Coverage, Level
from hls_audit.analysis.reconcile import Reconciliation
from hls_audit.app.portfolio import CaseResult, HeadlineResult, PortfolioReport
from hls_audit.core.money import QUALIFIER_WORDS, format_gbp
from hls_audit.core.sanitize import MAX_MESSAGE, one_line
from hls_audit.engine.findings import Finding, Report
from hls_audit.render.html_report.chart import range_words
from hls_audit.render.views import TableView, subject, where

# A word and a symbol for every verdict and severity, so that colour is never the only signal.
SYMBOL = {
    "proven": "✓",
    "not proven": "?",
    "failed": "✗",
    "PASS": "✓",
    "FAIL": "✗",
    "UNUSABLE": "✗",
    "error": "✗",
    "warning": "!",
    "info": "i",
}


@dataclass(frozen=True)
class Sentence:
    """A verdict in words: its word (for the symbol and class), the lead in bold, the rest."""

    word: str
    lead: str
    rest: str = ""

    @property
    def text(self) -> str:
        return self.lead + self.rest

    @property
    def symbol(self) -> str:
        return SYMBOL.get(self.word, "")

    @property
    def css(self) -> str:
        return "v-" + self.word.lower().replace(" ", "-")


def headline_sentence(rec: Reconciliation) -> Sentence:
    """``Headline H1 'more than £169,000,000': not proven — counted £169,200,000 ...``."""
    h, currency = rec.headline, rec.headline.currency
    claimed = f"{QUALIFIER_WORDS[h.relation]}{format_gbp(h.value, currency)}"
    margin = ("+" if rec.margin >= 0 else "-") + format_gbp(abs(rec.margin), currency)
    rest = (
        f" — counted {format_gbp(rec.total.central, currency)} "
        f"(range {range_words(rec.total, currency)}) against {claimed}, a margin of {margin}; "
        f"corroborated {format_gbp(rec.corroborated_total.central, currency)} "
        f"({rec.corroborated_verdict})."
    )
    if rec.break_even:
        rest += f" Break-even: {rec.break_even}."
    return Sentence(
        rec.verdict, one_line(f"Headline {h.id} '{claimed}': {rec.verdict}"), one_line(rest)
    )


def result_sentence(h: HeadlineResult) -> Sentence:
    """A portfolio's headline in words, from its cached result."""
    claimed = f"{h.relation.replace('_', ' ')} {format_gbp(h.value, h.currency)}"
    rest = (
        f" — counted {format_gbp(h.total.central, h.currency)} "
        f"(range {range_words(h.total, h.currency)}), "
        f"corroborated {format_gbp(h.corroborated_total.central, h.currency)}."
    )
    return Sentence(
        h.verdict, one_line(f"Headline {h.id} '{claimed}': {h.verdict}"), one_line(rest)
    )


def counts_text(counts: dict[str, int] | Iterable[tuple[str, int]]) -> str:
    c = dict(counts)
    suppressed = f", {c['suppressed']} suppressed" if c.get("suppressed") else ""
    return (
        f"{c.get('error', 0)} error(s), {c.get('warning', 0)} warning(s), "
        f"{c.get('info', 0)} info{suppressed}"
    )


def run_sentence(report: Report) -> Sentence:
    word = "FAIL" if report.failed else "PASS"
    return Sentence(
        word,
        word,
        one_line(
            f": {counts_text(report.counts)} (fails on {report.fail_on.value} and above; "
            f"evidence required: {report.require})."
        ),
    )


@dataclass(frozen=True)
class LevelRow:
    level: str
    count: int
    share: int  # whole per cent of the sources
    bar: str  # the bar's width in SVG units, out of 200


def coverage_rows(coverage: Coverage) -> list[LevelRow]:
    """Sources by evidence level, strongest first, with their share."""
    counts = [(lv.value, int(coverage.sources_by_level.get(lv.value, 0))) for lv in Level]
    total = sum(count for _, count in counts)
    return [
        LevelRow(
            level,
            count,
            (100 * count + total // 2) // total if total else 0,
            str((200 * count) // total if total else 0),
        )
        for level, count in counts
    ]


def coverage_text(coverage: Coverage) -> str:
    return one_line(
        f"Claims corroborated: {coverage.claims_corroborated} of {coverage.claims_total} "
        f"({coverage.claims_without_source} cite nothing)."
    )


def id_order(identifier: str) -> tuple[str, int, str]:
    """The register's order of ids: E2 before E10, E5 before E5a, then R1, G1 by letter."""
    head = identifier.rstrip("abcdefghijklmnopqrstuvwxyz")
    letters = "".join(ch for ch in head if not ch.isdigit())
    digits = "".join(ch for ch in head if ch.isdigit())
    return (letters, int(digits) if digits else 0, identifier)


@dataclass
class Matrix:
    """Claims as rows, the register's ids as columns, the pages (or a mark) where one cites."""

    columns: list[tuple[str, str, str]]  # id, level, title
    rows: list[tuple[str, str, list[str], int]]  # claim id, statement, cells, sources cited


def evidence_matrix(report: Report) -> Matrix:
    entries = report.register.entries
    claims = report.case_study.data.claims
    cited = {c.source for claim in claims for c in claim.evidence}
    ids = sorted(set(entries) | cited, key=id_order)
    columns = []
    for identifier in ids:
        entry = entries.get(identifier)
        level = entry.level.value if entry else "missing"
        title = entry.title if entry else "no record in evidence/"
        columns.append((one_line(identifier), one_line(level), one_line(title, 200)))
    rows = []
    for claim in claims:
        pages: dict[str, list[str]] = {}
        for citation in claim.evidence:
            pages.setdefault(citation.source, []).append(str(citation.pages or ""))
        cells = [
            one_line("✓ " + " ".join(p for p in pages[i] if p)).strip() if i in pages else ""
            for i in ids
        ]
        rows.append((one_line(claim.id), one_line(claim.statement, 90), cells, len(pages)))
    return Matrix(columns, rows)


@dataclass(frozen=True)
class Gap:
    severity: str
    code: str
    name: str
    message: str
    hint: str
    where: str
    reason: str = ""  # a suppressed finding's accepted reason

    @property
    def symbol(self) -> str:
        return SYMBOL.get(self.severity, "")


def _gap(finding: Finding) -> Gap:
    return Gap(
        finding.severity.value,
        one_line(finding.code),
        one_line(finding.name),
        one_line(finding.message, MAX_MESSAGE * 4),
        one_line(finding.hint, MAX_MESSAGE),
        where(finding),
        one_line(finding.suppressed or "", MAX_MESSAGE),
    )


@dataclass
class GapGroup:
    name: str
    gaps: list[Gap] = field(default_factory=list)


def gap_groups(report: Report) -> list[GapGroup]:
    """The active findings grouped by claim, as every renderer groups them."""
    from hls_audit.render.views import grouped_findings

    return [
        GapGroup(one_line(name), [_gap(f) for f in findings])
        for name, findings in grouped_findings(report)
    ]


def groups_in_order(findings: Iterable[Finding]) -> list[GapGroup]:
    """Findings grouped by what they are about, in the order each subject first appears."""
    groups: dict[str, GapGroup] = {}
    for finding in findings:
        name = subject(finding)
        groups.setdefault(name, GapGroup(one_line(name))).gaps.append(_gap(finding))
    return list(groups.values())


def suppressed_gaps(report: Report) -> list[tuple[str, Gap]]:
    return [(one_line(subject(f)), _gap(f)) for f in report.findings if not f.active]


@dataclass(frozen=True)
class RuleRow:
    code: str
    name: str
    ran: bool
    why: str


def rule_rows(report: Report) -> list[RuleRow]:
    """Every rule the run considered: ran, or skipped and why."""
    rules = [(r.code, r.name) for r in report.rules] or [(code, "") for code in report.ran]
    return [
        RuleRow(one_line(code), one_line(name), code not in report.skipped,
                one_line(report.skipped.get(code, "")))
        for code, name in rules
    ]  # fmt: skip


def not_counted_view(report: Report) -> TableView:
    """Every amount no headline counts, with why (the lines every reconciliation leaves out)."""
    view = TableView(
        f"Not counted ({sum(1 for ln in report.lines if not ln.included)})",
        ["Claim", "Organisation", "As stated", "Role", "Amount", "Why not counted"],
        right={4},
    )
    for line in report.lines:
        if line.included:
            continue
        amount = "—"
        if line.converted is not None:
            amount = format_gbp(line.converted) + (f" per {line.per}" if line.per else "")
        view.add(
            [
                line.claim,
                line.organisation,
                line.stated or "—",
                line.role.value,
                amount,
                line.reason,
            ]
        )
    return view


def case_verdict(case: CaseResult) -> str:
    if not case.usable:
        return "UNUSABLE"
    return "PASS" if case.passed else "FAIL"


@dataclass
class CaseSection:
    """One case study of a portfolio, under its own anchor."""

    anchor: str
    path: str
    verdict: Sentence
    headlines: list[Sentence]
    coverage: list[LevelRow]
    coverage_text: str
    groups: list[GapGroup]
    input_errors: list[Gap]


def case_sections(portfolio: PortfolioReport) -> list[CaseSection]:
    sections = []
    for number, case in enumerate(portfolio.cases, start=1):
        word = case_verdict(case)
        audit = case.audit
        errors = [
            Gap(
                "error",
                one_line(e.code or ""),
                "input",
                one_line(e.message, MAX_MESSAGE),
                one_line(e.hint or "", MAX_MESSAGE),
                one_line(":".join(str(p) for p in (e.path, e.line, e.column) if p)),
            )
            for e in case.input_errors
        ]
        counts = counts_text(dict(audit.counts)) if audit else f"{len(errors)} input error(s)"
        sections.append(
            CaseSection(
                anchor=f"case-{number}",
                path=one_line(case.path),
                verdict=Sentence(word, word, one_line(f": {counts}.")),
                headlines=[result_sentence(h) for h in audit.headlines] if audit else [],
                coverage=coverage_rows(audit.coverage) if audit else [],
                coverage_text=coverage_text(audit.coverage) if audit else "",
                groups=groups_in_order(audit.active_findings) if audit else [],
                input_errors=errors,
            )
        )
    return sections
