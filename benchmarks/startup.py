"""Start-up benchmark: whole-process medians of hls-audit against the bare import of its stack.

Run from the repository root: ``.venv/bin/python benchmarks/startup.py [--runs N]``.
Not a test: timings vary with the machine, so they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

CASES = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "bare stack import": [
        sys.executable,
        "-c",
        "import typer, rich.table, yaml; from pydantic import BaseModel",
    ],
    "hls-audit --help": [str(BIN / "hls-audit"), "--help"],
    "hls-audit check (plain)": [str(BIN / "hls-audit"), "check"],
    "hls-audit check --format json": [str(BIN / "hls-audit"), "check", "--format", "json"],
}


def measure(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for command in CASES.values():  # warm the caches once
        measure(command, 1)
    medians: dict[str, float] = {}
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):  # round-robin so drift hits every case alike
        for name, command in CASES.items():
            samples[name].extend(measure(command, 1))
    fastest: dict[str, float] = {}
    for name, times in samples.items():
        medians[name] = statistics.median(times)
        fastest[name] = min(times)
        print(
            f"{name:32s} median {medians[name] * 1000:7.1f} ms  fastest "
            f"{fastest[name] * 1000:7.1f} ms  (n={len(times)})"
        )
    for label, figures in (("medians", medians), ("fastest runs", fastest)):
        ratio = figures["hls-audit check (plain)"] / figures["bare stack import"]
        print(f"check / bare stack import ({label}): {ratio:.2f}x  (target <= 1.25)")


if __name__ == "__main__":
    main()
