"""One self-contained HTML file for a committee: the verdict first, then the evidence for it.

Inline CSS and inline SVG only, no script and nothing fetched: the page reads the same offline,
and its Content-Security-Policy forbids scripts and network loads even if it were opened from a
server. It prints to PDF with a page break before each major section.

The pages are Jinja2 templates shipped in ``hls_audit/render/templates``, with autoescaping on
for every template, so whatever the case study's author wrote (a title such as
``<script>…</script>`` or ``{{ 7*7 }}``) is shown as text. Jinja2 is imported only when an HTML
report is rendered. Every string the templates receive has already been made one safe line
(:func:`hls_audit.core.sanitize.one_line`), and the finished page is a plain text whose lines
the GitHub runner never reads as workflow commands.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from hls_audit import __version__
from hls_audit.core.sanitize import one_line, plain_text

if TYPE_CHECKING:
    from jinja2 import Environment

    from hls_audit.app.portfolio import PortfolioReport
    from hls_audit.engine.findings import Report


@cache
def environment() -> Environment:
    """The template environment: package templates, autoescaping on, undefined names refused."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("hls_audit.render", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    from hls_audit.render.html_report.content import SYMBOL

    env.globals["version"] = __version__
    env.globals["symbols"] = SYMBOL
    return env


def _page(template: str, **context: Any) -> str:
    html: str = environment().get_template(template).render(**context)
    return plain_text(html)


def _title(report: Report) -> tuple[str, str]:
    return (
        one_line(report.case_study.data.case_study.title),
        one_line(report.case_study.claims_document.path),
    )


def check_html(report: Report) -> str:
    """The check report: verdict, charts, coverage, matrix, gaps, amounts not counted, rules."""
    from hls_audit.render.html_report import chart, content
    from hls_audit.render.views import reconciliation_view

    title, path = _title(report)
    return _page(
        "check.html.j2",
        command="check",
        title=title,
        path=path,
        run=content.run_sentence(report),
        headlines=[
            (
                content.headline_sentence(rec),
                chart.panels(rec),
                reconciliation_view(rec),
            )
            for rec in report.reconciliations
        ],
        coverage=content.coverage_rows(report.coverage),
        coverage_text=content.coverage_text(report.coverage),
        matrix=content.evidence_matrix(report),
        groups=content.gap_groups(report),
        suppressed=content.suppressed_gaps(report),
        not_counted=content.not_counted_view(report),
        rules=content.rule_rows(report),
    )


def totals_html(report: Report) -> str:
    """Every amount with its role, the subtotals by role and each headline's verdict."""
    from hls_audit.render.html_report import content
    from hls_audit.render.views import headline_view, money_view, subtotal_view

    title, path = _title(report)
    return _page(
        "tables.html.j2",
        command="totals",
        title=title,
        path=path,
        lead=[content.headline_sentence(rec) for rec in report.reconciliations],
        tables=[money_view(report), subtotal_view(report), headline_view(report)],
        coverage=None,
    )


def sources_html(report: Report) -> str:
    """The evidence register, then how much of it is corroborated."""
    from hls_audit.render.html_report import content
    from hls_audit.render.views import sources_view

    title, path = _title(report)
    return _page(
        "tables.html.j2",
        command="sources",
        title=title,
        path=path,
        lead=[],
        tables=[sources_view(report)],
        coverage=(
            content.coverage_rows(report.coverage),
            content.coverage_text(report.coverage),
        ),
    )


def portfolio_html(portfolio: PortfolioReport, kind: str = "check") -> str:
    """One row per case study, linked to its section below: verdict, headlines, gaps."""
    from hls_audit.render.html_report import content
    from hls_audit.render.portfolio_out import summary_line, view_for

    sections = content.case_sections(portfolio)
    word = "PASS" if portfolio.exit_code == 0 else "FAIL"
    return _page(
        "portfolio.html.j2",
        command=kind,
        title=one_line(f"Portfolio of {len(portfolio.cases)} case studies"),
        path="",
        summary=content.Sentence(word, word, one_line(summary_line(portfolio).removeprefix(word))),
        table=view_for(portfolio, kind),
        links={section.path: section.anchor for section in sections},
        sections=sections,
    )
