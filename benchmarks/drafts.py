"""Drafts never pass: `extract` every corpus case study, then `check` the draft unreviewed.

Run from the repository root: ``.venv/bin/python benchmarks/drafts.py``. Reads
``../shared/corpus/ref2021/*.md`` (exits 0 with a message when it is absent), drafts each into a
temporary folder and checks it. It prints how many drafts exit 0 (must be none), 1 and 2, and
how many amounts were drafted in each role. An evaluation, never a test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ref2021"
TOOL = str(Path(sys.executable).parent / "hls-audit")


def main() -> int:
    files = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    if not files:
        print(f"no corpus at {CORPUS.relative_to(ROOT.parent)}: nothing to measure")
        return 0
    exits: Counter[int] = Counter()
    roles: Counter[str] = Counter()
    unreviewed = 0
    passing: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for source in files:
            folder = Path(scratch) / source.stem
            folder.mkdir()
            shutil.copy(source, folder / source.name)
            subprocess.run(
                [TOOL, "extract", source.name, "--output", "draft"],
                cwd=folder, capture_output=True, check=True,
            )  # fmt: skip
            run = subprocess.run(
                [TOOL, "check", "draft", "--format", "json"],
                cwd=folder, capture_output=True, text=True,
            )  # fmt: skip
            exits[run.returncode] += 1
            if run.returncode == 0:
                passing.append(source.name)
            if run.returncode in (0, 1):
                report = json.loads(run.stdout)
                unreviewed += sum(1 for f in report["findings"] if f["code"] == "HLS107")
            totals = subprocess.run(
                [TOOL, "totals", "draft", "--format", "json"],
                cwd=folder, capture_output=True, text=True,
            )  # fmt: skip
            if totals.returncode in (0, 1):
                roles.update(a["role"] for a in json.loads(totals.stdout)["amounts"])
    print(f"{len(files)} drafts checked unreviewed")
    print(f"  exit 0 (passed): {exits[0]}  exit 1: {exits[1]}  exit 2: {exits[2]}  3: {exits[3]}")
    print(f"  unreviewed items reported (HLS107): {unreviewed}")
    print("  amounts by drafted role: " + ", ".join(f"{r} {n}" for r, n in roles.most_common()))
    for name in passing:
        print(f"  PASSED UNREVIEWED: {name}")
    return 1 if passing else 0


if __name__ == "__main__":
    sys.exit(main())
