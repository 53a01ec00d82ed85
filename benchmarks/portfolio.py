"""Speed and scale: start-up against peers and the bare stack, and portfolios up to REF size.

Run from the repository root (after `pip install -e '.[test,bench]'`):
``.venv/bin/python benchmarks/portfolio.py [--sizes 1,100,1000,6781] [--runs 3]``.
Whole-process timings, medians of --runs runs, in one run on one machine; nothing is asserted.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import portfolio

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STACK = "import typer, rich.table, yaml; from pydantic import BaseModel"


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median(command: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> float:
    timed(command, cwd, env)  # warm the file cache and .pyc files
    return statistics.median(timed(command, cwd, env) for _ in range(runs))


def round_robin(rows: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Medians with the commands taken in turn, so a machine that slows down mid-way slows
    every command alike rather than the last ones measured."""
    for command in rows.values():
        timed(command, ROOT)  # warm the file cache and .pyc files
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(runs):
        for name, command in rows.items():
            samples[name].append(timed(command, ROOT))
    return {name: statistics.median(values) for name, values in samples.items()}


def start_up(runs: int) -> None:
    print("Start-up (median of whole-process runs, the commands taken in turn)")
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "tiny.yaml"
        tiny.write_text("key: value\nlist: [1, 2]\n")
        rows = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "bare stack import": [sys.executable, "-c", STACK],
            "hls-audit --help": [str(BIN / "hls-audit"), "--help"],
            "hls-audit check (bundled)": [str(BIN / "hls-audit"), "check", "--format", "text"],
        }
        yamllint = shutil.which("yamllint", path=str(BIN)) or shutil.which("yamllint")
        if yamllint:
            rows["yamllint tiny.yaml"] = [yamllint, str(tiny)]
        times = round_robin(rows, runs)
    for name, value in times.items():
        print(f"  {name:28s} {value * 1000:7.0f} ms")
    if "yamllint tiny.yaml" in times:
        ratio = times["hls-audit --help"] / times["yamllint tiny.yaml"]
        print(f"  --help / yamllint:            {ratio:.2f}x  (target <= 1)")
    else:
        print("  yamllint not installed: pip install -e '.[bench]' to compare")
    ratio = times["hls-audit check (bundled)"] / times["bare stack import"]
    print(f"  check / bare stack import:    {ratio:.2f}x  (target <= 1.25)")


def libyaml_floor(root: Path) -> float:
    """The floor: a plain libyaml load (yaml.load with CSafeLoader) of the same files."""
    code = (
        "import sys, yaml, pathlib\n"
        "for p in pathlib.Path(sys.argv[1]).rglob('*.yaml'):\n"
        "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
    )
    return timed([sys.executable, "-c", code, str(root)], root)


# Runs the command in a fresh process and reports the largest resident set of any process it
# started (ru_maxrss of RUSAGE_CHILDREN, KiB on Linux): the peak of the biggest single process.
PEAK_OF_LARGEST = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_mib(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Peak memory of the whole process tree (psutil, sampled) or of its largest process."""
    try:
        import psutil
    except ImportError:
        out = subprocess.run(
            [sys.executable, "-c", PEAK_OF_LARGEST, *command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        return int(out.strip() or 0) / 1024, "largest process"
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        total = 0
        try:
            for member in [process, *process.children(recursive=True)]:
                total += member.memory_info().rss
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.02)
    return peak / 2**20, "process tree"


def scale(sizes: list[int], runs: int) -> None:
    print("\nPortfolio check (cold: empty cache; warm: cache filled, nothing changed)")
    heads = ("case studies", 12), ("cold s", 8), ("warm s", 8), ("cold ms/case", 12)
    heads += ("warm ms/case", 12), ("peak MiB", 9), ("libyaml s", 9), ("cold/libyaml", 12)
    print("  " + " ".join(f"{name:>{width}}" for name, width in heads))
    measured = ""
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            root = Path(folder) / f"p{size}"
            portfolio(root, size)
            cache = Path(folder) / f"cache{size}"
            env = dict(os.environ, HLS_AUDIT_CACHE_DIR=str(cache))
            command = [str(BIN / "hls-audit"), "check", str(root), "--format", "json"]
            colds, warms = [], []
            for _ in range(runs):
                shutil.rmtree(cache, ignore_errors=True)
                colds.append(timed(command, root, env))
                warms.append(timed(command, root, env))
            shutil.rmtree(cache, ignore_errors=True)
            peak, measured = peak_mib(command, root, env)  # a cold run
            floor = libyaml_floor(root)
            cold, warm = statistics.median(colds), statistics.median(warms)
            print(
                f"  {size:>12} {cold:>8.2f} {warm:>8.2f} {cold / size * 1000:>12.2f} "
                f"{warm / size * 1000:>12.2f} {peak:>9.0f} {floor:>9.2f} {cold / floor:>12.1f}"
            )
            shutil.rmtree(root)
    print(f"  peak: {measured} of a cold run; targets at 6,781: cold <= 30 s, warm <= 5 s, "
          "peak <= 1,024 MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,100,1000,6781")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-start-up", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if not args.skip_start_up:
        start_up(max(args.runs, 5))
    scale([int(s) for s in args.sizes.split(",")], args.runs)


if __name__ == "__main__":
    main()
