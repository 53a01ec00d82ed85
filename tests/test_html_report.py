"""`--format html`: one self-contained page, the verdict first, every user string escaped."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources

import pytest

from hls_audit.app.run import RunOptions, run_case
from hls_audit.core.money import format_gbp
from hls_audit.engine.findings import Report
from hls_audit.render.formats import FORMATS, format_for_suffix
from hls_audit.render.html_report import chart, check_html, environment
from tests.conftest import MINIMAL_CLAIMS, QUIET_CHECK, REPO


class Page(HTMLParser):
    """The parts of a page the tests read: its text, its tags in order, and their attributes."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.open: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if not {"style", "title", "desc"} & set(self.open):
            self.text.append(data)

    @property
    def words(self) -> str:
        """The visible text, its runs of white space made single spaces."""
        return " ".join("".join(self.text).split())

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.tags if "id" in attrs]


@pytest.fixture(scope="module")
def report() -> Report:
    found = run_case(REPO, RunOptions())
    assert isinstance(found, Report)
    return found


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    return check_html(report)


def test_the_verdict_comes_first_in_words(page):
    words = Page(page).words
    verdict = (
        "Headline H1 'more than £169,000,000': not proven — counted £169,200,000 "
        "(range more than £168,200,000 to £180,200,000) against more than £169,000,000"
    )
    assert verdict in words
    assert words.index(verdict) < words.index("Counted amounts against the headline", 400)
    assert "holds only if C44 (~GBP18,000,000) is more than £17,800,000" in words
    assert "PASS: 0 error(s), 13 warning(s), 4 info" in words


def test_the_sections_come_in_order(page):
    ids = Page(page).ids()
    order = ["verdict", "headlines", "coverage", "matrix", "gaps", "not-counted", "rules"]
    assert [i for i in ids if i in order] == order
    assert page.index("<svg") > page.index('id="headlines"')


def test_the_chart_shows_the_interval_the_headline_and_the_break_even(page, report):
    (rec,) = report.reconciliations
    panels = chart.panels(rec)
    assert [p.title for p in panels] == [
        "H1: the counted amounts against the headline",
        "H1: where the total may lie, beside the headline",
        "H1: the break-even point",
    ]
    stacked = panels[0]
    assert [s.label for s in stacked.segments] == ["C15", "C24", "C25", "C29", "C41", "C44"]
    assert stacked.spans[0].low_open and not stacked.spans[0].high_open  # "more than" £168.2m
    found = chart.break_even(rec)
    assert found is not None and found.needed == 17_800_000
    assert f"more than {format_gbp(found.needed)}" in rec.break_even  # the reconciliation's own
    words = Page(page).words
    assert "break-even: more than £17,800,000" in words
    assert "Headline H1: more than £169,000,000" in words
    assert page.count("<svg") >= 3 and 'role="img"' in page


def test_a_headline_of_exact_amounts_has_no_break_even(case):
    case(MINIMAL_CLAIMS.replace("value: 10000000", "value: 12000000"))
    report = run_case(case.root, RunOptions())
    assert isinstance(report, Report)
    (rec,) = report.reconciliations
    assert rec.verdict == "failed" and chart.break_even(rec) is None
    assert len(chart.panels(rec)) == 2
    words = Page(check_html(report)).words
    assert "Headline H1 'more than £12,000,000': failed — counted £11,000,000" in words
    assert "break-even:" not in words and "Break-even" not in words


def test_the_matrix_has_every_claim_and_marks_each_citation(page, report):
    parsed = Page(page)
    row_heads = [attrs for tag, attrs in parsed.tags if tag == "th" and attrs.get("scope") == "row"]
    assert row_heads
    start, end = page.index('id="matrix"'), page.index('id="gaps"')
    matrix = page[start:end]
    for claim in report.case_study.data.claims:
        assert f'<th scope="row">{claim.id}</th>' in matrix
    row = matrix[matrix.index('<th scope="row">C02</th>') :].split("</tr>")[0]
    assert "✓ p2-3" in row and "✓ p1" in row
    assert "cites nothing" in matrix  # one claim cites no source: said in words


def test_gaps_are_grouped_by_claim_with_their_locations(page):
    start, end = page.index('id="gaps"'), page.index('id="not-counted"')
    gaps = Page(page[start:end]).words
    assert "Gaps, grouped by claim (17)" in gaps
    assert gaps.index("C41") < gaps.index("claims.yaml:548:23") < gaps.index("claims.yaml:548:36")
    assert "warning HLS806" in gaps and "hint: count only what was spent" in gaps


def test_amounts_not_counted_and_rules_are_listed(page, report):
    start, end = page.index('id="not-counted"'), page.index('id="rules"')
    not_counted = Page(page[start:end]).words
    assert "Not counted (11)" in not_counted
    assert "part of C29 (£7,700,000)" in not_counted and "£88,194.45" in not_counted
    rules = Page(page[end:]).words
    assert f"{len(report.ran)} ran, {len(report.skipped)} skipped" in rules
    assert "skipped: there is no evidence.lock" in rules


def test_the_page_is_self_contained_and_accessible(page):
    parsed = Page(page)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("h1") == 1 and "h2" in tags and "h3" in tags
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in parsed.tags if tag == "th")
    assert not any(
        value.startswith(("http:", "https:", "//"))
        for tag, attrs in parsed.tags
        for key, value in attrs.items()
        if key in ("href", "src") and tag != "svg"
    )
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in csp[0]["content"]
    assert "@media print" in page and "break-before: page" in page
    assert "✓" in page and "?" in Page(page).words  # a symbol beside every verdict word


HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %} &amp;"


def test_hostile_text_is_shown_as_text(case, cli):
    case(
        MINIMAL_CLAIMS.replace("title: A small case study", f"title: '{HOSTILE}'").replace(
            "statement: A trust put its grants under the approach.",
            "statement: '<img src=x onerror=alert(2)> ::error::forged'",
        )
    )
    result = cli("check", "--format", "html")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert "<script" not in page and "<img" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if 1 %}x{% endif %} &amp;amp;"
    assert escaped in page
    assert HOSTILE in Page(page).words and "49" not in Page(page).words
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert not any(line.lstrip().startswith("::") for line in page.splitlines())


def test_autoescaping_is_on_for_every_template():
    env = environment()
    assert env.autoescape is True
    names = env.list_templates()
    assert {"base.html.j2", "check.html.j2", "tables.html.j2", "portfolio.html.j2"} <= set(names)
    shipped = resources.files("hls_audit.render") / "templates"
    assert all((shipped / name).is_file() for name in names)


def test_output_picks_html_by_suffix(case, cli):
    case()
    assert FORMATS["html"].suffixes == (".html", ".htm")
    assert format_for_suffix(".HTML") == format_for_suffix(".htm") == "html"
    for name in ("report.html", "report.htm"):
        result = cli("check", "--output", name)
        assert result.exit_code == 0, result.stderr
        written = (case.root / name).read_text(encoding="utf-8")
        assert written.startswith("<!DOCTYPE html>")
        assert "Headline H1 &#39;more than £10,000,000&#39;: proven" in written
    assert "Gaps" in cli("check", "--output", "report.html").stdout  # the table on stdout


def test_the_format_lists_in_messages_come_from_the_table(case, cli):
    case()
    unknown = cli("check", "--output", "report.bin")
    assert unknown.exit_code == 2
    assert "html" in unknown.stderr and "markdown" in unknown.stderr
    assert "table" not in unknown.stderr.split("add --format")[1]
    table = cli("check", "--format", "table", "--output", "report.html")
    assert table.exit_code == 2 and "html" in table.stderr


def test_totals_and_sources_give_their_own_tables(case, cli):
    case()
    totals = Page(cli("totals", "--format", "html").stdout).words
    for heading in ("Money", "Subtotals by role", "Headlines"):
        assert heading in totals
    assert "£7,000,000" in totals and "£11,000,000" in totals and "proven" in totals
    sources = cli("sources", "--format", "html")
    assert sources.exit_code == 0
    words = Page(sources.stdout).words
    assert "Evidence register" in words and "The trust's annual report" in words
    assert "Sources by evidence level" in words


def test_a_portfolio_links_each_row_to_its_section(tmp_path, cli):
    for name, value in (("alpha", "10000000"), ("beta", "12000000")):
        folder = tmp_path / name
        (folder / "evidence").mkdir(parents=True)
        claims = MINIMAL_CLAIMS.replace("value: 10000000", f"value: {value}")
        (folder / "claims.yaml").write_text(claims, encoding="utf-8")
        for record in ("E1", "E2", "R1"):
            (folder / "evidence" / f"{record}.yaml").write_text(
                f"id: {record}\nkind: report\ntitle: Report {record}\nurl: https://example.org/\n",
                encoding="utf-8",
            )
    for kind in ("check", "totals", "sources"):
        result = cli(kind, str(tmp_path), "--format", "html")
        assert result.exit_code in (0, 1), result.stderr
        parsed = Page(result.stdout)
        links = [a["href"] for t, a in parsed.tags if t == "a" and a["href"].startswith("#c")]
        assert links[:2] == ["#case-1", "#case-2"], kind
        assert {"case-1", "case-2"} <= set(parsed.ids())
    words = Page(cli("check", str(tmp_path), "--format", "html").stdout).words
    assert "Headline H1 'more than £12,000,000': failed" in words
    assert words.index("alpha") < words.index("beta")


def test_jinja2_loads_only_for_an_html_report():
    code = (
        "import sys\n"
        + QUIET_CHECK
        + "print('jinja2' in sys.modules)\n"
        + "from hls_audit.render.formats import FORMATS\n"
        + "FORMATS['html'].renderer('check')\n"
        + "print('jinja2' in sys.modules)\n"
        + "from hls_audit.render.html_report import environment\n"
        + "environment()\n"
        + "print('jinja2' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.split() == ["False", "False", "True"], out.stderr
