"""Citation ids as case studies write them, in one canonical form shared by markers and lists.

A case study may number its lists "R1", "E5a", "3.1", "10", "1a", or with a word ("Source 1",
"Grant A"). ``canonical`` removes markup and spacing noise so that the id in a marker and the id
of a list entry compare equal when they are the same id.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"[*_\\]|</?(?:b|i|em|strong|sup|sub)>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_WORDED = re.compile(r"(?P<word>[A-Za-z]{3,})\s*(?P<rest>[0-9A-Za-z][0-9A-Za-z.]*)")


def canonical(raw: str) -> str:
    """``raw`` without emphasis, brackets' markup or spacing noise: '**R1**' -> 'R1',
    'source  1' -> 'Source 1', 'e5A' stays as written apart from markup."""
    text = _SPACES.sub(" ", _MARKUP.sub("", raw)).strip().rstrip(".:)")
    if worded := _WORDED.fullmatch(text):
        return f"{worded['word'].capitalize()} {worded['rest']}"
    return text
