"""Documents on file: PDFs and DOCX files made by the tests, with known words on known pages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hls_audit.documents.extract import extract
from hls_audit.documents.quotes import find_quote, normalise
from hls_audit.documents.verify import read_documents
from hls_audit.engine.audit import audit
from hls_audit.io.load import load_case_study
from tests.conftest import MINIMAL_RECORDS

PAGES = [
    "The council agreed a new budget for adult support services.",
    "Staff said the contract changed how every team works together.",
    "Relationships come first in every grant the trust now makes.",
]


def make_pdf(pages: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for text in pages:
        if text:
            pdf.drawString(72, 760, text)
        else:
            pdf.rect(72, 600, 200, 100, fill=1)  # a page with ink but no text, as a scan
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(pages: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for index, text in enumerate(pages):
        if index:
            document.add_page_break()
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_document(name: str, extra: str = "") -> dict[str, str]:
    return dict(MINIMAL_RECORDS, E1=MINIMAL_RECORDS["E1"] + f"document: {name}\n{extra}")


def cite(case, citation: str) -> None:
    case.edit("evidence: [{source: E1, pages: p2}]", f"evidence: [{citation}]")


def findings(cli, *extra):
    result = cli("check", "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def codes(report) -> list[str]:
    return [f["code"] for f in report["findings"]]


@pytest.mark.parametrize("maker,suffix", [(make_pdf, "pdf"), (make_docx, "docx")])
def test_extraction_keeps_words_on_their_pages(tmp_path, maker, suffix):
    path = tmp_path / f"doc.{suffix}"
    path.write_bytes(maker(PAGES))
    text = extract(path.read_bytes(), path.name)
    assert text.error is None and text.page_count == 3
    assert "contract changed" in normalise(text.pages[1])
    assert "contract changed" not in normalise(text.pages[0])


def test_a_quote_on_the_cited_page_verifies_the_source(case, cli):
    case(records=with_document("letters/E1.pdf"), documents={"letters/E1.pdf": make_pdf(PAGES)})
    cite(case, '{source: E1, pages: p2, quote: "the contract changed how every team works"}')
    report = findings(cli)
    assert codes(report) == []
    assert report["coverage"]["sources_by_level"]["verified"] == 1
    sources = json.loads(cli("sources", "--format", "json").stdout)["sources"]
    assert next(s for s in sources if s["id"] == "E1")["level"] == "verified"


def test_quote_matching_forgives_layout_but_not_words():
    page = "Staff said the con-\ntract “changed” how   every ﬁne team works."
    assert find_quote('the contract "changed" how every fine team', [page]).pages == (1,)
    assert find_quote("the contract stayed the same", [page]).pages == ()


def test_a_page_past_the_end_of_the_document(case, cli):
    case(records=with_document("E1.docx"), documents={"E1.docx": make_docx(PAGES)})
    cite(case, "{source: E1, pages: p4}")
    report = findings(cli)
    hit = next(f for f in report["findings"] if f["code"] == "HLS103")
    assert "has 3 page(s)" in hit["message"]
    assert hit["location"]["line"] == case.line_of("pages: p4")


def test_a_quote_on_another_page_names_where_it_is(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    cite(case, '{source: E1, pages: p1, quote: "relationships come first"}')
    report = findings(cli)
    hit = next(f for f in report["findings"] if f["code"] == "HLS602")
    assert "which is on p3" in hit["message"]
    assert report["coverage"]["sources_by_level"]["verified"] == 0


def test_an_absent_quote_reports_the_best_match_and_its_similarity(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    cite(case, '{source: E1, pages: p2, quote: "the contract changed how each team works"}')
    report = findings(cli)
    hit = next(f for f in report["findings"] if f["code"] == "HLS601")
    assert "on p2" in hit["message"] and "% alike" in hit["message"]
    assert report["result"]["exit_code"] == 1


def test_a_scanned_pdf_is_reported_as_a_scan_not_as_a_missing_quote(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(["", ""])})
    cite(case, '{source: E1, pages: p1, quote: "anything at all"}')
    report = findings(cli)
    assert "HLS603" in codes(report)
    assert "HLS601" not in codes(report)


@pytest.mark.parametrize("name,data", [("E1.pdf", b"%PDF-1.4\nnot really"), ("E1.docx", b"PK")])
def test_a_corrupt_document_is_unreadable_not_a_crash(case, cli, name, data):
    case(records=with_document(name), documents={name: data})
    report = findings(cli)
    hit = next(f for f in report["findings"] if f["code"] == "HLS604")
    assert hit["location"]["file"] == f"evidence/{name}"


def test_a_quote_without_a_document_is_noted(case, cli):
    case()
    cite(case, '{source: E1, pages: p2, quote: "some words"}')
    assert codes(findings(cli)) == ["HLS605"]


def test_lock_then_a_changed_document_makes_the_claim_suspect(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    result = cli("lock")
    assert result.exit_code == 0, result.output
    lock = json.loads((case.root / "evidence.lock").read_text())
    assert lock["documents"]["E1.pdf"]["pages"] == 3
    assert codes(findings(cli)) == []
    (case.root / "evidence" / "E1.pdf").write_bytes(make_pdf([*PAGES, "A page added later."]))
    report = findings(cli)
    assert {"HLS606", "HLS609"} <= set(codes(report))
    assert report["result"]["exit_code"] == 0  # drift is a warning ...
    frozen = cli("check", "--frozen")
    assert frozen.exit_code == 1  # ... and an error under --frozen
    suspect = next(f for f in report["findings"] if f["code"] == "HLS609")
    assert suspect["claim"] == "C2"


def test_lock_reports_added_and_removed_documents(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    assert cli("lock").exit_code == 0
    (case.root / "evidence" / "extra.txt").write_text("new")
    stray = findings(cli)
    assert "HLS202" in codes(stray) and "HLS607" not in codes(stray)  # unnamed: never read
    (case.root / "evidence" / "E3.yaml").write_text(
        "id: E3\nkind: report\ntitle: An extra report\ndocument: extra.txt\n"
    )
    report = findings(cli)
    assert "HLS607" in codes(report)
    (case.root / "evidence" / "E1.pdf").unlink()
    (case.root / "evidence" / "extra.txt").unlink()
    report = findings(cli)
    assert "HLS608" in codes(report)


def test_lock_refuses_to_overwrite_unless_asked(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    assert cli("lock").exit_code == 0
    before = (case.root / "evidence.lock").read_bytes()
    refused = cli("lock")
    assert refused.exit_code == 2 and "--update" in refused.stderr
    (case.root / "evidence" / "E1.pdf").write_bytes(make_pdf(PAGES[:2]))
    assert cli("lock").exit_code == 2
    assert (case.root / "evidence.lock").read_bytes() == before
    updated = cli("lock", "--update")
    assert updated.exit_code == 0 and "1 changed" in updated.stdout


def test_frozen_without_a_lock_is_unusable(case, cli):
    case()
    result = cli("check", "--frozen")
    assert result.exit_code == 2
    assert "hls-audit lock" in result.stderr


def test_a_garbage_lock_file_is_unusable_input(case, cli):
    case()
    (case.root / "evidence.lock").write_text('{"format": "hls-audit/evidence-lock", oops}')
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("evidence.lock:1:")


def test_corroborated_at_verified_drops_unverified_amounts(case, cli):
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    cite(case, '{source: E1, pages: p2, quote: "the contract changed"}')
    report = findings(cli, "--corroborated-at", "verified")
    headline = report["headlines"][0]
    assert headline["corroborated_total"]["central"] == "7000000"  # C3's E2 is only recorded
    assert headline["total"]["central"] == "11000000"


def test_a_second_read_uses_the_cache(case, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HLS_AUDIT_CACHE_DIR", str(tmp_path_factory.mktemp("fresh") / "cache"))
    case(records=with_document("E1.pdf"), documents={"E1.pdf": make_pdf(PAGES)})
    loaded = load_case_study(Path("."))
    first = read_documents(loaded)
    second = read_documents(loaded)
    assert first.extracted == 1 and second.extracted == 0
    assert audit(loaded, documents=second).findings == audit(loaded, documents=first).findings
