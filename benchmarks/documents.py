"""Document benchmark: `check` on a case study with 20 fifty-page PDFs, first run and cached run.

Run from the repository root: ``.venv/bin/python benchmarks/documents.py [--runs N]``.
Needs reportlab (in the test extras) to generate the PDFs. Not a test: figures are reported.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DOCUMENTS = 20
PAGES = 50


def make_pdf(path: Path, number: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, PAGES + 1):
        for line in range(50):
            pdf.drawString(
                40,
                800 - 15 * line,
                f"Document {number} page {page} line {line}: "
                "the partnership reviewed its commissioning and learning practice.",
            )
        pdf.showPage()
    pdf.save()


def make_case(root: Path) -> None:
    evidence = root / "evidence"
    evidence.mkdir(parents=True)
    claims = [
        "version: 1",
        "case_study:",
        "  title: Benchmark case study",
        "  institution: Example University",
        "  unit: {number: 17, name: Business and Management Studies}",
        "  research_period: {start: 2018, end: 2020}",
        "  impact_period: {start: 2019, end: 2020}",
        "headlines:",
        "  - {id: H1, statement: More than 19m, relation: more_than, value: 19000000}",
        "claims:",
    ]
    for n in range(1, DOCUMENTS + 1):
        make_pdf(evidence / f"E{n}.pdf", n)
        (evidence / f"E{n}.yaml").write_text(
            f"id: E{n}\nkind: report\ntitle: Report {n}\ndocument: E{n}.pdf\n"
        )
        claims += [
            f"  - id: C{n}",
            '    section: "4"',
            f"    statement: Organisation {n} changed how it commissions.",
            f'    evidence: [{{source: E{n}, pages: p{PAGES}, quote: "Document {n} page {PAGES} '
            'line 7: the partnership reviewed"}]',
            "    amount: {role: counted, value: 1000000}",
        ]
    (root / "claims.yaml").write_text("\n".join(claims) + "\n")


def run(root: Path, cache: Path) -> float:
    env = dict(os.environ, HLS_AUDIT_CACHE_DIR=str(cache))
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "hls-audit"), "check", "--format", "json"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"check failed ({done.returncode}): {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "case"
        make_case(root)
        size = sum(p.stat().st_size for p in (root / "evidence").glob("*.pdf"))
        print(f"{DOCUMENTS} PDFs x {PAGES} pages, {size / 1e6:.1f} MB in all")
        first, cached = [], []
        for _ in range(args.runs):
            cache = Path(folder) / "cache"
            shutil.rmtree(cache, ignore_errors=True)
            first.append(run(root, cache))
            cached.append(run(root, cache))
        print(f"first run (extracts every PDF): median {statistics.median(first):.2f} s")
        print(f"second run (cached text):        median {statistics.median(cached):.2f} s")


if __name__ == "__main__":
    main()
