"""A narrative in Word or PDF reads like its text: paragraphs apart, headings and table rows on
lines of their own, wrapped lines joined, running headers and footers left out."""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal

import pytest

from hls_audit.documents.extract import DocxBlock, ListLevel, PdfLine, extract_layout
from hls_audit.io.files import Folder
from hls_audit.narrative.analysis import Narrative, load_narrative, parse_narrative
from hls_audit.narrative.header import header_fields, staff_rows
from hls_audit.narrative.layout import docx_text, extract_narrative, pdf_text
from hls_audit.narrative.sentences import paragraph_span
from tests.test_narrative_checks import NARRATIVE

SECTIONS = ["A", "1", "2", "3", "4", "5"]
HEADER = "Impact case study (REF3)"

# --- a case study in Word ----------------------------------------------------------------------


def make_case_docx() -> bytes:
    """A short invented case study as Word writes it: heading styles, a bold heading, lists,
    a staff table, a table inside section 4 and the sources table; a running header."""
    from docx import Document

    document = Document()
    document.sections[0].header.paragraphs[0].text = HEADER
    fields = document.add_table(rows=2, cols=2)  # the template's header: label, then value
    for row, cells in enumerate(
        [("Institution:", "University of Calderbrook"), ("Unit of Assessment:", "12 Engineering")]
    ):
        for column, text in enumerate(cells):
            fields.cell(row, column).text = text
    document.add_paragraph("Title of case study: Quieter pumps for hill-farm water supplies")
    document.add_paragraph("Period when the underpinning research was undertaken: 2015 - 2019")
    document.add_paragraph(
        "Details of staff conducting the underpinning research from the submitting unit:"
    )
    staff = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(
        [
            ("Name(s):", "Role(s) (e.g. job title):", "Period(s) employed by submitting HEI:"),
            ("Iris Penhallow", "Professor of Fluid Machines", "2009 - present"),
            ("Tomas Rudd", "Research Fellow", "2016 - 2019"),
        ]
    ):
        for column, text in enumerate(cells):
            staff.cell(row, column).text = text
    document.add_paragraph("Period when the claimed impact occurred: 2017 - 2020")

    document.add_heading("1. Summary of the impact", level=1)
    document.add_paragraph(
        "Calderbrook's pump designs now run on upland farms in three counties, saving their "
        "owners £1.2 million in electricity a year [E1, E2]."
    )
    bold = document.add_paragraph()
    bold.add_run("2. Underpinning research").bold = True
    document.add_paragraph("Penhallow's group measured why small impellers waste power [R1].")
    document.add_paragraph("A second study changed the blade shape and halved the noise [R2].")
    document.add_paragraph("The work had three parts:")
    document.add_paragraph("bench tests on forty pumps;", style="List Bullet")
    document.add_paragraph("a model of the flow at low speed;", style="List Bullet")
    document.add_paragraph("field trials on two farms.", style="List Bullet")
    document.add_heading("3. References to the research", level=1)
    document.add_paragraph("R1. Penhallow, I. (2016) Losses in small impellers. J. Pumps 4, 1-9.")
    document.add_paragraph("R2. Penhallow, I. and Rudd, T. (2018) Quiet blades. J. Pumps 6, 2-8.")
    document.add_heading("4. Details of the impact", level=1)
    document.add_paragraph("Two makers adopted the design:", style="List Number")
    document.add_paragraph("Brackenfold Engineering in 2017 [E1];", style="List Number")
    document.add_paragraph("Tarn Valley Pumps in 2019 [E2].", style="List Number")
    savings = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Year", "Saving"), ("2018", "£300,000"), ("2019", "£900,000")]):
        for column, text in enumerate(cells):
            savings.cell(row, column).text = text
    document.add_heading("5. Sources to corroborate the impact", level=1)
    sources = document.add_table(rows=3, cols=2)
    for row, cells in enumerate(
        [
            ("Ref", "Source"),
            ("E1", "Letter from the engineering director, Brackenfold Engineering"),
            ("E2", "Sales figures of Tarn Valley Pumps, 2019-2020"),
        ]
    ):
        for column, text in enumerate(cells):
            sources.cell(row, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_narrative() -> Narrative:
    extracted = extract_narrative(make_case_docx(), "case.docx")
    assert extracted.error is None
    (text,) = extracted.pages
    return parse_narrative(text, "case.docx")


def test_a_docx_keeps_its_paragraphs_headings_and_list_items_apart():
    narrative = docx_narrative()
    text = narrative.text
    lines = text.splitlines()
    for heading in ("1. Summary of the impact", "2. Underpinning research"):
        assert heading in lines  # on a line of its own, bold or Heading styled
    first = text.index("Penhallow's group")
    second = text.index("A second study")
    assert paragraph_span(text, first) != paragraph_span(text, second)
    assert text[paragraph_span(text, first)[1] :].startswith("\n\nA second study")
    assert "- bench tests on forty pumps;" in lines  # a bullet, one line each
    assert "- field trials on two farms." in lines
    for item in ("1. Two makers", "2. Brackenfold Engineering", "3. Tarn Valley Pumps"):
        assert any(line.startswith(item) for line in lines)  # numbered as Word numbers them


def test_a_docx_table_is_one_line_per_row_with_bars_between_cells():
    narrative = docx_narrative()
    lines = narrative.text.splitlines()
    fields = {f.key: f.value for f in header_fields(narrative.text)}
    assert fields["institution"] == "University of Calderbrook"  # a label's row reads as one
    assert fields["unit"] == "12 Engineering"
    assert "Iris Penhallow | Professor of Fluid Machines | 2009 - present" in lines
    assert "Tomas Rudd | Research Fellow | 2016 - 2019" in lines
    assert [(r.name, r.role, r.period) for r in staff_rows(narrative.text)] == [
        ("Iris Penhallow", "Professor of Fluid Machines", "2009 - present"),
        ("Tomas Rudd", "Research Fellow", "2016 - 2019"),
    ]
    assert "2018 | £300,000" in lines  # a table inside section 4
    assert "E2 | Sales figures of Tarn Valley Pumps, 2019-2020" in lines
    sources = [(e.id, e.kind) for e in narrative.register if e.kind == "source"]
    assert sources == [("E1", "source"), ("E2", "source")]


def test_a_docx_is_read_whole_sections_money_and_markers():
    narrative = docx_narrative()
    assert [s.number for s in narrative.section_list] == SECTIONS
    assert HEADER not in narrative.text  # Word's running header is not the body's
    values = {m.value for m in narrative.money}
    assert {Decimal(1200000), Decimal(300000), Decimal(900000)} <= values
    cited = {cite.source for marker in narrative.markers for cite in marker.ids}
    assert {"E1", "E2", "R1", "R2"} <= cited
    assert narrative.words("1") == 22


def test_word_numbering_is_drawn_as_word_draws_it():
    levels = {
        "7": {0: ListLevel("decimal", "%1.", 3), 1: ListLevel("lowerLetter", "%1.%2)")},
        "8": {0: ListLevel("upperRoman", "(%1)")},
    }
    blocks = [
        DocxBlock("first", numbering=("7", 0)),
        DocxBlock("inner", numbering=("7", 1)),
        DocxBlock("inner again", numbering=("7", 1)),
        DocxBlock("second", numbering=("7", 0)),
        DocxBlock("inner restarts", numbering=("7", 1)),
        DocxBlock("roman", numbering=("8", 0)),
        DocxBlock("roman", numbering=("8", 0)),
        DocxBlock("no such list", numbering=("9", 0)),
    ]
    assert docx_text(blocks, levels).split("\n\n") == [
        "3. first",
        "3.a) inner",
        "3.b) inner again",
        "4. second",
        "4.a) inner restarts",
        "(I) roman",
        "(II) roman",
        "- no such list",
    ]


def test_soft_line_breaks_stay_in_a_paragraph_but_not_in_a_heading():
    blocks = [
        DocxBlock("1. Summary of\nthe impact", style="heading 1"),
        DocxBlock("Short and bold\ntitle", bold=True),
        DocxBlock("One line,\nand the next."),
        DocxBlock("", cells=("a", "", "")),
        DocxBlock("   "),
    ]
    assert docx_text(blocks, {}) == (
        "1. Summary of the impact\n\nShort and bold title\n\nOne line,\nand the next.\n\na"
    )


# --- a case study in PDF -----------------------------------------------------------------------

TOP, LEADING, BODY, TITLE = 780, 14, 10, 16
# Each page: lines as (text, font size); None leaves a gap of one line between paragraphs.
PAGES: list[list[tuple[str, int] | None]] = [
    [
        ("Institution: University of Calderbrook", BODY),
        ("Unit of Assessment: 12 Engineering", BODY),
        ("Title of case study: Quieter pumps for hill-farm", BODY),
        ("water supplies", BODY),
        None,
        ("1. Summary of the impact", TITLE),
        None,
        ("Calderbrook's pump designs now run on upland farms in three counties, saving £1.2", BODY),
        ("million in electricity a year [E1,", BODY),
        ("E2]. Two makers build them under licence, and the design is now well-", BODY),
        ("known among farm engineers.", BODY),
        None,
        ("2. Underpinning research", TITLE),
        None,
        ("Penhallow's group measured why small impellers waste power between 2015-", BODY),
        ("2016 and built a computer model of the flow at low speed [R1]. The model was", BODY),
        ("checked against forty pumps on a test bench in Calderbrook.", BODY),
        ("A second study changed the blade shape and halved the noise [R2].", BODY),
    ],
    [
        ("3. References to the research", TITLE),
        None,
        ("R1. Penhallow, I. (2016) Losses in small impellers. Journal of Pumps 4, 1-9.", BODY),
        ("R2. Penhallow, I. and Rudd, T. (2018) Quiet blades for small pumps. Journal of", BODY),
        ("Pumps 6, 2-8.", BODY),
        None,
        ("4. Details of the impact (indicative maximum", TITLE),
        ("750 words)", TITLE),
        None,
        ("Brackenfold Engineering adopted the quieter blade in 2017 and has sold it since", BODY),
        ("[E1]. Tarn Valley Pumps followed in 2019, and both use the compu-", BODY),
        ("ter model when they size a new pump [E2].", BODY),
    ],
    [
        ("5. Sources to corroborate the impact", TITLE),
        None,
        ("E1. Letter from the engineering director, Brackenfold Engineering.", BODY),
        ("E2. Sales figures of Tarn Valley Pumps, 2019-2020.", BODY),
    ],
]
# The same case study as plain text: what the PDF must read as, less its header and footer.
PLAIN = """\
Institution: University of Calderbrook

Unit of Assessment: 12 Engineering

Title of case study: Quieter pumps for hill-farm water supplies

1. Summary of the impact

Calderbrook's pump designs now run on upland farms in three counties, saving £1.2 million in \
electricity a year [E1, E2]. Two makers build them under licence, and the design is now \
well-known among farm engineers.

2. Underpinning research

Penhallow's group measured why small impellers waste power between 2015-2016 and built a \
computer model of the flow at low speed [R1]. The model was checked against forty pumps on a \
test bench in Calderbrook.

A second study changed the blade shape and halved the noise [R2].

3. References to the research

R1. Penhallow, I. (2016) Losses in small impellers. Journal of Pumps 4, 1-9.

R2. Penhallow, I. and Rudd, T. (2018) Quiet blades for small pumps. Journal of Pumps 6, 2-8.

4. Details of the impact (indicative maximum 750 words)

Brackenfold Engineering adopted the quieter blade in 2017 and has sold it since [E1]. Tarn \
Valley Pumps followed in 2019, and both use the computer model when they size a new pump [E2].

5. Sources to corroborate the impact

E1. Letter from the engineering director, Brackenfold Engineering.

E2. Sales figures of Tarn Valley Pumps, 2019-2020."""


def make_pdf(pages: list[list[tuple[str, int] | None]], running: bool = True) -> bytes:
    """Pages drawn line by line, as a word processor wraps them, with a running header and a
    page number at the foot of each page (drawn first, as many writers do)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, lines in enumerate(pages, start=1):
        if running:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(72, 810, HEADER)
            pdf.drawString(290, 30, f"Page {number}")
        y = TOP
        for line in lines:
            if line is not None:
                text, size = line
                pdf.setFont("Helvetica-Bold" if size == TITLE else "Helvetica", size)
                pdf.drawString(72, y, text)
            y -= LEADING
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_narrative(pages: list[list[tuple[str, int] | None]] = PAGES) -> Narrative:
    extracted = extract_narrative(make_pdf(pages), "case.pdf")
    assert extracted.error is None
    (text,) = extracted.pages
    return parse_narrative(text, "case.pdf")


def test_a_pdf_reads_as_its_text():
    assert pdf_narrative().text == PLAIN


def test_a_pdf_finds_the_five_sections_and_a_wrapped_title():
    narrative = pdf_narrative()
    assert [s.number for s in narrative.section_list] == SECTIONS
    titles = {s.number: s.title for s in narrative.section_list}
    assert titles["4"] == "Details of the impact"


def test_a_figure_and_a_marker_wrapped_across_lines_are_read_whole():
    narrative = pdf_narrative()
    (first, *_) = narrative.money
    assert (first.text, first.value) == ("£1.2 million", Decimal(1200000))
    marker = narrative.markers[0]
    assert marker.text == "[E1, E2]"
    assert [cite.source for cite in marker.ids] == ["E1", "E2"]


def test_running_headers_and_page_numbers_are_not_counted():
    narrative = pdf_narrative()
    assert "Impact case study" not in narrative.text and "Page" not in narrative.text
    plain = parse_narrative(PLAIN, "case.txt")
    assert {s: narrative.words(s) for s in SECTIONS} == {s: plain.words(s) for s in SECTIONS}
    # read as pypdf gives it, the next page's header and number land in section 2's count
    raw = parse_narrative("\n\n".join(extract_layout_pages(make_pdf(PAGES))), "case.pdf")
    assert HEADER in raw.sections["2"] and raw.words("2") > plain.words("2")


def extract_layout_pages(data: bytes) -> list[str]:
    layout = extract_layout(data, "case.pdf")
    return ["\n".join(line.text for line in page) for page in layout.lines]


def test_line_ends_with_hyphens_keep_them_unless_a_word_is_plainly_split():
    text = pdf_narrative().text
    assert "between 2015-2016 and" in text  # a range
    assert "now well-known among" in text  # a hyphenated word broken at its hyphen
    assert "use the computer model" in text  # "computer" is elsewhere, "compu-ter" is not


def test_without_gaps_paragraphs_end_at_short_lines_that_end_a_sentence():
    tight = [[line for line in page if line is not None] for page in PAGES]
    narrative = pdf_narrative(tight)
    assert narrative.text == PLAIN
    assert [s.number for s in narrative.section_list] == SECTIONS


def test_a_pdf_with_one_page_keeps_what_could_be_a_footer():
    one = make_pdf([PAGES[2]])
    text = extract_narrative(one, "case.pdf").pages[0]
    assert text.startswith(HEADER) and "Page 1" in text


def test_lines_at_one_height_are_a_table_row():
    lines = [
        PdfLine("Name", 72, 700, 10),
        PdfLine("Role", 200, 700, 10),
        PdfLine("Period", 320, 700, 10),
        PdfLine("Iris Penhallow", 72, 686, 10),
        PdfLine("Professor of Fluid", 200, 686, 10),
        PdfLine("Machines", 200, 674, 10),  # the cell's text wraps
        PdfLine("2009 - present", 320, 686, 10),
        PdfLine("The staff above did the work.", 72, 650, 10),
    ]
    assert pdf_text([lines]).split("\n\n") == [
        "Name | Role | Period",
        "Iris Penhallow | Professor of Fluid Machines | 2009 - present",
        "The staff above did the work.",
    ]
    label = [
        PdfLine("Institution:", 72, 700, 10),
        PdfLine("University of Calderbrook", 200, 700, 10),
    ]
    assert pdf_text([label]) == "Institution: University of Calderbrook"


def line(text: str) -> PdfLine:
    return PdfLine(text)  # no position: the text alone decides


WIDE = "A line of prose that runs the whole width of the page, as wrapped lines do, and then"


URL_LINE = "The figures are in the council's own report of that year, https://example.org/reports/"


@pytest.mark.parametrize(
    ("lines", "paragraphs"),
    [
        ([WIDE, "some more."], [WIDE + " some more."]),
        ([WIDE, "[E2] Letter from the council."], [WIDE + " [E2] Letter from the council."]),
        (["Ends a sentence.", "[E2] Letter."], ["Ends a sentence.", "[E2] Letter."]),
        (["E1. Letter from a council", "E2. Report"], ["E1. Letter from a council", "E2. Report"]),
        (
            ["Budgets grew (R1, R2,", "R3) in two towns."],
            ["Budgets grew (R1, R2, R3) in two towns."],
        ),
        (
            ["Steps:", "- plan;", "- build;", "- check."],
            ["Steps:", "- plan;", "- build;", "- check."],
        ),
        ([WIDE, "- the council's - largest."], [WIDE + " - the council's - largest."]),
        (
            ["1. Summary of the impact", "Budgets grew."],
            ["1. Summary of the impact", "Budgets grew."],
        ),
        (["4.1 Brambleford", "Budgets grew."], ["4.1 Brambleford", "Budgets grew."]),
        ([WIDE, "2. The second item."], [WIDE, "2. The second item."]),
        ([URL_LINE, "annual-2020.pdf in full."], [URL_LINE + "annual-2020.pdf in full."]),
    ],
)
def test_where_text_alone_decides_a_paragraph(lines, paragraphs):
    page = [line(text) for text in [*lines, WIDE, WIDE]]  # full lines: the page's width
    assert pdf_text([page]).split("\n\n") == [*paragraphs, WIDE + " " + WIDE]


def test_footers_are_compared_with_their_digits_alike():
    bodies = ["The council moved its budget.", "A trust followed.", "Both still use it."]
    pages = [
        [line(f"Page {n} of 3"), line(body), line("Impact case study")]
        for n, body in enumerate(bodies, start=1)
    ]
    text = pdf_text(pages)
    assert "Page" not in text and "Impact" not in text
    assert all(body in text for body in bodies)


# --- the command line, and limits ----------------------------------------------------------------


def narrative_pdf(text: str) -> bytes:
    """The fixture narrative wrapped at about 60 characters, over pages of 14 lines."""
    import textwrap

    lines: list[tuple[str, int] | None] = []
    for paragraph in text.split("\n\n"):
        for row in paragraph.splitlines():
            lines.extend((wrapped, BODY) for wrapped in textwrap.wrap(row, 60))
        lines.append(None)
    return make_pdf([lines[start : start + 14] for start in range(0, len(lines), 14)])


def test_the_narrative_command_reads_a_pdf_as_its_text(case, cli):
    case()
    (case.root / "case.txt").write_text(NARRATIVE, encoding="utf-8")
    (case.root / "case.pdf").write_bytes(narrative_pdf(NARRATIVE))
    reports = {}
    for name in ("case.txt", "case.pdf"):
        result = cli("narrative", name, "--format", "json")
        assert result.exit_code == 0, result.output
        reports[name] = json.loads(result.stdout)
    text, pdf = reports["case.txt"], reports["case.pdf"]
    assert pdf["findings"] == []
    assert [(s["number"], s["words"]) for s in pdf["sections"]] == [
        (s["number"], s["words"]) for s in text["sections"]
    ]
    assert sorted(m["value"] for m in pdf["money"]) == sorted(m["value"] for m in text["money"])


def test_load_narrative_reads_a_docx_through_the_door(tmp_path):
    (tmp_path / "case.docx").write_bytes(make_case_docx())
    folder = Folder(tmp_path.resolve())
    narrative = load_narrative(tmp_path.resolve() / "case.docx", "case.docx", folder)
    assert [s.number for s in narrative.section_list] == SECTIONS
    assert "Tomas Rudd | Research Fellow | 2016 - 2019" in narrative.text.splitlines()


def test_a_docx_narrative_keeps_the_paragraph_limit(monkeypatch):
    import hls_audit.documents.extract

    monkeypatch.setattr(hls_audit.documents.extract, "MAX_DOCX_PARAGRAPHS", 10)
    extracted = extract_narrative(make_case_docx(), "case.docx")
    assert extracted.error == "cannot be read as DOCX: holds more than 10 paragraphs"


def test_damaged_files_are_errors_not_crashes():
    assert "cannot be read as PDF" in (extract_narrative(b"%PDF-1.4 junk", "a.pdf").error or "")
    assert "cannot be read as DOCX" in (extract_narrative(b"PK junk", "a.docx").error or "")
    assert extract_layout(b"text", "a.txt").error


def test_tables_nested_deeper_than_the_limit_are_read_as_text():
    from docx import Document

    document = Document()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    for depth in range(30):
        cell.paragraphs[0].text = f"level {depth}"
        cell = cell.add_table(rows=1, cols=2).cell(0, 0)
    buffer = io.BytesIO()
    document.save(buffer)
    extracted = extract_narrative(buffer.getvalue(), "deep.docx")
    assert extracted.error is None
    assert "level 0" in extracted.pages[0] and "level 29" in extracted.pages[0]


def test_long_narratives_are_read_in_linear_time():
    def pdf_seconds(count: int) -> float:
        page = [PdfLine(f"{WIDE} {n}", 72, 800 - 12 * (n % 60), 10) for n in range(count)]
        started = time.perf_counter()
        pdf_text([page])
        return time.perf_counter() - started

    one_long_line = [PdfLine("x" * 2_000_000 + "-"), PdfLine("y" * 10)]
    started = time.perf_counter()
    assert pdf_text([one_long_line]).endswith("-" + "y" * 10)
    assert time.perf_counter() - started < 5
    small, large = pdf_seconds(5_000), pdf_seconds(50_000)
    assert large < 30 * small + 0.5  # ten times the lines: about ten times the time
