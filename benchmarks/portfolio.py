"""Speed and scale: start-up against peers and the bare stack, and portfolios up to REF size.

Run from the repository root (after `pip install -e '.[test,bench]'`):
``.venv/bin/python benchmarks/portfolio.py [--sizes 1,100,1000,6781] [--runs 3]``.
Whole-process timings, medians of --runs runs, in one run on one machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def start_up(runs: int) -> None:
    print("Start-up (median of whole-process runs)")
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
        times = {name: median(cmd, ROOT, runs) for name, cmd in rows.items()}
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
    code = (
        "import sys, yaml, pathlib\n"
        "for p in pathlib.Path(sys.argv[1]).rglob('*.yaml'):\n"
        "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
    )
    return timed([sys.executable, "-c", code, str(root)], root)


def scale(sizes: list[int], runs: int) -> None:
    print("\nPortfolio check (cold: empty cache; warm: cache filled, nothing changed)")
    print(f"  {'case studies':>12} {'claims':>8} {'cold s':>8} {'warm s':>8} {'ms/claim':>9} "
          f"{'peak MiB':>9} {'libyaml s':>9} {'cold/libyaml':>12}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            root = Path(folder) / f"p{size}"
            portfolio(root, size)
            claims = size * 30
            cache = Path(folder) / f"cache{size}"
            env = dict(os.environ, HLS_AUDIT_CACHE_DIR=str(cache))
            command = [str(BIN / "hls-audit"), "check", str(root), "--format", "json"]
            colds, warms = [], []
            for _ in range(runs):
                shutil.rmtree(cache, ignore_errors=True)
                colds.append(timed(command, root, env))
                warms.append(timed(command, root, env))
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            floor = libyaml_floor(root)
            cold, warm = statistics.median(colds), statistics.median(warms)
            per_case = cold / claims * 1000
            print(
                f"  {size:>12} {claims:>8} {cold:>8.2f} {warm:>8.2f} "
                f"{per_case:>9.3f} {peak:>9.0f} {floor:>9.2f} {cold / floor:>12.1f}"
            )
            shutil.rmtree(root)


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
