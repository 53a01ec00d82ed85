"""Corpus evaluation: how the narrative reader does on 99 real REF 2021 impact case studies.

Run from the repository root: ``.venv/bin/python benchmarks/corpus.py [--json] [--show N]``.
Reads ``../shared/corpus/ref2021/*.md`` (relative to the repository root; ``--corpus`` gives
another folder) and parses each case study with ``parse_narrative``. Prints, over all of them
and per marker style: the share with all five sections found, the register's size (share with
at least 6 entries), the marker ids read (share with at least 3), the share of marker ids that
resolve to a register entry, the share of register entries some marker cites, crashes, and the
time per case study. ``--show N`` prints N unresolved marker ids, N case studies with fewer
than 3 marker ids and N uncited register entries, for inspection.

An evaluation, not a test: it needs the corpus, which a fresh clone does not have, and its
figures are reported, not asserted. Exits 0 with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from hls_audit.narrative.analysis import Narrative, parse_narrative  # noqa: E402
from hls_audit.narrative.ids import shape  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "ref2021"
TOP_SECTIONS = ("1", "2", "3", "4", "5")


@dataclass
class Result:
    """One case study's figures."""

    name: str
    seconds: float
    crashed: str | None = None
    sections: bool = False
    register: int = 0
    ids: int = 0
    resolved: int = 0
    entries_cited: int = 0
    styles: Counter[str] = field(default_factory=Counter)  # "square/prefixed" -> ids read
    styles_resolved: Counter[str] = field(default_factory=Counter)
    unresolved: list[str] = field(default_factory=list)  # "line 12: [R9] (R9)"
    uncited: list[str] = field(default_factory=list)

    @property
    def style(self) -> str:
        """The style this case study cites with most ("none" if it has no markers)."""
        return self.styles.most_common(1)[0][0] if self.styles else "none"


def style_of(marker_style: str, identifier: str) -> str:
    """A cite's style: the bracket and the id's shape ("paren/number", "square/worded")."""
    return f"{marker_style}/{shape(identifier)}"


def measure(narrative: Narrative, name: str, seconds: float) -> Result:
    """The figures of one parsed case study."""
    numbers = {s.number for s in narrative.section_list}
    result = Result(name, seconds, sections=all(n in numbers for n in TOP_SECTIONS))
    entries = narrative.register
    result.register = len(entries)
    cited: set[tuple[str, str]] = set()
    for marker in narrative.markers:
        for cite in marker.ids:
            style = style_of(marker.style, cite.source)
            result.ids += 1
            result.styles[style] += 1
            if cite.entry is not None and cite.kind is not None:
                result.resolved += 1
                result.styles_resolved[style] += 1
                cited.add((cite.kind, cite.entry))
            else:
                result.unresolved.append(f"line {marker.line}: {cite.source} in {marker.text!r}")
    # A part counts through its parent and the parent through its parts (E5 = E5a + E5b).
    parts_cited = {(e.kind, e.part_of) for e in entries if e.part_of and (e.kind, e.id) in cited}
    for entry in entries:
        key = (entry.kind, entry.id)
        whole = (entry.kind, entry.part_of) if entry.part_of else None
        if key in cited or key in parts_cited or (whole is not None and whole in cited):
            result.entries_cited += 1
        else:
            result.uncited.append(f"line {entry.line}: {entry.kind} {entry.id}")
    return result


def run(corpus: Path) -> list[Result]:
    """Parse every case study of ``corpus``; a crash is recorded, not raised."""
    results: list[Result] = []
    for path in sorted(corpus.glob("*.md")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        started = time.perf_counter()
        try:
            narrative = parse_narrative(text, path.name)
        except Exception:  # an evaluation counts crashes instead of stopping at the first
            seconds = time.perf_counter() - started
            results.append(Result(path.name, seconds, crashed=traceback.format_exc(limit=3)))
            continue
        results.append(measure(narrative, path.name, time.perf_counter() - started))
    return results


def share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def summary(results: list[Result]) -> dict[str, Any]:
    """The figures over a group of case studies."""
    fine = [r for r in results if r.crashed is None]
    ids = sum(r.ids for r in fine)
    entries = sum(r.register for r in fine)
    times = [r.seconds for r in results] or [0.0]
    return {
        "case_studies": len(results),
        "crashes": len(results) - len(fine),
        "five_sections_pct": share(sum(r.sections for r in fine), len(results)),
        "register_entries": entries,
        "register_6_or_more_pct": share(sum(r.register >= 6 for r in fine), len(results)),
        "marker_ids": ids,
        "marker_ids_3_or_more_pct": share(sum(r.ids >= 3 for r in fine), len(results)),
        "marker_ids_resolved_pct": share(sum(r.resolved for r in fine), ids),
        "register_entries_cited_pct": share(sum(r.entries_cited for r in fine), entries),
        "seconds_max": round(max(times), 4),
        "seconds_mean": round(statistics.fmean(times), 4),
    }


def by_style(results: list[Result]) -> dict[str, dict[str, Any]]:
    """Per cite style: the case studies using it, the ids read and the share resolved."""
    documents: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    resolved: Counter[str] = Counter()
    for result in results:
        for style, count in result.styles.items():
            documents[style] += 1
            ids[style] += count
            resolved[style] += result.styles_resolved[style]
    return {
        style: {
            "case_studies": documents[style],
            "marker_ids": ids[style],
            "resolved_pct": share(resolved[style], ids[style]),
        }
        for style, _ in ids.most_common()
    }


def report(results: list[Result]) -> dict[str, Any]:
    """Everything the benchmark measures, as one JSON-ready value."""
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        groups[result.style].append(result)
    return {
        "overall": summary(results),
        "by_main_style": {
            style: summary(group)
            for style, group in sorted(groups.items(), key=lambda g: -len(g[1]))
        },
        "cite_styles": by_style(results),
        "crashed": {r.name: r.crashed for r in results if r.crashed},
    }


def print_table(figures: dict[str, Any]) -> None:
    overall = figures["overall"]
    print(f"{overall['case_studies']} case studies, {overall['crashes']} crashes")
    print(f"  all five sections found        {overall['five_sections_pct']:5.1f}%")
    print(
        f"  register entries               {overall['register_entries']} in all; "
        f"{overall['register_6_or_more_pct']:.1f}% of case studies have 6 or more"
    )
    print(
        f"  marker ids read                {overall['marker_ids']} in all; "
        f"{overall['marker_ids_3_or_more_pct']:.1f}% of case studies have 3 or more"
    )
    print(f"  marker ids resolved            {overall['marker_ids_resolved_pct']:5.1f}%")
    print(f"  register entries cited         {overall['register_entries_cited_pct']:5.1f}%")
    print(
        f"  time per case study            max {overall['seconds_max'] * 1000:.0f} ms, "
        f"mean {overall['seconds_mean'] * 1000:.0f} ms"
    )
    print("\nBy the style a case study cites with most:")
    header = f"  {'style':18} {'n':>3} {'5 sect':>7} {'reg>=6':>7} {'ids>=3':>7}"
    print(header + f" {'resolved':>9} {'cited':>7}")
    for style, group in figures["by_main_style"].items():
        print(
            f"  {style:18} {group['case_studies']:3d} {group['five_sections_pct']:6.1f}%"
            f" {group['register_6_or_more_pct']:6.1f}% {group['marker_ids_3_or_more_pct']:6.1f}%"
            f" {group['marker_ids_resolved_pct']:8.1f}% {group['register_entries_cited_pct']:6.1f}%"
        )
    print("\nEvery cite by its style:")
    print(f"  {'style':18} {'studies':>7} {'ids':>6} {'resolved':>9}")
    for style, row in figures["cite_styles"].items():
        print(
            f"  {style:18} {row['case_studies']:7d} {row['marker_ids']:6d}"
            f" {row['resolved_pct']:8.1f}%"
        )
    for name, crash in figures["crashed"].items():
        print(f"\nCRASH {name}:\n{crash}")


def show(results: list[Result], count: int) -> None:
    """Examples to inspect: unresolved ids, case studies with few ids, uncited entries."""
    unresolved = [f"{r.name}: {u}" for r in results for u in r.unresolved]
    print(f"\n{len(unresolved)} unresolved marker ids; the first {count}, spread over the corpus:")
    step = max(1, len(unresolved) // count) if unresolved else 1
    for line in unresolved[::step][:count]:
        print(f"  {line}")
    few = [r for r in results if r.crashed is None and r.ids < 3]
    print(f"\n{len(few)} case studies with fewer than 3 marker ids:")
    for result in few[:count]:
        print(f"  {result.name}: {result.ids} ids, {result.register} register entries")
    uncited = [f"{r.name}: {u}" for r in results for u in r.uncited]
    print(f"\n{len(uncited)} register entries no marker cites; {count} of them:")
    step = max(1, len(uncited) // count) if uncited else 1
    for line in uncited[::step][:count]:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of .md case studies")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print N examples")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir() or not any(args.corpus.glob("*.md")):
        print(f"no corpus at {args.corpus}: nothing to measure (see the corpus README)")
        return 0
    results = run(args.corpus)
    figures = report(results)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    if args.show:
        show(results, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
