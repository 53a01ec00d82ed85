"""Worst-case benchmark: `hls-audit check` on claims files shaped to make each check work hardest.

Run from the repository root: ``.venv/bin/python benchmarks/worst_case.py [--bytes N]``.

Each variant fills a claims.yaml of about ``--bytes`` (default just under the 5 MiB input limit)
with one shape that used to make a check quadratic or cubic in the number of claims: a single
long part_of loop, a single long part_of chain, every claim citing the same source (and a group
of parts), thousands of counted amounts with approximate figures, foreign currencies, many
headlines, uncited grants beside citations of unknown ids, and a long staff list against many
references. The files are written to a temporary folder and removed afterwards (``--keep``
keeps them). Not a test: timings vary with the machine, so they are printed, never asserted;
the aim is that every variant finishes in seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LIMIT = 5 * 1024 * 1024  # the largest claims.yaml hls-audit reads
DEFAULT_BYTES = LIMIT - 64 * 1024

HEADER = """\
version: 1
profile: ref2021
case_study:
  title: A worst-case case study
  institution: Example University
  unit: {number: 17, name: Business and Management Studies}
  research_period: {start: "2018", end: "2020"}
  impact_period: {start: "2019", end: "2020"}
  staff:
    - {name: A. Researcher, role: Professor, employed: {start: "2010-01-01"}}
"""

RECORDS = {
    "E1": "id: E1\nkind: report\ntitle: The council's report\nheld_by: the impact team\n",
    "E5a": "id: E5a\nkind: report\ntitle: Part one\npart_of: E5\nheld_by: the impact team\n",
    "E5b": "id: E5b\nkind: report\ntitle: Part two\npart_of: E5\nheld_by: the impact team\n",
    "R1": "id: R1\nkind: article\ntitle: The article\nauthors: [A. Researcher]\n"
    'date: "2019"\ndoi: 10.1000/xyz\n',
}

Lines = Iterator[str]


def _one_headline(value: int = 1, relation: str = "more_than") -> str:
    return (
        "headlines:\n"
        f"  - {{id: H1, statement: The headline total., relation: {relation}, value: {value}}}\n"
    )


def _claim(index: int, amount: str = "", evidence: str = "[E1]") -> str:
    text = f'  - {{id: C{index}, section: "4", statement: S{index}., evidence: {evidence}'
    return text + (f", amount: {{{amount}}}}}\n" if amount else "}\n")


def _fill(budget: int, head: str, make: Callable[[int], str]) -> tuple[str, int]:
    """head, then make(0), make(1) ... while the text stays within budget bytes."""
    parts = [head]
    size = len(head.encode())
    index = 0
    while True:
        line = make(index)
        if size + len(line.encode()) > budget:
            return "".join(parts), index
        parts.append(line)
        size += len(line.encode())
        index += 1


def _count(budget: int, head: str, make: Callable[[int], str]) -> int:
    return _fill(budget, head, make)[1]


def cycle(budget: int) -> tuple[str, dict[str, str]]:
    """One part_of loop through every claim: C0 in C1 in C2 ... in C0."""
    head = HEADER + _one_headline() + "claims:\n"
    # Ids grow longer, so find how many fit before closing the loop at the last one.
    n = _count(budget, head, lambda i: _claim(i, f"role: part, value: 1, part_of: C{i + 1}"))
    loop = (_claim(i, f"role: part, value: 1, part_of: C{(i + 1) % n}") for i in range(n))
    return head + "".join(loop), RECORDS


def chain(budget: int) -> tuple[str, dict[str, str]]:
    """One part_of chain through every claim: C1 in C0, C2 in C1 ... down to the last."""
    head = HEADER + _one_headline() + "claims:\n"

    def make(i: int) -> str:
        if i == 0:
            return _claim(0, "role: counted, value: 2")
        return _claim(i, f"role: part, value: 1, part_of: C{i - 1}")

    return _fill(budget, head, make)[0], RECORDS


def citations(budget: int) -> tuple[str, dict[str, str]]:
    """Every claim cites E1, and every other one the group E5 (its parts E5a and E5b)."""
    head = HEADER + "claims:\n"
    text, _ = _fill(budget, head, lambda i: _claim(i, "", "[E1, E5]" if i % 2 else "[E1]"))
    return text, RECORDS


def counted(budget: int) -> tuple[str, dict[str, str]]:
    """Counted amounts, half exact and half approximate, so the headline is only not proven."""
    head = HEADER + _one_headline(10**9) + "claims:\n"

    def make(i: int) -> str:
        qualifier = "about" if i % 2 else "exact"
        return _claim(i, f"role: counted, value: 10000, qualifier: {qualifier}")

    text, n = _fill(budget, head, make)
    # Make the headline sit inside the total's range: above its lower bound, below its upper.
    total = 10_000 * n
    return text.replace("value: 1000000000}", f"value: {total}}}", 1), RECORDS


def currencies(budget: int) -> tuple[str, dict[str, str]]:
    """Counted amounts in dollars: half with no conversion (each a finding), half converted."""
    head = HEADER + _one_headline() + "claims:\n"

    def make(i: int) -> str:
        if i % 2:
            return _claim(i, "role: counted, value: 100, currency: USD")
        return _claim(
            i, 'role: counted, value: 100, currency: USD, conversion: {rate: "0.79", source: X}'
        )

    return _fill(budget, head, make)[0], RECORDS


def headlines(budget: int) -> tuple[str, dict[str, str]]:
    """As many headlines as counted amounts, each amount feeding its own headline."""
    pair = (
        "  - {{id: H{i}, statement: T., relation: at_least, value: 1}}\n",
        '  - {{id: C{i}, section: "4", statement: S., evidence: [E1], '
        "amount: {{role: counted, value: 1, headline: H{i}}}}}\n",
    )
    n = _count(budget, HEADER + "headlines:\nclaims:\n", lambda i: pair[0].format(i=i) + pair[1])
    heads = "".join(pair[0].format(i=i) for i in range(n))
    claims = "".join(pair[1].format(i=i) for i in range(n))
    return f"{HEADER}headlines:\n{heads}claims:\n{claims}", RECORDS


def unknown_ids(budget: int) -> tuple[str, dict[str, str]]:
    """Uncited grants beside claims that cite ids the register does not hold."""
    grant = (
        "  - {{id: G{i}, funder: F, principal_investigator: P, period: {{start: '2018'}}, "
        "value: 1}}\n"
    )
    claim = '  - {{id: C{i}, section: "4", statement: S., evidence: [X{i}]}}\n'
    n = _count(
        budget, HEADER + "grants:\nclaims:\n", lambda i: grant.format(i=i) + claim.format(i=i)
    )
    grants = "".join(grant.format(i=i) for i in range(n))
    claims = "".join(claim.format(i=i) for i in range(n))
    return f"{HEADER}grants:\n{grants}claims:\n{claims}", RECORDS


def staff(budget: int) -> tuple[str, dict[str, str]]:
    """A long staff list, checked against two hundred references with several authors each."""
    head = HEADER.replace("  staff:\n", "  staff:\n    - {name: Z. Last, role: R, employed: {}}\n")
    member = "    - {{name: Person{i} Surname{i}, role: Lecturer, employed: {{start: '2015'}}}}\n"
    text, _ = _fill(budget - 200, head, lambda i: member.format(i=i))
    text += 'claims:\n  - {id: C1, section: "2", statement: S., evidence: [R1]}\n'
    records = dict(RECORDS)
    for r in range(1, 201):
        authors = ", ".join(f"Author{r}x{a} Other" for a in range(5))
        records[f"R{r}"] = (
            f"id: R{r}\nkind: article\ntitle: Article {r}\nauthors: [{authors}, Z. Last]\n"
            f'date: "2019"\ndoi: 10.1000/{r}\n'
        )
    return text, records


VARIANTS: dict[str, Callable[[int], tuple[str, dict[str, str]]]] = {
    "part_of cycle": cycle,
    "part_of chain": chain,
    "all cite E1": citations,
    "counted, approximate": counted,
    "foreign currencies": currencies,
    "many headlines": headlines,
    "unknown ids, uncited grants": unknown_ids,
    "long staff list": staff,
}


def write(folder: Path, text: str, records: dict[str, str]) -> None:
    (folder / "evidence").mkdir(parents=True)
    (folder / "claims.yaml").write_text(text, encoding="utf-8")
    for name, body in records.items():
        (folder / "evidence" / f"{name}.yaml").write_text(body, encoding="utf-8")


def run(folder: Path, timeout: float) -> tuple[float, str]:
    """Seconds `hls-audit check` took on the folder, and its exit code (or 'timeout')."""
    command = [sys.executable, "-m", "hls_audit", "check", str(folder)]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, "timeout"
    seconds = time.perf_counter() - start
    status = f"exit {done.returncode}"
    if done.returncode not in (0, 1):  # 2: the generated input was refused; 3: a bug
        status += ": " + done.stderr.decode(errors="replace").strip().splitlines()[0][:100]
    return seconds, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bytes", type=int, default=DEFAULT_BYTES, help="claims.yaml size")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per variant")
    parser.add_argument("--only", action="append", choices=list(VARIANTS), help="repeatable")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    args = parser.parse_args()
    if args.bytes > LIMIT:
        parser.error(f"--bytes must be at most {LIMIT:,} (hls-audit refuses larger files)")
    base = Path(tempfile.mkdtemp(prefix="hls-audit-worst-"))
    try:
        print(f"{'variant':<30} {'claims.yaml':>12} {'seconds':>9}  result")
        for number, name in enumerate(args.only or VARIANTS):
            folder = base / f"v{number}"
            text, records = VARIANTS[name](args.bytes)
            write(folder, text, records)
            seconds, status = run(folder, args.timeout)
            size = f"{len(text.encode()) / 2**20:.2f} MiB"
            print(f"{name:<30} {size:>12} {seconds:>9.2f}  {status}", flush=True)
    finally:
        if args.keep:
            print(f"kept in {base}")
        else:
            import shutil

            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
