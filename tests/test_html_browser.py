"""The HTML report in a real browser: headless Chromium reads the file and draws it.

Skipped, with the package to install, when no Chromium is on PATH. The browser gets a profile
folder and a home inside the test's temporary folder, never the user's own.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.conftest import REPO

BROWSERS = ("chromium", "chromium-browser")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no headless browser: install the Debian package `chromium` (apt-get install chromium)"
    )


def _run(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled case study's check report, written by the command line."""
    from tests.conftest import run_cli

    target = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli("check", str(REPO), "--output", str(target))
    assert result.exit_code == 0, result.stderr
    return target


def test_the_browser_reads_the_verdict_and_the_figures(report_file, tmp_path):
    browser = _browser()
    done = _run(browser, tmp_path, "--dump-dom", report_file.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = " ".join(done.stdout.split())
    assert "<h1>Transforming public services" in dom
    assert "Headline H1 'more than £169,000,000': not proven" in dom.replace("&#39;", "'")
    for figure in ("£169,200,000", "£168,200,000", "£180,200,000", "£17,800,000"):
        assert figure in dom
    assert "<svg" in dom and "break-even: more than £17,800,000" in dom
    assert "<script" not in dom


def png_pixels(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the unfiltered rows of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    at = 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += 1 + stride
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                           (abs(guess - corner), 2, corner))  # fmt: skip
                line[x] = (line[x] + near[2]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def test_png_pixels_reads_a_png_it_is_given():
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    rows = b"\x00" + bytes([255, 0, 0, 0, 0, 255]) + b"\x02" + bytes([0, 0, 0, 0, 255, 0])
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    first, second = bytes([255, 0, 0, 0, 0, 255]), bytes([255, 0, 0, 0, 255, 255])
    assert png_pixels(data) == (2, 2, 3, [first, second])


def test_the_screenshot_is_not_blank(report_file, tmp_path):
    browser = _browser()
    shot = tmp_path / "report.png"
    done = _run(browser, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000",
                report_file.as_uri())  # fmt: skip
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    width, height, channels, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    # Sample every 8th row: the page is drawn, so many distinct colours, and a good share of
    # the rows carry ink (text, rules, the chart) rather than only the white page.
    colours: set[bytes] = set()
    inked = 0
    for row in rows[::8]:
        pixels = {row[i : i + channels] for i in range(0, len(row), channels * 4)}
        colours |= pixels
        inked += len(pixels) > 1
    assert len(colours) > 50, len(colours)
    assert inked > len(rows[::8]) // 4, inked
