"""Synthetic case studies for the portfolio benchmark and tests: ~30 claims, ~12 sources each."""

from __future__ import annotations

import random
from pathlib import Path

ORGS = ["City Council", "County Council", "Health Trust", "Housing Partnership", "Foundation",
        "Combined Authority", "Community Trust", "Clinical Group"]  # fmt: skip
PLACES = ["Ashford", "Barnet", "Carlisle", "Durham", "Exeter", "Frome", "Gloucester", "Hull"]


def case_study(
    rng: random.Random, number: int, claims: int = 30, sources: int = 12
) -> tuple[str, dict[str, str]]:
    """claims.yaml text and evidence records (file name -> text) for one case study."""
    counted = []
    lines = [
        "version: 1",
        "case_study:",
        f"  title: Case study {number} on changing how services are commissioned",
        "  institution: Example University",
        f"  unit: {{number: {1 + number % 34}, name: Unit {1 + number % 34}}}",
        "  research_period: {start: 2012, end: 2020}",
        "  impact_period: {start: 2014, end: 2020}",
        "  staff:",
        "    - {name: A. Researcher, role: Professor, employed: {start: 2010-01-01}}",
        "headlines:",
        "  - id: H1",
        "    statement: Funding managed the new way exceeds the headline figure.",
        "    relation: more_than",
        "    value: HEADLINE",
        "grants:",
        "  - {id: G1, funder: A Research Council, principal_investigator: A. Researcher,"
        " period: {start: 2012-01, end: 2015-12}, value: 250000}",
        "claims:",
    ]
    for index in range(1, claims + 1):
        source = f"E{1 + index % (sources - 2)}"
        place = rng.choice(PLACES)
        org = f"{place} {rng.choice(ORGS)}"
        lines += [
            f"  - id: C{index:02d}",
            f'    section: "4.{1 + index % 2}"',
            f"    statement: {org} changed how it commissions services after the research.",
            f"    organisation: {org}",
            f'    date: "{2015 + index % 5}"',
            f"    evidence: [{{source: {source}, pages: p{1 + index % 9}}}, R{1 + index % 2}]",
        ]
        kind = index % 6
        if kind == 0:
            value = rng.randrange(1, 90) * 100_000
            counted.append(value)
            lines.append(f'    amount: {{role: counted, value: {value}, stated: "£{value:,}"}}')
        elif kind == 1:
            lines.append(f"    amount: {{role: context, value: {rng.randrange(50, 900)}000000, "
                         "per: year}")  # fmt: skip
        elif kind == 2 and counted:
            lines.append(f"    amount: {{role: part, value: 50000, part_of: C{index - 2:02d}}}")
        elif kind == 3:
            lines.append(f"    amount: {{role: counted, value: {rng.randrange(1, 20)}000000, "
                         "qualifier: about}")  # fmt: skip
            counted.append(0)
    text = "\n".join(lines) + "\n"
    text = text.replace("HEADLINE", str(max(1, sum(counted) // 2)))
    records = {}
    for index in range(1, sources - 1):
        records[f"E{index}.yaml"] = (
            f"id: E{index}\nkind: testimonial\ntitle: Letter of support {index}\n"
            f"provider: {{organisation: {rng.choice(PLACES)} {rng.choice(ORGS)}, role: Director}}\n"
            "held_by: the university's impact team\nconfidential: true\n"
        )
    for index in (1, 2):
        records[f"R{index}.yaml"] = (
            f"id: R{index}\nkind: article\ntitle: Research article {index}\n"
            f'authors: [A. Researcher]\ndate: "{2013 + index}"\ndoi: 10.1000/example.{index}\n'
        )
    return text, records


def portfolio(root: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` case studies under root/cs0001/ ... with their evidence folders."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        folder = root / f"cs{number:04d}"
        (folder / "evidence").mkdir(parents=True)
        text, records = case_study(rng, number)
        (folder / "claims.yaml").write_text(text, encoding="utf-8")
        for name, body in records.items():
            (folder / "evidence" / name).write_text(body, encoding="utf-8")
