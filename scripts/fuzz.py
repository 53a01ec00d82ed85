"""Long fuzz run: mutated claims files, amounts and narratives must only ever give input errors.

Run from the repository root: ``.venv/bin/python scripts/fuzz.py [--inputs 100000] [--seed 1]``.
Every input goes through the same code as the CLI (load, audit, every renderer; the amount
parser; the narrative parser and its reconciliation). Anything but the tool's own InputError
is a failure: it is printed with the input that caused it, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hls_audit.audit import audit
from hls_audit.errors import InputError, InputErrors
from hls_audit.load import load_case_study
from hls_audit.money import MoneyError, parse_money
from hls_audit.narrative.analysis import parse_narrative
from hls_audit.render import check_renderer
from hls_audit.render.plain import check_text
from hls_audit.verify import Documents

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fixtures in tests/ are the starting points
TOKENS = [
    ": ", "- ", "\n", "  ", "{", "}", "[", "]", ",", "&a ", "*a", "!!python/object:x ", "'", '"',
    "#", "\t", "\x00", "\ufeff", "Е1", "1e400", ".nan", "-5", "0x17", "1:20", "~", "null", "yes",
    "2019-02-30", "£77m", "GBP 7.7 million", "77,000,000", "part_of: C2", "role: part",
    "qualifier: about", "per: year", "currency: USD", "evidence: []", "<<: {}", "? [a]",
]  # fmt: skip
NARRATIVE_TOKENS = [
    "[E1]", "[**E2**, p9]", "[E3; E4, p70]", "[G1-G3]", "[E1-E999]", "GBP169,000,000", "£1.5m",
    "~£18m", "over £60m", "tens of millions of pounds", "1. Summary of the impact\n",
    "4.1 Details\n", "\n\n", "R1. ", "G1. PI, A, B, Nov 2018 – Dec 2020, GBP88,194.45\n",
    "\t", "c.", "Dr.", "per year", "annually", "[", "]", "*", "£", "bn", "\f",
]  # fmt: skip


def mutate(rng: random.Random, text: str, tokens: list[str]) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        if not chars:
            chars = list(rng.choice(tokens))
        where = rng.randrange(len(chars))
        action = rng.random()
        if action < 0.3:
            del chars[where : where + rng.randint(1, 20)]
        elif action < 0.6:
            chars[where:where] = list(rng.choice(tokens))
        elif action < 0.75:
            chars[where] = chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x2FFF)]))
        else:  # splice: copy a run from elsewhere
            start = rng.randrange(len(chars))
            chars[where:where] = chars[start : start + rng.randint(1, 80)]
    return "".join(chars)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS
    from tests.test_narrative_checks import NARRATIVE

    seeds = [MINIMAL_CLAIMS, (ROOT / "claims.yaml").read_text(encoding="utf-8")]
    counts = {"claims": 0, "amounts": 0, "narratives": 0}
    outcomes = {"input error": 0, "audited": 0}
    failures = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder)
        (case / "evidence").mkdir()
        for name, text in MINIMAL_RECORDS.items():
            (case / "evidence" / f"{name}.yaml").write_text(text, encoding="utf-8")
        for index in range(args.inputs):
            kind = rng.random()
            try:
                if kind < 0.4:
                    counts["claims"] += 1
                    text = mutate(rng, rng.choices(seeds, weights=(9, 1))[0], TOKENS)
                    (case / "claims.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
                    try:
                        report = audit(load_case_study(case), documents=Documents())
                        check_text(report)
                        for name in ("json", "sarif", "junit", "github", "markdown"):
                            check_renderer(name)(report)
                        outcomes["audited"] += 1
                    except (InputError, InputErrors):
                        outcomes["input error"] += 1
                elif kind < 0.8:
                    counts["amounts"] += 1
                    text = mutate(rng, rng.choice(["£77m", "88194.45", "77,000,000", "7.7 million"]),
                                  TOKENS)  # fmt: skip
                    try:
                        parse_money(text)
                    except MoneyError:
                        pass
                else:
                    counts["narratives"] += 1
                    text = mutate(rng, NARRATIVE, NARRATIVE_TOKENS)
                    parse_narrative(text, "narrative.txt")
            except Exception:
                failures += 1
                print(f"--- input {index} ({type(text).__name__}):\n{text!r}")
                traceback.print_exc()
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"{total} inputs in {elapsed:.0f} s: {counts['claims']} claims files "
        f"({outcomes['input error']} refused as input errors, {outcomes['audited']} audited), "
        f"{counts['amounts']} amounts, {counts['narratives']} narratives; "
        f"{failures} unexpected exceptions"
    )
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
