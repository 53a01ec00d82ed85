"""The forms of the identifiers REF submissions carry: ORCID iDs, ROR and GRID ids, DOIs.

Each function says whether a written identifier has its documented form (and, for ORCID and
ROR, a correct check digit). None of them looks anything up: the form is what can be checked
offline.
"""

from __future__ import annotations

import re

_ORCID = re.compile(
    r"^(?:(?:https?://)?(?:www\.)?orcid\.org/)?(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$"
)
_ROR = re.compile(r"^(?:(?:https?://)?ror\.org/)?0([0-9a-hjkmnp-tv-z]{6})(\d{2})$")
_GRID = re.compile(r"^grid\.\d{1,6}\.[0-9a-f]{1,2}$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}(?:\.\d+)*/\S+)$", re.I)
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"  # base 32 without i, l, o and u


def orcid_problem(text: str) -> str:
    """Why ``text`` is not an ORCID iD ('' when it is one).

    An iD is sixteen characters in four groups of four, the last a check digit (0-9 or X)
    computed by ISO 7064 MOD 11-2 over the fifteen digits before it; it may be written as the
    URL ``https://orcid.org/...``.
    """
    found = _ORCID.match(text.strip())
    if not found:
        return "is not of the form https://orcid.org/0000-0000-0000-000X"
    digits = "".join(found.groups())
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    expected = "X" if result == 10 else str(result)
    if digits[-1] != expected:
        return f"has the check digit {digits[-1]}, but its digits give {expected}"
    return ""


def organisation_id_problem(text: str) -> str:
    """Why ``text`` is neither a ROR id nor a GRID id ('' when it is one).

    A ROR id is ``0``, six characters of Crockford's base 32 and a two-digit checksum
    (ISO 7064 MOD 97-10 of the six characters' value), usually written as
    ``https://ror.org/0...``; a GRID id, as REF 2021 used, is ``grid.<digits>.<hex>``.
    """
    written = text.strip()
    if _GRID.match(written):
        return ""
    found = _ROR.match(written.lower())
    if not found:
        return "is neither a ROR id (https://ror.org/0xxxxxxNN) nor a GRID id (grid.1234.5)"
    value = 0
    for char in found[1]:
        value = value * 32 + CROCKFORD.index(char)
    expected = f"{98 - (value * 100) % 97:02d}"
    if found[2] != expected:
        return f"has the checksum {found[2]}, but its characters give {expected}"
    return ""


def doi_problem(text: str) -> str:
    """Why ``text`` is not a DOI ('' when it is one): ``10.<registrant>/<suffix>``, written
    bare, as ``doi:10...`` or as the URL ``https://doi.org/10...`` (its slash may be written
    %2F, as links copied from a browser often have it)."""
    from urllib.parse import unquote

    if _DOI.match(unquote(text.strip())):
        return ""
    return "is not a DOI of the form 10.1234/suffix (or https://doi.org/10.1234/suffix)"
