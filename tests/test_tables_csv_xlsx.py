"""CSV and XLSX of totals, sources and check; Markdown and --output for totals and sources."""

from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hls_audit.cli import app
from hls_audit.render.csv_out import AMOUNT_COLUMNS, FINDING_COLUMNS, SOURCE_COLUMNS, safe_text
from tests.conftest import MINIMAL_CLAIMS

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("xlsxwriter")

# The small case study with a grant in pence, a headline above what is counted (so the margin is
# negative) and an organisation a spreadsheet would take for a formula.
TABLE_CLAIMS = MINIMAL_CLAIMS.replace("value: 10000000", "value: 12000000").replace(
    '    section: "4.1"\n    statement: A council',
    '    section: "4.1"\n    organisation: "=SUM(A1:A9)"\n    statement: A council',
)
C2_PERIOD = '    amount: {role: counted, value: 7000000, stated: "£7m"}\n'
TABLE_CLAIMS = TABLE_CLAIMS.replace(
    C2_PERIOD, C2_PERIOD.replace("amount:", "period: {start: 2019-04, end: 2020}\n    amount:")
)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def tables(case):
    case(claims=TABLE_CLAIMS)
    return case


def test_totals_csv_has_one_row_per_amount_with_plain_numbers(tables, cli):
    result = cli("totals", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(AMOUNT_COLUMNS)
    found = {row["claim"]: row for row in rows(result.stdout)}
    assert list(found) == ["C2", "C3", "C4", "G1"]
    c2 = found["C2"]
    assert (c2["value"], c2["currency"], c2["value_gbp"]) == ("7000000", "GBP", "7000000")
    assert (c2["role"], c2["qualifier"], c2["section"], c2["stated"]) == (
        "counted",
        "exact",
        "4.1",
        "£7m",
    )
    assert (c2["period_start"], c2["period_end"]) == ("2019-04", "2020")
    assert (c2["sources"], c2["citations"]) == ("E1", "E1 p2")
    assert (c2["counted"], c2["headline"], c2["corroborated"]) == ("true", "H1", "true")
    assert c2["file"] == "claims.yaml" and int(c2["line"]) == tables.line_of(
        "amount: {role: counted, value: 7000000"
    )
    assert found["C4"]["counted"] == "false" and "part of C2" in found["C4"]["reason"]
    assert found["G1"]["value"] == "88194.45" and found["G1"]["period_start"] == "2018-11"
    assert not any("£" in row["value"] or "," in row["value"] for row in found.values())


def test_sources_csv_joins_ids_with_semicolons(tables, cli):
    result = cli("sources", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(SOURCE_COLUMNS)
    found = {row["id"]: row for row in rows(result.stdout)}
    assert set(found) == {"E1", "E2", "R1", "G1"}
    assert found["E1"]["cited_by"] == "C2;C4"
    assert (found["E1"]["register"], found["E1"]["kind"]) == ("source", "testimonial")
    assert found["E2"]["url"] == "https://example.org/r"
    assert found["R1"]["doi"] == "10.1000/xyz" and found["G1"]["kind"] == "grant"


def test_check_csv_has_one_row_per_finding_with_its_place(tables, cli):
    tables.edit("evidence: [E2]", "evidence: [E9]")
    result = cli("check", "--format", "csv")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == ",".join(FINDING_COLUMNS)
    unknown = [row for row in rows(result.stdout) if row["code"] == "HLS102"]
    assert len(unknown) == 1
    row = unknown[0]
    assert (row["severity"], row["claim"], row["subject"], row["file"]) == (
        "error",
        "C3",
        "C3",
        "claims.yaml",
    )
    assert int(row["line"]) == tables.line_of("evidence: [E9]") and int(row["column"]) > 0
    assert "E9" in row["message"]


def test_a_formula_in_user_text_is_quoted_but_numbers_stay_numbers(tables, cli):
    result = cli("totals", "--format", "csv")
    c2 = next(row for row in rows(result.stdout) if row["claim"] == "C2")
    assert c2["organisation"] == "'=SUM(A1:A9)"
    for risky in ("=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx"):
        assert safe_text(risky).startswith("'"), risky
    assert safe_text("a = b") == "a = b"


def _xlsx(command: str, target: Path) -> object:
    from tests.conftest import run_cli

    result = run_cli(command, "--output", str(target))
    assert result.exit_code in (0, 1), result.output  # check fails: H1 is above the total
    return openpyxl.load_workbook(target)


def test_totals_xlsx_is_typed_and_adds_up_to_the_json(tables, cli, tmp_path):
    book = _xlsx("totals", tmp_path / "totals.xlsx")
    assert book.sheetnames == ["Amounts", "Subtotals", "Headlines"]
    amounts = book["Amounts"]
    assert amounts.freeze_panes == "A2"
    header = [cell.value for cell in amounts[1]]
    assert header == AMOUNT_COLUMNS
    col = {name: index for index, name in enumerate(header)}
    data = list(amounts.iter_rows(min_row=2))
    counted = [r for r in data if r[col["counted"]].value is True]
    total = sum(Decimal(str(r[col["value_gbp"]].value)) for r in counted)
    report = json.loads(cli("totals", "--format", "json").stdout)
    assert total == Decimal(report["headlines"][0]["total"]["central"]) == Decimal(11_000_000)
    c2 = next(r for r in data if r[col["claim"]].value == "C2")
    assert isinstance(c2[col["value"]].value, int | float)
    assert c2[col["value"]].number_format == "£#,##0"
    assert c2[col["period_start"]].is_date and c2[col["period_start"]].number_format == "mmm yyyy"
    assert c2[col["period_end"]].is_date and c2[col["period_end"]].number_format == "yyyy"
    assert c2[col["line"]].data_type == "n"
    grant = next(r for r in data if r[col["claim"]].value == "G1")
    assert grant[col["value"]].value == pytest.approx(88194.45)
    assert grant[col["value"]].number_format == "£#,##0.00"
    organisation = c2[col["organisation"]]
    assert (organisation.value, organisation.data_type) == ("=SUM(A1:A9)", "s")
    assert organisation.quotePrefix
    headlines = book["Headlines"]
    hcol = {cell.value: index for index, cell in enumerate(headlines[1])}
    (h1,) = list(headlines.iter_rows(min_row=2))
    assert h1[hcol["margin"]].value == -1_000_000  # a negative number, not quoted text
    assert h1[hcol["verdict"]].value == report["headlines"][0]["verdict"]
    assert all(book[name].column_dimensions["A"].width > 0 for name in book.sheetnames)


def test_sources_and_check_xlsx_have_their_sheets(tables, tmp_path):
    sources = _xlsx("sources", tmp_path / "sources.xlsx")
    assert sources.sheetnames == ["Sources"]
    assert [c.value for c in sources["Sources"][1]] == SOURCE_COLUMNS
    check = _xlsx("check", tmp_path / "check.xlsx")
    assert check.sheetnames == ["Findings", "Headlines"]
    assert check["Findings"].freeze_panes == "A2"
    assert [c.value for c in check["Findings"][1]] == FINDING_COLUMNS


def _invoke(*args: str, env: dict[str, str] | None = None):
    base = {"NO_COLOR": "1", "COLUMNS": "200", "TTY_COMPATIBLE": "", "FORCE_COLOR": ""}
    return CliRunner().invoke(app, list(args), env={**base, **(env or {})})


def test_xlsx_goes_to_a_pipe_but_never_to_a_terminal(tables):
    piped = _invoke("totals", "--format", "xlsx")
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK")
    shown = _invoke("totals", "--format", "xlsx", env={"TTY_COMPATIBLE": "1"})
    assert shown.exit_code == 2 and "--output FILE.xlsx" in shown.stderr
    assert _invoke("check", "--format", "xlsx", env={"TTY_COMPATIBLE": "1"}).exit_code == 2


def test_without_xlsxwriter_xlsx_exits_2_naming_the_extra(tables, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    for command in ("totals", "sources", "check"):
        result = _invoke(command, "--output", str(tmp_path / "out.xlsx"))
        assert result.exit_code == 2, (command, result.output)
        assert "pip install 'hls-audit[xlsx]'" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("command", ["totals", "sources"])
def test_output_writes_the_suffixs_format_and_shows_the_table(tables, cli, command):
    for name, check in (
        ("out.json", lambda text: json.loads(text)["format"] == f"hls-audit/{command}"),
        ("out.md", lambda text: text.startswith(f"## hls-audit {command}: ")),
        ("out.csv", lambda text: text.split(",", 1)[0] in ("claim", "id")),
        ("out.txt", lambda text: "=====" in text),
    ):
        result = cli(command, "-o", name)
        assert result.exit_code == 0, result.output
        assert check(Path(name).read_text(encoding="utf-8")), name
        assert "=====" in result.stdout  # the terminal still shows the table (plain off a TTY)
    assert cli(command, "-o", "report.bin").exit_code == 2


@pytest.mark.parametrize("command", ["totals", "sources"])
def test_output_never_replaces_an_input(tables, cli, command):
    before = Path("claims.yaml").read_bytes()
    result = cli(command, "--format", "json", "-o", "claims.yaml")
    assert result.exit_code == 2 and "overwrite an input" in result.stderr
    assert Path("claims.yaml").read_bytes() == before
    into = cli(command, "-o", "evidence/report.csv")
    assert into.exit_code == 2 and not Path("evidence/report.csv").exists()
    xlsx = cli(command, "--format", "xlsx", "-o", "evidence/E1.yaml")
    assert xlsx.exit_code == 2 and "E1" in Path("evidence/E1.yaml").read_text(encoding="utf-8")


def test_output_to_standard_output_prints_only_the_report(tables, cli):
    result = cli("totals", "--format", "csv", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == ",".join(AMOUNT_COLUMNS)
    assert "=====" not in result.stdout


def test_a_portfolio_refuses_output_and_the_new_formats(tmp_path, cli):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "claims.yaml").write_text(MINIMAL_CLAIMS, encoding="utf-8")
    for args in (["-o", str(tmp_path / "x.json")], ["--format", "csv"], ["--format", "xlsx"]):
        result = cli("totals", str(tmp_path), *args)
        assert result.exit_code == 2, (args, result.output)
        assert "a portfolio is reported as" in result.stderr


def test_totals_and_sources_markdown_escape_what_the_author_wrote(case, cli):
    case(
        claims=MINIMAL_CLAIMS.replace(
            "statement: A council", 'organisation: "A|B *C* @team"\n    statement: A council'
        )
    )
    out = cli("totals", "--format", "markdown").stdout
    assert out.startswith("## hls-audit totals: A small case study")
    assert "### Money" in out and "### Subtotals by role" in out and "### Headlines" in out
    assert "| C2 | A\\|B \\*C\\* @&#8203;team |" in out
    assert "| **H1** | **more than** | **£10,000,000** | **£11,000,000** |" in out  # proven
    assert "| ---: |" in out  # amounts right-aligned
    sources = cli("sources", "--format", "markdown").stdout
    assert "### Evidence register" in sources and "| E1 | testimonial |" in sources
    assert sources.rstrip().splitlines()[-1].startswith("Evidence: ")
