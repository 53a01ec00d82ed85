"""Start-up benchmark: whole-process medians of hls-audit against the bare import of its stack.

Run from the repository root: ``.venv/bin/python benchmarks/startup.py [--runs N]``.
Not a test: timings vary with the machine, so they are reported, never asserted.

Three floors are measured beside the commands: an empty Typer command taking options of the
types `check` takes (what Typer alone costs a run), the same command defining one Pydantic model
of one field (the first model loads the parts of pydantic the bare import leaves out), and the
same importing `hls_audit.core.model` (defining all of ours, nothing compiled).
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

# An empty command with options of the types `check` takes: paths, enums, a list, a flag.
TYPER_FLOOR = """
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
import rich.table, yaml
from pydantic import BaseModel


class Kind(str, Enum):
    one = "one"
    two = "two"


app = typer.Typer()


@app.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument()] = None,
    output: Annotated[Kind | None, typer.Option("--format")] = None,
    output_file: Annotated[Path | None, typer.Option("--output")] = None,
    fail_on: Annotated[Kind | None, typer.Option()] = None,
    require: Annotated[Kind | None, typer.Option()] = None,
    corroborated_at: Annotated[Kind | None, typer.Option()] = None,
    frozen: bool = False,
    narrative: Annotated[Path | None, typer.Option()] = None,
    profile: Annotated[list[Kind] | None, typer.Option()] = None,
    profile_dir: Annotated[Path | None, typer.Option()] = None,
    config: Annotated[Path | None, typer.Option()] = None,
) -> None:
    BODY


@app.command()
def other() -> None:
    pass


app(["check"])
"""

CASES = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "bare stack import": [
        sys.executable,
        "-c",
        "import typer, rich.table, yaml; from pydantic import BaseModel",
    ],
    "floor: empty Typer command": [sys.executable, "-c", TYPER_FLOOR.replace("BODY", "pass")],
    "floor: same, defining one model": [
        sys.executable,
        "-c",
        TYPER_FLOOR.replace("BODY", "type('One', (BaseModel,), {'__annotations__': {'x': int}})"),
    ],
    "floor: same, importing the model": [
        sys.executable,
        "-c",
        TYPER_FLOOR.replace("BODY", "import hls_audit.core.model"),
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
    bare = medians["bare stack import"]
    floors = [name for name in CASES if name.startswith("floor: ")]
    for name in floors:
        print(f"{name} / bare stack import (medians): {medians[name] / bare:.2f}x")
    for label, figures in (("medians", medians), ("fastest runs", fastest)):
        ratio = figures["hls-audit check (plain)"] / figures["bare stack import"]
        print(f"check / bare stack import ({label}): {ratio:.2f}x  (target <= 1.25)")


if __name__ == "__main__":
    main()
