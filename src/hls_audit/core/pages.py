"""Page references as case studies write them: p9, p2-3, pp. 2-3, 9."""

from __future__ import annotations

import re

PAGES = re.compile(r"^(?:p{1,2}\.?\s*)?(\d+)(?:\s*[-–]\s*(\d+))?$", re.IGNORECASE)


def parse_pages(text: str) -> tuple[int, int] | None:
    """'p9' -> (9, 9); 'p2-3' -> (2, 3); anything else -> None."""
    match = PAGES.match(text.strip())
    if not match:
        return None
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    return first, last
