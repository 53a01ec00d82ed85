"""A case study written in the REF3 Word template (Section A as a table or as bold labels, the
staff as a three-column table, sections 1-5, sources as a "Ref. | Source | Link to impact"
table) is read whole, from Word and from a PDF of it: every staff row with its role and dates,
every register entry with its kind, every money figure and the Section A fields.

The documents are built from the bundled case study's facts (claims.yaml and evidence/*.yaml:
names, roles, dates, ids, titles, figures), joined by words of these tests' own.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from hls_audit.io.files import Folder
from hls_audit.narrative.analysis import Narrative, load_narrative
from hls_audit.narrative.header import header_fields, staff_rows

REPO = Path(__file__).resolve().parent.parent

CLAIMS: dict[str, Any] = yaml.safe_load((REPO / "claims.yaml").read_text(encoding="utf-8"))
RECORDS: dict[str, dict[str, Any]] = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((REPO / "evidence").glob("*.yaml"))
}
STUDY: dict[str, Any] = CLAIMS["case_study"]
KINDS = {"R": "reference", "E": "source", "G": "grant"}


def _ordered(ids: list[str]) -> list[str]:
    def key(identifier: str) -> tuple[str, int, str]:
        found = re.fullmatch(r"([A-Z]+)(\d+)([a-z]?)", identifier)
        assert found, identifier
        return found[1], int(found[2]), found[3]

    return sorted(ids, key=key)


def _written(day: str) -> str:
    """A date of claims.yaml as the template's staff table writes it: 01/11/2018, 10/2019."""
    return "/".join(reversed(day.split("-")))


def _employed(person: dict[str, Any]) -> str:
    employed = person["employed"]
    end = _written(employed["end"]) if "end" in employed else "Present"
    return f"{_written(employed['start'])} - {end}"


def _money() -> list[tuple[str, Decimal]]:
    """Every money figure of claims.yaml with a value: as stated, and its value."""
    found: list[tuple[str, Decimal]] = []
    for claim in CLAIMS["claims"]:
        amount = claim.get("amount")
        if amount and "value" in amount:
            found.append((str(amount["stated"]), Decimal(str(amount["value"]))))
    for grant in CLAIMS["grants"]:
        found.append((str(grant["stated"]), Decimal(str(grant["value"]))))
    return found


MONEY = _money()


def _staff_period(row_period: str) -> dict[str, str]:
    """A staff row's period as claims.yaml's ``employed``."""
    start, _, end = (part.strip() for part in row_period.partition(" - "))

    def day(text: str) -> str:
        return "-".join(reversed(text.split("/")))

    return {"start": day(start)} | ({} if end.lower() == "present" else {"end": day(end)})


# --- the document, as blocks a writer of Word or PDF draws -----------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "label" (a bold label and its value), "para", "table"
    text: str = ""
    value: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Variant:
    section_a: str  # "table": label | value rows; "bold": bold label paragraphs
    headings: str  # "styles": Heading 1; "bold": bold paragraphs
    references: str  # "numbered": "R1. ..."; "plain": "R1 ..." paragraphs
    ref_column: str = "Ref."  # the sources table's first heading
    staff_header: int = 1  # the staff table's heading row, over one row or two


VARIANTS = [
    Variant("table", "styles", "numbered"),
    Variant("bold", "bold", "plain"),
    Variant("table", "bold", "numbered", ref_column="No.", staff_header=2),
]

STAFF_LABEL = "Details of staff conducting the underpinning research from the submitting unit:"
STAFF_HEADER = ("Name(s):", "Role(s) (e.g. job title):", "Period(s) employed by\nsubmitting HEI:")
STAFF_HEADER_ROWS = (
    ("Name(s):", "Role(s) (e.g. job", "Period(s) employed by"),
    ("", "title):", "submitting HEI:"),
)


def _section_a() -> list[tuple[str, str]]:
    unit = STUDY["unit"]
    research = STUDY["research_period"]
    return [
        ("Institution:", STUDY["institution"]),
        ("Unit of Assessment:", f"{unit['number']} ({unit['name']})"),
        ("Title of case study:", STUDY["title"]),
        (
            "Period when the underpinning research was undertaken:",
            f"{research['start']} - {research['end']}",
        ),
    ]


def _section_a_after() -> list[tuple[str, str]]:
    impact = STUDY["impact_period"]
    return [
        ("Period when the claimed impact occurred:", f"{impact['start']} - {impact['end']}"),
        (
            "Is this case study continued from a case study submitted in 2014?",
            "Yes" if STUDY["continued_from_2014"] else "No",
        ),
    ]


def _staff_table(variant: Variant) -> Block:
    header = [STAFF_HEADER] if variant.staff_header == 1 else list(STAFF_HEADER_ROWS)
    rows = header + [
        (person["name"], person["role"], _employed(person)) for person in STUDY["staff"]
    ]
    return Block("table", rows=tuple(rows))


def _reference(identifier: str) -> str:
    record = RECORDS[identifier]
    authors = ", ".join(record.get("authors", []))
    return f"{authors} ({record['date']}) '{record['title']}'. {record['venue']}."


def _source_text(identifier: str) -> str:
    parts = [name for name in _ordered(list(RECORDS)) if RECORDS[name].get("part_of") == identifier]
    if parts:
        return " and ".join(
            f"{name[len(identifier) :]}) {RECORDS[name]['title']}" for name in parts
        )
    return str(RECORDS[identifier]["title"])


def _link(identifier: str) -> str:
    """The third column: whom the claims citing the source (or its parts) are about."""
    about: list[str] = []
    for claim in CLAIMS["claims"]:
        cited = [
            source if isinstance(source, str) else source["source"] for source in claim["evidence"]
        ]
        if any(re.fullmatch(rf"{identifier}[ab]?", source) for source in cited):
            who = claim.get("organisation", "the research")
            if who not in about:
                about.append(who)
    return f"Bears out what is said of {' and '.join(about) or 'the research'}"


def _sources(variant: Variant) -> Block:
    wholes = sorted(
        {record.get("part_of") or name for name, record in RECORDS.items() if name[0] == "E"}
    )
    rows = [(variant.ref_column, "Source", "Link to impact")]
    for identifier in _ordered(wholes):
        rows.append((identifier, _source_text(identifier), _link(identifier)))
    return Block("table", rows=tuple(rows))


def _impact_prose() -> list[Block]:
    """Section 4: each money figure in a sentence of its own, the organisation named and the
    sources cited; the last two in a table."""
    blocks: list[Block] = []
    stated = {amount["stated"] for amount, _ in _amount_claims()}
    in_table: list[tuple[str, str]] = []
    for amount, claim in _amount_claims():
        who = claim.get("organisation", "A partner")
        cites = ", ".join(
            source if isinstance(source, str) else source["source"] for source in claim["evidence"]
        )
        if len(in_table) < 2 and amount["role"] == "part":
            in_table.append((who, amount["stated"]))
            continue
        blocks.append(
            Block("para", f"For {who} the account puts the sum at {amount['stated']} [{cites}].")
        )
    assert len(stated) >= 10
    rows = [("Partner", "Amount"), *in_table]
    blocks.append(Block("table", rows=tuple(rows)))
    return blocks


def _amount_claims() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (claim["amount"], claim)
        for claim in CLAIMS["claims"]
        if claim.get("amount") and "value" in claim["amount"]
    ]


def blocks(variant: Variant) -> list[Block]:
    out: list[Block] = []
    if variant.section_a == "table":
        out.append(Block("table", rows=tuple(_section_a())))
        out.append(Block("table", rows=((STAFF_LABEL, ""),)))
    else:
        out.extend(Block("label", label, value) for label, value in _section_a())
        out.append(Block("label", STAFF_LABEL))
    out.append(_staff_table(variant))
    if variant.section_a == "table":
        out.append(Block("table", rows=tuple(_section_a_after())))
    else:
        out.extend(Block("label", label, value) for label, value in _section_a_after())

    out.append(Block("heading", "1. Summary of the impact"))
    headline = CLAIMS["headlines"][0]
    out.append(
        Block(
            "para",
            f"Councils, NHS bodies and foundations took up the approach; the sum they now "
            f"manage under it exceeds {headline['statement'].split('exceeds ')[1].rstrip('.')} "
            f"[E1, E3, E10].",
        )
    )
    out.append(Block("heading", "2. Underpinning research"))
    grants = CLAIMS["grants"]
    out.append(
        Block(
            "para",
            "The group's studies of commissioning [R1, R2, R3] were paid for by grants: "
            + "; ".join(
                f"{g['funder']} gave {g['stated']} to work led by {g['principal_investigator']} "
                f"[{g['id']}]"
                for g in grants
            )
            + ".",
        )
    )
    out.append(Block("para", "Later papers set out the three principles [R4, R5, R6]."))
    out.append(Block("heading", "3. References to the research"))
    for identifier in _ordered([name for name in RECORDS if name[0] == "R"]):
        mark = f"{identifier}." if variant.references == "numbered" else identifier
        out.append(Block("para", f"{mark} {_reference(identifier)}"))
    out.append(Block("para", "Grants:"))
    for g in grants:
        period = g["period"]
        out.append(
            Block(
                "para",
                f"{g['id']}. PI, {g['principal_investigator']}, {g['funder']}, "
                f"{period['start']} to {period['end']}, {g['stated']}",
            )
        )
    out.append(Block("heading", "4. Details of the impact"))
    out.extend(_impact_prose())
    out.append(Block("para", "Other partners report the same change [E4, E6, E7, E8, E9]."))
    out.append(Block("heading", "5. Sources to corroborate the impact"))
    out.append(_sources(variant))
    return out


# --- Word ----------------------------------------------------------------------------------------


def make_docx(variant: Variant) -> bytes:
    from docx import Document

    document = Document()
    for block in blocks(variant):
        if block.kind == "heading":
            if variant.headings == "styles":
                document.add_heading(block.text, level=1)
            else:
                document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "label":
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).bold = True
            if block.value:
                paragraph.add_run(" " + block.value)
        elif block.kind == "para":
            document.add_paragraph(block.text)
        else:
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=columns)
            for index, row in enumerate(block.rows):
                if len(row) == 2 and not row[1] and columns == 2:
                    merged = table.cell(index, 0).merge(table.cell(index, 1))  # one wide cell
                    merged.text = row[0]
                    continue
                for column, text in enumerate(row):
                    cell = table.cell(index, column)
                    lines = text.split("\n")
                    cell.text = lines[0]
                    for more in lines[1:]:
                        cell.add_paragraph(more)  # a heading cell of two paragraphs
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------

LEFT, TOP, BOTTOM, LEADING, BODY, TITLE = 56, 790, 60, 13, 9, 12
COLUMNS = {1: [483], 2: [160, 323], 3: [130, 230, 123]}  # widths of a table's cells, points


def make_pdf(variant: Variant) -> bytes:
    """The document drawn as a word processor prints it: paragraphs wrapped, a table's row as
    its cells side by side at one height (each cell wrapped within its width)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = float(TOP)

    def room(lines: int) -> None:
        nonlocal y
        if y - lines * LEADING < BOTTOM:
            pdf.showPage()
            y = float(TOP)

    def wrap(text: str, width: float, font: str, size: int) -> list[str]:
        out: list[str] = []
        for piece in text.split("\n"):
            line = ""
            for word in piece.split():
                trial = f"{line} {word}".strip()
                if line and stringWidth(trial, font, size) > width:
                    out.append(line)
                    line = word
                else:
                    line = trial
            out.append(line)
        return out

    for block in blocks(variant):
        if block.kind == "table":
            for row in block.rows:
                widths = COLUMNS[len(row)]
                if len(row) == 2 and not row[1]:
                    widths, row = COLUMNS[1], (row[0],)
                cells = [
                    wrap(text, width - 8, "Helvetica", BODY)
                    for text, width in zip(row, widths, strict=True)
                ]
                height = max(len(cell) for cell in cells)
                room(height)
                x = float(LEFT)
                for cell, width in zip(cells, widths, strict=True):
                    pdf.setFont("Helvetica", BODY)
                    for index, line in enumerate(cell):
                        if line:
                            pdf.drawString(x, y - index * LEADING, line)
                    x += width
                y -= (height + 0.5) * LEADING
            y -= LEADING
            continue
        if block.kind == "heading":
            font, size, text = "Helvetica-Bold", TITLE, block.text
        elif block.kind == "label":
            font, size, text = "Helvetica", BODY, f"{block.text} {block.value}".strip()
        else:
            font, size, text = "Helvetica", BODY, block.text
        lines = wrap(text, 483, font, size)
        room(len(lines))
        pdf.setFont(font, size)
        for line in lines:
            pdf.drawString(LEFT, y, line)
            y -= LEADING
        y -= LEADING  # a gap between paragraphs
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


MAKERS = {"docx": make_docx, "pdf": make_pdf}
CASES = [
    pytest.param(
        kind, variant, id=f"{kind}-{variant.section_a}-{variant.headings}-{variant.ref_column}"
    )
    for kind in MAKERS
    for variant in VARIANTS
]


def narrative_of(tmp_path: Path, kind: str, variant: Variant) -> Narrative:
    name = f"case.{kind}"
    (tmp_path / name).write_bytes(MAKERS[kind](variant))
    folder = Folder(tmp_path.resolve())
    return load_narrative(tmp_path.resolve() / name, name, folder)


# --- what is read ----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "variant"), CASES)
def test_every_staff_row_is_read_with_its_role_and_dates(tmp_path, kind, variant):
    narrative = narrative_of(tmp_path, kind, variant)
    rows = [(r.name, r.role, _staff_period(r.period)) for r in staff_rows(narrative.text)]
    assert rows == [(p["name"], p["role"], p["employed"]) for p in STUDY["staff"]]


@pytest.mark.parametrize(("kind", "variant"), CASES)
def test_section_a_fields_are_read(tmp_path, kind, variant):
    narrative = narrative_of(tmp_path, kind, variant)
    fields = {f.key: f.value for f in header_fields(narrative.text)}
    unit = STUDY["unit"]
    assert fields["institution"] == STUDY["institution"]
    assert fields["unit"] == f"{unit['number']} ({unit['name']})"
    assert fields["title"] == STUDY["title"]
    assert fields["research_period"] == "2018 - 2020"
    assert fields["impact_period"] == "2019 - 2020"
    assert fields["continued"] == "No"
    assert [s.number for s in narrative.section_list] == ["A", "1", "2", "3", "4", "5"]


@pytest.mark.parametrize(("kind", "variant"), CASES)
def test_every_register_entry_is_read_with_its_kind(tmp_path, kind, variant):
    narrative = narrative_of(tmp_path, kind, variant)
    read = {entry.id: entry for entry in narrative.register}
    expected = {name: KINDS[name[0]] for name in RECORDS} | {
        g["id"]: "grant" for g in CLAIMS["grants"]
    }
    assert len(RECORDS) == 17
    assert {name: read[name].kind for name in expected if name in read} == expected
    assert set(read) == set(expected) | {"E5"}  # the whole of E5a and E5b; no header row
    assert read["E5a"].part_of == read["E5b"].part_of == "E5"
    for name, record in RECORDS.items():
        if name[0] == "E" and "part_of" not in record:
            assert record["title"] in read[name].text
            assert _link(name) in read[name].text  # the third column is the entry's too
    cited = {cite.source for marker in narrative.markers for cite in marker.ids}
    assert {"R1", "R6", "G1", "E1", "E10", "E5a", "E5b"} <= cited | {"E5a", "E5b"}


@pytest.mark.parametrize(("kind", "variant"), CASES)
def test_every_money_figure_is_read(tmp_path, kind, variant):
    narrative = narrative_of(tmp_path, kind, variant)
    values = {m.value for m in narrative.money}
    missing = [(stated, value) for stated, value in MONEY if value not in values]
    assert missing == []
    assert Decimal(CLAIMS["headlines"][0]["value"]) in values


@pytest.mark.parametrize(("kind", "variant"), CASES)
def test_the_extract_command_drafts_the_staff_and_the_register(case, cli, kind, variant):
    case()
    name = f"case.{kind}"
    (case.root / name).write_bytes(MAKERS[kind](variant))
    result = cli("extract", name, "--output", "draft")
    assert result.exit_code == 0, result.output
    drafted = yaml.safe_load((case.root / "draft" / "claims.yaml").read_text(encoding="utf-8"))
    study = drafted["case_study"]
    assert study["institution"] == STUDY["institution"]
    assert study["unit"] == STUDY["unit"]
    assert study["research_period"] == STUDY["research_period"]
    assert study["impact_period"] == STUDY["impact_period"]
    assert study["continued_from_2014"] is False
    assert study["staff"] == STUDY["staff"]
    stubs = {path.stem for path in (case.root / "draft" / "evidence").glob("*.yaml")}
    assert {name for name in RECORDS} <= stubs


def test_the_documents_hold_every_fact_they_are_asserted_against():
    """The builder itself: every figure, staff member and record is written into the text."""
    text = "\n".join(
        " ".join([b.text, b.value, *(" ".join(row) for row in b.rows)]) for b in blocks(VARIANTS[0])
    )
    for stated, _ in MONEY:
        assert stated in text
    for person in STUDY["staff"]:
        assert person["name"] in text and person["role"] in text
    for record in RECORDS.values():
        assert record["title"] in text
    assert textwrap.dedent(STAFF_LABEL) in text
