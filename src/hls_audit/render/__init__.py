"""Renderers: plain text, Rich tables, JSON and the CI formats, all fed a finished report."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hls_audit.findings import Report

# Formats `check` can write, by name: module under hls_audit.render and its function.
CHECK_FORMATS: dict[str, tuple[str, str]] = {
    "text": ("plain", "check_text"),
    "json": ("json_out", "check_text"),
    "github": ("github", "render"),
    "sarif": ("sarif", "render"),
    "junit": ("junit", "render"),
    "markdown": ("markdown", "render"),
}

# What --output FILE picks when no --format is given.
SUFFIX_FORMATS = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".md": "markdown",
    ".txt": "text",
}


def check_renderer(name: str) -> Callable[[Report], str]:
    """The function that renders a check report in the named format."""
    module_name, function = CHECK_FORMATS[name]
    module = importlib.import_module(f"hls_audit.render.{module_name}")
    renderer: Callable[[Report], str] = getattr(module, function)
    return renderer
